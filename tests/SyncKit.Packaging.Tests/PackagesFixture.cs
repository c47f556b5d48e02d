using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Text;
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
        var start = new ProcessStartInfo("dotnet", ["pack", filter, "--no-build", "-c", configuration, "-o", _output, "-nologo", "-v", "minimal", "-clp:NoSummary"])
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        PackOutput = process.StandardOutput.ReadToEnd() + stderr.GetAwaiter().GetResult();
        process.WaitForExit();
        PackExitCode = process.ExitCode;
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
