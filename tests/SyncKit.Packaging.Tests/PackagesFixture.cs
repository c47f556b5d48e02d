using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;

namespace SyncKit.Packaging.Tests;

/// <summary>
/// Packs every SyncKit package once for the test class: <c>dotnet pack --no-build</c> of the packable projects
/// (built before the tests run, as this project references them), into a folder of its own.
/// </summary>
public sealed class PackagesFixture : IDisposable
{
    /// <summary>The packages a host installs, and the only projects under src/ that pack.</summary>
    public static readonly string[] PackageIds =
        ["SyncKit", "SyncKit.Xero", "SyncKit.Storage.Sqlite", "SyncKit.Storage.PostgreSql", "SyncKit.Hosting", "SyncKit.AspNetCore", "SyncKit.Testing"];

    private readonly string _output = Path.Combine(Path.GetTempPath(), $"synckit-packages-{Guid.NewGuid():N}");

    public PackagesFixture()
    {
        RepositoryRoot = FindRepositoryRoot();
        Directory.CreateDirectory(_output);

        // One pack for all of them: a solution filter of the packable projects, written beside the packages.
        var filter = Path.Combine(_output, "packages.slnf");
        var projects = string.Join(",", PackageIds.Select(id => $"\"src/{id}/{id}.csproj\""));
        File.WriteAllText(filter, $$"""{ "solution": { "path": "{{Path.Combine(RepositoryRoot, "SyncKit.sln").Replace("\\", "\\\\", StringComparison.Ordinal)}}", "projects": [{{projects}}] } }""");

        var configuration = typeof(PackagesFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;
        var (exitCode, output, errors) = Dotnet(RepositoryRoot, "pack", filter, "--no-build", "-c", configuration, "-o", _output, "-nologo", "-v", "minimal", "-clp:NoSummary");
        PackOutput = output + errors;
        PackExitCode = exitCode;
    }

    public string RepositoryRoot { get; }

    public string PackOutput { get; }

    public int PackExitCode { get; }

    public string PackagePath(string id) => Path.Combine(_output, $"{id}.{Version}.nupkg");

    public string SymbolPackagePath(string id) => Path.Combine(_output, $"{id}.{Version}.snupkg");

    /// <summary>The version every package carries: Directory.Build.props' VersionPrefix.</summary>
    public string Version => XDocument.Load(Path.Combine(RepositoryRoot, "Directory.Build.props")).Descendants("VersionPrefix").Single().Value;

    public XElement Nuspec(string id)
    {
        using var package = ZipFile.OpenRead(PackagePath(id));
        var entry = package.Entries.Single(e => e.FullName == $"{id}.nuspec");
        using var stream = entry.Open();
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    /// <summary>
    /// Every package, transitive ones included, that a host referencing <paramref name="references"/> gets: a throwaway
    /// project restored against the packed folder, then <c>dotnet list package --include-transitive</c>.
    /// </summary>
    /// <remarks>
    /// The restore extracts into a folder of its own, with the machine's package cache as a read-only fallback, so a
    /// stale copy of this version of SyncKit never enters (or comes from) the shared cache.
    /// </remarks>
    public IReadOnlyList<string> InstalledPackages(IReadOnlyList<string> references)
    {
        // Beside the packed folder, not in it: the folder is the restore's package source.
        var host = $"{_output}-host-{Guid.NewGuid():N}";
        Directory.CreateDirectory(host);
        try
        {
            return ListPackages(host, references);
        }
        finally
        {
            Directory.Delete(host, recursive: true);
        }
    }

    private IReadOnlyList<string> ListPackages(string host, IReadOnlyList<string> references)
    {
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(host, "host.csproj"), $$"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <RestorePackagesPath>{{Path.Combine(host, "packages")}}</RestorePackagesPath>
                <RestoreFallbackFolders>{{cache}}</RestoreFallbackFolders>
              </PropertyGroup>
              <ItemGroup>
            {{string.Concat(references.Select(r => $"    <PackageReference Include=\"{r}\" Version=\"{Version}\" />\n"))}}  </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(host, "nuget.config"), $"""
            <configuration>
              <packageSources>
                <clear />
                <add key="synckit" value="{_output}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);

        Run(host, "restore", "-nologo", "-v", "quiet");
        var listing = Run(host, "list", "package", "--include-transitive", "--format", "json");
        var framework = JsonDocument.Parse(listing).RootElement.GetProperty("projects")[0].GetProperty("frameworks")[0];
        return [.. Packages(framework, "topLevelPackages"), .. Packages(framework, "transitivePackages")];

        static IEnumerable<string> Packages(JsonElement framework, string list) =>
            framework.TryGetProperty(list, out var packages) ? packages.EnumerateArray().Select(p => p.GetProperty("id").GetString()!) : [];
    }

    private static string Run(string directory, params string[] arguments)
    {
        var (exitCode, output, errors) = Dotnet(directory, arguments);
        return exitCode == 0
            ? output
            : throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} failed ({exitCode}):\n{output}{errors}");
    }

    /// <summary>Runs the .NET CLI quietly (no telemetry, no logo) and waits for it.</summary>
    private static (int ExitCode, string Output, string Errors) Dotnet(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, stderr.GetAwaiter().GetResult());
    }

    public string ReadEntry(string package, string name)
    {
        using var zip = ZipFile.OpenRead(package);
        var entry = zip.GetEntry(name) ?? throw new InvalidOperationException($"{Path.GetFileName(package)} has no {name}.");
        using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public byte[] ReadBytes(string package, string name)
    {
        using var zip = ZipFile.OpenRead(package);
        var entry = zip.GetEntry(name) ?? throw new InvalidOperationException($"{Path.GetFileName(package)} has no {name}.");
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public IReadOnlyList<string> Entries(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        return zip.Entries.Select(e => e.FullName).ToArray();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_output, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is not worth failing a test run for.
        }
    }

    internal static string FindRepositoryRoot()
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
}
