using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;

namespace SyncKit.AspNetCore.Dashboard;

/// <summary>The dashboard's stylesheet and script, embedded in the assembly: nothing comes from a CDN.</summary>
internal static class DashboardAssets
{
    private static readonly FrozenDictionary<string, (byte[] Content, string ContentType)> Assets = Load();

    public static IResult Serve(string name) =>
        Assets.TryGetValue(name, out var asset)
            ? Results.Bytes(asset.Content, asset.ContentType)
            : Results.NotFound();

    private static FrozenDictionary<string, (byte[] Content, string ContentType)> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var assets = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var (name, type) in new[] { ("dashboard.css", "text/css; charset=utf-8"), ("dashboard.js", "text/javascript; charset=utf-8") })
        {
            using var stream = assembly.GetManifestResourceStream("SyncKit.Dashboard." + name)
                ?? throw new InvalidOperationException($"The dashboard asset {name} is missing from the assembly.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            assets[name] = (copy.ToArray(), type);
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
