using System.Text.RegularExpressions;

namespace SyncKit.Samples.Tests;

/// <summary>Runs the demo once at 80 columns and once at 240, both as redirected output.</summary>
public sealed class DemoOutputFixture : IAsyncLifetime
{
    public string Narrow { get; private set; } = string.Empty;

    public string Wide { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var narrow = await SampleRun.RunAsync(80, "demo");
        var wide = await SampleRun.RunAsync(240, "demo");
        Assert.Equal(0, narrow.ExitCode);
        Assert.Equal(0, wide.ExitCode);
        Narrow = narrow.Output;
        Wide = wide.Output;
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>The demo as a user sees it in an 80-column terminal or a log file.</summary>
public sealed partial class DemoOutputTests : IClassFixture<DemoOutputFixture>
{
    private readonly DemoOutputFixture _demo;

    public DemoOutputTests(DemoOutputFixture demo) => _demo = demo;

    [Fact]
    public void At80Columns_FitsTheWidth_InUnder150Lines()
    {
        var lines = Lines(_demo.Narrow);

        Assert.InRange(lines.Length, 20, 149);
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"{l.Length} columns: {l}"));
    }

    [Fact]
    public void At80Columns_EveryWordIsWhole()
    {
        // A word squeezed into a narrow cell is broken ("Manua l", "Compl etedW"): its pieces are not words the wide run
        // prints. Every word of the narrow run must be a word of the wide one.
        var wide = Words(Mask(_demo.Wide)).ToHashSet(StringComparer.Ordinal);

        var broken = Words(Mask(_demo.Narrow)).Where(w => !wide.Contains(w)).Distinct().ToArray();

        Assert.True(broken.Length == 0, $"Words not whole: {string.Join(", ", broken)}");
    }

    [Fact]
    public void At80Columns_ShowsDatesInOneFormat()
    {
        Assert.DoesNotMatch(@"\b20\d{6}\b", _demo.Narrow);
        Assert.DoesNotMatch(@"\b\d{1,2}/\d{1,2}/\d{2,4}\b", _demo.Narrow);
    }

    [Fact]
    public void At80Columns_MatchesTheApprovedSnapshot()
    {
        Approve("demo-80-columns.txt", string.Join('\n', Lines(Mask(_demo.Narrow))) + "\n");
    }

    /// <summary>
    /// Compares with the approved file beside this test. A missing file is written (review it, then commit it); with
    /// SYNCKIT_UPDATE_SNAPSHOTS=1 the file is rewritten. A mismatch writes the received text under __mismatch__.
    /// </summary>
    private static void Approve(string name, string received)
    {
        // Not the caller's file path: CI builds map source paths to /_/.
        var folder = Path.Combine(DocsSnippetTests.RepositoryRoot(), "tests", "SyncKit.Samples.Tests", "__snapshots__");
        var approved = Path.Combine(folder, name);
        if (!File.Exists(approved) || Environment.GetEnvironmentVariable("SYNCKIT_UPDATE_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(approved, received);
            Assert.Fail($"Snapshot written to {approved}: review it, commit it, and run the test again.");
        }

        var expected = File.ReadAllText(approved).ReplaceLineEndings("\n");
        if (expected != received)
        {
            var mismatch = Path.Combine(folder, "__mismatch__", name);
            Directory.CreateDirectory(Path.GetDirectoryName(mismatch)!);
            File.WriteAllText(mismatch, received);
            var expectedLines = expected.Split('\n');
            var receivedLines = received.Split('\n');
            var first = Enumerable.Range(0, Math.Min(expectedLines.Length, receivedLines.Length)).FirstOrDefault(i => expectedLines[i] != receivedLines[i], Math.Min(expectedLines.Length, receivedLines.Length));
            Assert.Fail($"The demo's output differs from {approved} at line {first + 1}:\n  approved: {expectedLines.ElementAtOrDefault(first)}\n  received: {receivedLines.ElementAtOrDefault(first)}\nReceived text: {mismatch}");
        }
    }

    private static string[] Lines(string text) => text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n').Select(l => l.TrimEnd()).ToArray();

    /// <summary>What changes from run to run: the emulator's port, run ids, ids, clock times and durations.</summary>
    private static string Mask(string text)
    {
        text = Port().Replace(text, "127.0.0.1:<port>");
        text = RunId().Replace(text, "run_<id>");
        text = Guid().Replace(text, "<guid>");
        text = Time().Replace(text, "<time>");
        return Duration().Replace(text, "<duration>");
    }

    private static IEnumerable<string> Words(string text) =>
        WordPattern().Matches(text).Select(m => m.Value.ToLowerInvariant());

    [GeneratedRegex(@"127\.0\.0\.1:\d+")]
    private static partial Regex Port();

    [GeneratedRegex(@"run_[0-9a-f]{8,}")]
    private static partial Regex RunId();

    [GeneratedRegex(@"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Guid();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")]
    private static partial Regex Time();

    [GeneratedRegex(@"\d+\.\d{2} s\b")]
    private static partial Regex Duration();

    [GeneratedRegex(@"[\p{L}\p{N}][\p{L}\p{N}'\-]*")]
    private static partial Regex WordPattern();
}
