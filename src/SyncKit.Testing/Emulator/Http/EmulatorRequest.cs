using System.Text;

namespace SyncKit.Testing.Emulator.Http;

/// <summary>A transport-neutral request: what the in-process handler and the Kestrel adapter both produce.</summary>
internal sealed class EmulatorRequest
{
    public required string Method { get; init; }

    /// <summary>The path without query string, starting with <c>/</c>, percent-decoded.</summary>
    public required string Path { get; init; }

    public required string RawQuery { get; init; }

    public required IReadOnlyDictionary<string, string> Query { get; init; }

    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    public required byte[] Body { get; init; }

    /// <summary>True when the body was longer than <see cref="EmulatorHost.MaxRequestBodyBytes"/> (and was not kept).</summary>
    public bool BodyTooLarge { get; init; }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string? QueryValue(string name) => Query.TryGetValue(name, out var value) ? value : null;

    public string BodyText => Encoding.UTF8.GetString(Body);

    public static IReadOnlyDictionary<string, string> ParseQuery(string rawQuery)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var query = rawQuery.StartsWith('?') ? rawQuery[1..] : rawQuery;
        foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString((eq < 0 ? part : part[..eq]).Replace('+', ' '));
            var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(part[(eq + 1)..].Replace('+', ' '));
            result[key] = result.TryGetValue(key, out var existing) ? existing + "," + value : value;
        }

        return result;
    }
}
