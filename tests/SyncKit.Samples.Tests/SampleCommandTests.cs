using Spectre.Console;
using SyncKit.Samples.Console;

namespace SyncKit.Samples.Tests;

public sealed class SampleCommandTests
{
    [Fact]
    public async Task Demo_ShowsEverySeedCause_FixesSome_AndExitsZero()
    {
        var (exitCode, output) = await SampleRun.RunAsync(240, "demo");

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
        var (exitCode, output) = await SampleRun.RunAsync(240, "sync", "--dry-run");

        Assert.Equal(0, exitCode);
        Assert.Contains("nothing was sent", output, StringComparison.Ordinal);
        Assert.Contains("Lock Dates", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_ImportsTheMatchedPaymentOnce_AndListsTheAmbiguousAndTheUnmatchedWithTheirCandidates()
    {
        var (exitCode, output) = await SampleRun.RunAsync(240, "pull");

        Assert.Equal(0, exitCode);
        Assert.Contains("1 imported", output, StringComparison.Ordinal);
        Assert.Contains("2 to reconcile", output, StringComparison.Ordinal);
        Assert.Contains("Imported 10.00 against host invoice inv-00001", output, StringComparison.Ordinal);
        Assert.Contains("55.00 on X-AMB · NeedsReconciliation · candidates walkin-a, walkin-b", output, StringComparison.Ordinal);
        Assert.Contains("77.00 on X-NONE · NeedsReconciliation · no candidates", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_Link_ImportsTheAmbiguousPaymentAgainstTheChosenInvoice_AndLeavesTheUnmatchedListed()
    {
        var (exitCode, output) = await SampleRun.RunAsync(240, "reconcile", "--link", "X-AMB:walkin-b");

        Assert.Equal(0, exitCode);
        Assert.Contains("Linked 55.00 on X-AMB to host invoice walkin-b", output, StringComparison.Ordinal);
        Assert.Contains("Imported 55.00 against host invoice walkin-b", output, StringComparison.Ordinal);
        Assert.Contains("To reconcile (1):", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_Dismiss_TakesThePaymentOffTheList()
    {
        var (exitCode, output) = await SampleRun.RunAsync(240, "reconcile", "--dismiss", "X-NONE");

        Assert.Equal(0, exitCode);
        Assert.Contains("Dismissed 77.00 on X-NONE", output, StringComparison.Ordinal);
        Assert.DoesNotContain("77.00 on X-NONE · NeedsReconciliation", output[output.IndexOf("Dismissed", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("syncc")]
    public async Task UnknownCommand_IsRefused_BeforeAnyWork(string command)
    {
        using var folder = new TemporaryFolder();

        var (exitCode, output) = await SampleRun.RunInAsync(80, folder.Path, command);

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"Unknown command '{command}'", output, StringComparison.Ordinal);
        Assert.DoesNotContain("syncing", output, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [Theory]
    [InlineData("sync", "--kinds Invoyce", "'Invoyce' is not a record kind")]
    [InlineData("skip", "Invoice", "'Invoice' is not a record: write KIND:ID")]
    [InlineData("map", "Acount GL-1 200", "'Acount' is not a mapping kind")]
    [InlineData("sync", "--recrod Invoice:inv-1", "Unknown option 'recrod'")]
    public async Task BadArguments_AreRefused_BeforeAnyWork(string command, string arguments, string message)
    {
        using var folder = new TemporaryFolder();

        var (exitCode, output) = await SampleRun.RunInAsync(80, folder.Path, [command, .. arguments.Split(' ')]);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(message, output, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    public static TheoryData<string> Commands() => new("demo", "sync", "status", "errors", "retry", "skip", "map", "activity", "connect");

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Help_OnEveryCommand_DescribesIt_AndRunsNothing(string command)
    {
        using var folder = new TemporaryFolder();

        var (exitCode, output) = await SampleRun.RunInAsync(80, folder.Path, command, "--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("USAGE:", output, StringComparison.Ordinal);
        Assert.Contains($"synckit-sample {command}", output, StringComparison.Ordinal);
        Assert.Contains("--db <PATH>", output, StringComparison.Ordinal);
        Assert.DoesNotContain("syncing", output, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [Theory]
    [InlineData("help")]
    [InlineData("--help")]
    public async Task Help_ListsEveryCommand(string help)
    {
        var (exitCode, output) = await SampleRun.RunAsync(80, help);

        Assert.Equal(0, exitCode);
        foreach (var command in Commands())
        {
            Assert.Contains(command, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ACommandWithoutDb_DeletesItsTemporaryDatabase()
    {
        using var folder = new TemporaryFolder();

        var (exitCode, _) = await SampleRun.RunInAsync(80, folder.Path, "status");

        Assert.Equal(0, exitCode);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [Fact]
    public async Task ACommandWithDb_KeepsTheDatabase()
    {
        using var folder = new TemporaryFolder();
        var database = Path.Combine(folder.Path, "kept.db");

        var (exitCode, _) = await SampleRun.RunInAsync(80, folder.Path, "status", "--db", database);

        Assert.Equal(0, exitCode);
        Assert.True(File.Exists(database));
    }

    [Fact]
    public async Task Errors_ListsTheSeedCauses_WithWhatToDo()
    {
        var (exitCode, output) = await SampleRun.RunAsync(80, "errors");

        Assert.Equal(0, exitCode);
        Assert.Contains("Lock Dates", output, StringComparison.Ordinal);
        Assert.Contains("Organisation is unmapped", output, StringComparison.Ordinal);
        Assert.Contains("unlock", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Map_ReturnsTheWaitingRecordsToPending()
    {
        var (exitCode, output) = await SampleRun.RunAsync(240, "map", "Account", "GL-UNMAPPED", "200");

        Assert.Equal(0, exitCode);
        Assert.Contains("mapped Account GL-UNMAPPED → 200; 1 record(s) back to Pending", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_ShowsCountsPerState()
    {
        var (exitCode, output) = await SampleRun.RunAsync(80, "status");

        Assert.Equal(0, exitCode);
        Assert.Contains("connection active", output, StringComparison.Ordinal);
        Assert.Matches(@"Records: .*\d+ Synced", output);
    }
}

/// <summary>Runs the sample in process with a console that records its output, as if redirected to a file.</summary>
internal static class SampleRun
{
    public static Task<(int ExitCode, string Output)> RunAsync(int width, params string[] args) => RunInAsync(width, null, args);

    public static async Task<(int ExitCode, string Output)> RunInAsync(int width, string? temporaryFolder, params string[] args)
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(writer),
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = width;
        var exitCode = await SampleApp.RunAsync(args, console, CancellationToken.None, temporaryFolder);
        return (exitCode, writer.ToString());
    }
}

/// <summary>A folder of the test's own, deleted afterwards.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    public string Path { get; } = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"synckit-sample-test-{Guid.NewGuid():N}")).FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
