using System.Text.RegularExpressions;

namespace SyncKit.Samples.Tests;

/// <summary>Every C# block in the docs and README is compiled: it stands, line for line, in a file under samples/.</summary>
public sealed partial class DocsSnippetTests
{
    public static TheoryData<string, int> CSharpBlocks()
    {
        var data = new TheoryData<string, int>();
        foreach (var file in DocumentFiles())
        {
            var blocks = Blocks(File.ReadAllText(file));
            for (var i = 0; i < blocks.Count; i++)
            {
                data.Add(Path.GetRelativePath(RepositoryRoot(), file), i);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CSharpBlocks))]
    public void CSharpBlock_StandsInACompiledSampleFile(string document, int index)
    {
        var block = Normalise(Blocks(File.ReadAllText(Path.Combine(RepositoryRoot(), document)))[index]);
        var sources = Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "samples"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => Normalise(File.ReadAllText(f)));

        Assert.True(sources.Any(s => s.Contains(block, StringComparison.Ordinal)), $"Block {index} of {document} is not in any compiled file under samples/:\n{block}");
    }

    private static IEnumerable<string> DocumentFiles() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "docs"), "*.md", SearchOption.AllDirectories).Append(Path.Combine(RepositoryRoot(), "README.md"));

    private static List<string> Blocks(string markdown) => CSharpFence().Matches(markdown).Select(m => m.Groups[1].Value).ToList();

    private static string Normalise(string code) => string.Join('\n', code.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    /// <summary>The clone's top folder, found above the test's output (source paths are mapped to /_/ in CI builds).</summary>
    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SyncKit.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with SyncKit.sln) was not found above the test's folder.");
    }

    [GeneratedRegex(@"```csharp\r?\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpFence();
}
