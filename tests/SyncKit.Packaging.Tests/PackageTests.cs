using System.Reflection.Metadata;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace SyncKit.Packaging.Tests;

/// <summary>The release check: what a host installing SyncKit from NuGet gets in each package.</summary>
public sealed partial class PackageTests : IClassFixture<PackagesFixture>
{
    private const string RepositoryUrl = "https://github.com/synckit/synckit";

    // Portable PDB custom debug information kinds (https://github.com/dotnet/runtime/blob/main/docs/design/specs/PortablePdb-Metadata.md).
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");
    private static readonly Guid EmbeddedSourceKind = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

    private readonly PackagesFixture _packages;

    public PackageTests(PackagesFixture packages) => _packages = packages;

    public static TheoryData<string> Packages() => new(PackagesFixture.PackageIds);

    /// <summary>What each package depends on. A new dependency is a deliberate change here; test-only or build-only packages never leak.</summary>
    public static TheoryData<string, string[]> Dependencies() => new()
    {
        { "SyncKit", ["FluentValidation", "Microsoft.Extensions.DependencyInjection.Abstractions", "Microsoft.Extensions.Logging.Abstractions", "Microsoft.Extensions.Options"] },
        { "SyncKit.Xero", ["Microsoft.Extensions.DependencyInjection.Abstractions", "Microsoft.Extensions.Http", "Microsoft.Extensions.Http.Resilience", "Microsoft.Extensions.Logging.Abstractions", "Microsoft.Extensions.Options", "Microsoft.Extensions.Options.ConfigurationExtensions", "SyncKit", "System.Threading.RateLimiting"] },
        { "SyncKit.Storage.Sqlite", ["Microsoft.Data.Sqlite", "SyncKit"] },
        { "SyncKit.Storage.PostgreSql", ["Npgsql", "SyncKit"] },
        { "SyncKit.Hosting", ["Microsoft.Extensions.Diagnostics.HealthChecks", "Microsoft.Extensions.Diagnostics.HealthChecks.Abstractions", "Microsoft.Extensions.Hosting.Abstractions", "SyncKit"] },
        { "SyncKit.AspNetCore", ["SyncKit", "SyncKit.Xero"] },
        { "SyncKit.Testing", ["Microsoft.Extensions.TimeProvider.Testing", "SyncKit", "xunit.assert", "xunit.extensibility.core", "xunit.extensibility.execution"] },
    };

