using System.Text.Json.Nodes;

namespace SyncKit.Testing.Tests.OpenApi;

/// <summary>
/// Xero's OpenAPI files, read at test time from <c>shared/xero/</c> found by walking up from the test's base
/// directory (never copied into the repository). Absent files make the contract tests skip.
/// </summary>
internal static class OpenApiFiles
{
    private static readonly Lazy<string?> s_directory = new(FindDirectory);
    private static readonly Lazy<JsonObject> s_accounting = new(() => Load("xero_accounting.yaml"));
    private static readonly Lazy<JsonObject> s_identity = new(() => Load("xero-identity.yaml"));

    public static string? Directory => s_directory.Value;

    public static bool Available => Directory is not null;

    public static string SkipReason =>
        "Xero's OpenAPI files were not found: no directory above " + AppContext.BaseDirectory + " contains shared/xero/xero_accounting.yaml.";

    public static JsonObject Accounting => s_accounting.Value;

    public static JsonObject Identity => s_identity.Value;

    private static JsonObject Load(string file) =>
        (JsonObject)YamlReader.Parse(File.ReadAllText(Path.Combine(Directory ?? throw new InvalidOperationException(SkipReason), file)))!;

    private static string? FindDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "xero");
            if (File.Exists(Path.Combine(candidate, "xero_accounting.yaml")))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>A fact that skips, saying why, when Xero's OpenAPI files are not beside the repository.</summary>
public sealed class OpenApiFactAttribute : FactAttribute
{
    public OpenApiFactAttribute()
    {
        if (!OpenApiFiles.Available)
        {
            Skip = OpenApiFiles.SkipReason;
        }
    }
}
