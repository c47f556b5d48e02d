using Spectre.Console;
using SyncKit.Samples.Console;

namespace SyncKit.Samples.Tests;

public sealed class SampleCommandTests
{
    [Fact]
    public async Task Demo_ShowsEverySeedCause_FixesSome_AndExitsZero()
    {
        var (exitCode, output) = await RunAsync("demo");

        Assert.Equal(0, exitCode);
        foreach (var cause in new[]
        {
            "Lock Dates",
            "Job state is not \"In Progress\"",
            "Organisation is unmapped",
            "Job has been deleted in XPM",
            "GL Mapping",
            "Xero account archived or deleted",
            "Account has no code in Xero",
            "Account does not accept payments",
            "Invoice total is $0 and it is not paid",
        })
        {
            Assert.Contains(cause, output, StringComparison.Ordinal);
        }

        Assert.Contains("The errors left", output, StringComparison.Ordinal);
        Assert.Contains("Activity", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRun_SendsNothing_AndListsTheErrors()
    {
        var (exitCode, output) = await RunAsync("sync", "--dry-run");

        Assert.Equal(0, exitCode);
        Assert.Contains("nothing was sent", output, StringComparison.Ordinal);
        Assert.Contains("Lock Dates", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommand_ExitsNonZero_WithUsage()
    {
        await Assert.ThrowsAsync<SampleUsageException>(() => RunAsync("frobnicate"));
    }

    [Fact]
    public async Task Errors_ListsTheSeedCauses_WithWhatToDo()
    {
        var (exitCode, output) = await RunAsync("errors");

        Assert.Equal(0, exitCode);
        Assert.Contains("Lock Dates", output, StringComparison.Ordinal);
        Assert.Contains("Organisation is unmapped", output, StringComparison.Ordinal);
        Assert.Contains("unlock", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Map_ReturnsTheWaitingRecordsToPending()
    {
        var (exitCode, output) = await RunAsync("map", "Account", "GL-UNMAPPED", "200");

        Assert.Equal(0, exitCode);
        Assert.Contains("mapped Account GL-UNMAPPED → 200; 1 record(s) back to Pending", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_ShowsCountsPerState()
    {
        var (exitCode, output) = await RunAsync("status");

        Assert.Equal(0, exitCode);
        Assert.Contains("Connection", output, StringComparison.Ordinal);
        Assert.Contains("Synced", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(writer),
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 240;
        var exitCode = await SampleApp.RunAsync(args, console, CancellationToken.None);
        return (exitCode, writer.ToString());
    }
}
