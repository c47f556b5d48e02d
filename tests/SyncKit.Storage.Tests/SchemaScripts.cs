namespace SyncKit.Storage.Tests;

/// <summary>How many schema scripts a provider embeds: one schema_version row each, whatever their numbers.</summary>
internal static class SchemaScripts
{
    public static long Count(Type provider) =>
        provider.Assembly.GetManifestResourceNames().Count(n => n.StartsWith("Schema/", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal));
}