    [Fact]
    public void Pack_Succeeds_WithoutAWarning()
    {
        Assert.True(_packages.PackExitCode == 0, _packages.PackOutput);
        Assert.DoesNotMatch(WarningLine(), _packages.PackOutput);
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void Nuspec_CarriesTheMetadataARegistryShows(string id)
    {
        var nuspec = _packages.Nuspec(id);

        Assert.Equal(id, Value(nuspec, "id"));
        Assert.Equal(_packages.Version, Value(nuspec, "version"));
        Assert.Equal("MIT", Value(nuspec, "license"));
        Assert.Equal("expression", Element(nuspec, "license").Attribute("type")?.Value);
        Assert.Equal(RepositoryUrl, Value(nuspec, "projectUrl"));
        Assert.True(Value(nuspec, "description").Length > 40, $"{id}: the description says what the package is.");
        Assert.Contains("xero", Value(nuspec, "tags").Split(' '));
        Assert.Equal("icon.png", Value(nuspec, "icon"));
        Assert.Equal("README.md", Value(nuspec, "readme"));

        var icon = _packages.ReadBytes(_packages.PackagePath(id), "icon.png");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, icon[..4]);
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void Nuspec_NamesTheRepositoryAndTheCommitItWasBuiltFrom(string id)
    {
        var repository = Element(_packages.Nuspec(id), "repository");

        Assert.Equal("git", repository.Attribute("type")?.Value);
        Assert.Equal(RepositoryUrl, repository.Attribute("url")?.Value);
        Assert.Matches("^[0-9a-f]{40}$", repository.Attribute("commit")?.Value ?? string.Empty);
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void ReleaseNotes_AreThisVersionsChangelogSection(string id)
    {
        var notes = Value(_packages.Nuspec(id), "releaseNotes");

        Assert.StartsWith(ChangelogSection(_packages.Version), notes, StringComparison.Ordinal);
        Assert.EndsWith($"{RepositoryUrl}/blob/main/CHANGELOG.md", notes, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void Readme_SaysWhatItIs_HowToInstall_AMinimalSnippet_AndWhereTheDocsAre(string id)
    {
        var readme = _packages.ReadEntry(_packages.PackagePath(id), "README.md");

        Assert.StartsWith($"# {id}\n", readme.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("## Install", readme, StringComparison.Ordinal);
        Assert.Matches($@"dotnet add package {Regex.Escape(id)}\b|dotnet add package SyncKit\.Xero\b", readme);
        Assert.Contains("```csharp", readme, StringComparison.Ordinal);
        Assert.Contains($"{RepositoryUrl}/blob/main/docs/", readme, StringComparison.Ordinal);

        // Links that work on nuget.org: absolute, into this repository's docs, never relative paths.
        foreach (Match link in MarkdownLink().Matches(readme))
        {
            Assert.StartsWith("https://", link.Groups[1].Value, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Dependencies))]
    public void Dependencies_AreExactlyWhatTheHostNeeds(string id, string[] expected)
    {
        var dependencies = Element(_packages.Nuspec(id), "dependencies").Descendants().Where(e => e.Name.LocalName == "dependency").ToArray();
        var groups = Element(_packages.Nuspec(id), "dependencies").Elements().Select(g => g.Attribute("targetFramework")?.Value ?? string.Empty).ToArray();

        Assert.Equal(["net10.0"], groups);
        Assert.Equal(expected, dependencies.Select(d => d.Attribute("id")!.Value).Order(StringComparer.Ordinal));
        Assert.All(dependencies, d => Assert.Matches(@"^\[?\d+\.\d+\.\d+", d.Attribute("version")!.Value));
        Assert.All(
            dependencies.Where(d => d.Attribute("id")!.Value.StartsWith("SyncKit", StringComparison.Ordinal)),
            d => Assert.Equal(_packages.Version, d.Attribute("version")!.Value));
    }

    [Fact]
    public void AHostOnXeroAndPostgreSql_InstallsNoSqlite()
    {
        var packages = _packages.InstalledPackages(["SyncKit.Xero", "SyncKit.Storage.PostgreSql"]);

        Assert.Contains("SyncKit.Xero", packages);
        Assert.Contains("Npgsql", packages);
        Assert.DoesNotContain(packages, p => p.Contains("Sqlite", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void Package_HoldsTheAssemblyAndItsXmlDocs(string id)
    {
        var entries = _packages.Entries(_packages.PackagePath(id));

        Assert.Contains($"lib/net10.0/{id}.dll", entries);
        Assert.Contains($"lib/net10.0/{id}.xml", entries);
        Assert.Contains("LICENSE", entries);
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void SymbolPackage_LetsAHostStepIntoTheSource_BySourceLinkAndEmbeddedSources(string id)
    {
        var pdb = _packages.ReadBytes(_packages.SymbolPackagePath(id), $"lib/net10.0/{id}.pdb");
        using var provider = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(pdb));
        var reader = provider.GetMetadataReader();

        var sourceLink = reader.CustomDebugInformation.Select(reader.GetCustomDebugInformation)
            .Where(c => reader.GetGuid(c.Kind) == SourceLinkKind)
            .Select(c => Encoding.UTF8.GetString(reader.GetBlobBytes(c.Value)))
            .Single();
        Assert.Matches(@"https://raw\.githubusercontent\.com/synckit/synckit/[0-9a-f]{40}/\*", sourceLink);

        var documents = reader.Documents.Select(d => (Handle: d, Name: reader.GetString(reader.GetDocument(d).Name))).Where(d => d.Name.EndsWith(".cs", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(documents);
        var embedded = reader.CustomDebugInformation.Select(reader.GetCustomDebugInformation)
            .Where(c => reader.GetGuid(c.Kind) == EmbeddedSourceKind && c.Parent.Kind == HandleKind.Document)
            .Select(c => (DocumentHandle)c.Parent)
            .ToHashSet();
        var missing = documents.Where(d => !embedded.Contains(d.Handle)).Select(d => d.Name).ToArray();
        Assert.True(missing.Length == 0, $"{id}: sources not embedded: {string.Join(", ", missing)}");

        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            // A CI build is deterministic: paths are mapped to /_/, so the same commit builds the same bytes anywhere.
            Assert.All(documents, d => Assert.StartsWith("/_/", d.Name, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Repository_HasTheFilesAReleaseNeeds()
    {
        var root = _packages.RepositoryRoot;

        Assert.StartsWith("MIT License", File.ReadAllText(Path.Combine(root, "LICENSE")), StringComparison.Ordinal);
        Assert.Contains("Report", File.ReadAllText(Path.Combine(root, ".github", "SECURITY.md")), StringComparison.Ordinal);
        Assert.Contains("PublicAPI.Unshipped.txt", File.ReadAllText(Path.Combine(root, ".github", "CONTRIBUTING.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void Changelog_FollowsKeepAChangelog()
    {
        var lines = File.ReadAllLines(Path.Combine(_packages.RepositoryRoot, "CHANGELOG.md"));
        var versions = lines.Where(l => l.StartsWith("## ", StringComparison.Ordinal)).ToArray();
        var categories = lines.Where(l => l.StartsWith("### ", StringComparison.Ordinal)).Select(l => l[4..]).ToArray();

        Assert.Equal("# Changelog", lines[0]);
        Assert.Contains("keepachangelog.com", string.Join('\n', lines), StringComparison.Ordinal);
        Assert.Equal("## [Unreleased]", versions[0]);
        Assert.All(versions.Skip(1), v => Assert.Matches(@"^## \[\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?\] - \d{4}-\d{2}-\d{2}$", v));
        Assert.All(categories, c => Assert.Contains(c, new[] { "Added", "Changed", "Deprecated", "Removed", "Fixed", "Security" }));
    }

    private string ChangelogSection(string version)
    {
        var text = File.ReadAllText(Path.Combine(_packages.RepositoryRoot, "CHANGELOG.md")).ReplaceLineEndings("\n");
        var heading = text.Contains($"## [{version}]", StringComparison.Ordinal) ? $"## [{version}]" : "## [Unreleased]";
        var start = text.IndexOf('\n', text.IndexOf(heading, StringComparison.Ordinal)) + 1;
        var end = text.IndexOf("\n## [", start, StringComparison.Ordinal);
        return (end < 0 ? text[start..] : text[start..end]).Trim();
    }

    private static XElement Element(XElement metadata, string name) =>
        metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name) ?? throw new Xunit.Sdk.XunitException($"The nuspec has no <{name}>.");

    private static string Value(XElement metadata, string name) => Element(metadata, name).Value;

    [GeneratedRegex(@"\bwarning\b", RegexOptions.IgnoreCase)]
    private static partial Regex WarningLine();

    [GeneratedRegex(@"\]\(([^)]+)\)")]
    private static partial Regex MarkdownLink();
}
