using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SyncKit.Testing.Emulator.State;

/// <summary>Xero's JSON conventions: PascalCase, <c>/Date(ms+0000)/</c> dates, decimals as numbers.</summary>
internal static partial class XeroJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = null,
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = true };

    private const long MinUnixMilliseconds = -62_135_596_800_000;
    private const long MaxUnixMilliseconds = 253_402_300_799_999;

    [GeneratedRegex(@"^/Date\((-?\d+)([+-]\d{4})?\)/$")]
    private static partial Regex MsDateRegex();

    public static string MsDate(DateTimeOffset value) =>
        "/Date(" + value.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + "+0000)/";

    public static string MsDate(DateOnly value) => MsDate(new DateTimeOffset(value.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));

    public static string MsDateNoOffset(DateTimeOffset value) =>
        "/Date(" + value.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + ")/";

    public static string DateString(DateOnly value) => value.ToString("yyyy-MM-dd'T00:00:00'", CultureInfo.InvariantCulture);

    public static string UtcString(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string IsoDate(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Parses <c>2019-03-14</c>, <c>2019-03-14T00:00:00</c> or <c>/Date(1552522535440+0000)/</c>.</summary>
    public static bool TryParseDateTime(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var match = MsDateRegex().Match(text.Trim());
        if (match.Success)
        {
            if (!long.TryParse(match.Groups[1].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms)
                || ms < MinUnixMilliseconds || ms > MaxUnixMilliseconds)
            {
                return false;
            }

            value = DateTimeOffset.FromUnixTimeMilliseconds(ms);
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    public static bool TryParseDate(string? text, out DateOnly value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim();
        if (trimmed.Length == 8 && trimmed.All(char.IsAsciiDigit))
        {
            return DateOnly.TryParseExact(trimmed, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
        }

        if (trimmed.StartsWith("/Date(", StringComparison.Ordinal))
        {
            if (TryParseDateTime(trimmed, out var dt))
            {
                value = DateOnly.FromDateTime(dt.UtcDateTime);
                return true;
            }

            return false;
        }

        // The whole text must be a date or date-time (2019-03-14, 2019-03-14T00:00:00, with or without an offset);
        // the date is taken as written, not shifted to UTC.
        if (DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            value = DateOnly.FromDateTime(parsed.DateTime);
            return true;
        }

        return false;
    }

    /// <summary>Gets a property by name, case-insensitively.</summary>
    public static JsonNode? Get(JsonObject? obj, string name)
    {
        if (obj is null)
        {
            return null;
        }

        if (obj.TryGetPropertyValue(name, out var direct))
        {
            return direct;
        }

        foreach (var (key, value) in obj)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    public static bool Has(JsonObject? obj, string name)
    {
        if (obj is null)
        {
            return false;
        }

        foreach (var (key, value) in obj)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value is not null;
            }
        }

        return false;
    }

    public static string? GetString(JsonObject? obj, string name)
    {
        var node = Get(obj, name);
        if (node is JsonValue value)
        {
            return value.GetValueKind() switch
            {
                JsonValueKind.String => value.GetValue<string>(),
                JsonValueKind.Number => value.ToJsonString(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            };
        }

        return null;
    }

    public static decimal? GetDecimal(JsonObject? obj, string name) => ToDecimal(Get(obj, name));

    public static decimal? ToDecimal(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        return value.GetValueKind() switch
        {
            JsonValueKind.Number => value.TryGetValue<decimal>(out var d) ? d
                : decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null,
            JsonValueKind.String when decimal.TryParse(value.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) => s,
            _ => null,
        };
    }

    public static bool? GetBool(JsonObject? obj, string name)
    {
        var node = Get(obj, name);
        if (node is not JsonValue value)
        {
            return null;
        }

        return value.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String => bool.TryParse(value.GetValue<string>(), out var b) ? b : null,
            _ => null,
        };
    }

    public static Guid? GetGuid(JsonObject? obj, string name) =>
        Guid.TryParse(GetString(obj, name), out var g) ? g : null;

    public static JsonObject? GetObject(JsonObject? obj, string name) => Get(obj, name) as JsonObject;

    public static JsonArray? GetArray(JsonObject? obj, string name) => Get(obj, name) as JsonArray;

    /// <summary>Rounds to 2 dp (away from zero) and keeps 2 dp of scale so JSON shows <c>40.00</c>.</summary>
    public static decimal Money(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero) + 0.00m;

    public static decimal Round(decimal value, int decimals)
    {
        var rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        return decimals == 4 ? rounded + 0.0000m : rounded + 0.00m;
    }

    /// <summary>Puts a value on an object, replacing a differently cased key of the same name.</summary>
    public static void Set(JsonObject obj, string name, JsonNode? value)
    {
        string? existing = null;
        foreach (var (key, _) in obj)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                existing = key;
                break;
            }
        }

        if (existing is not null && !string.Equals(existing, name, StringComparison.Ordinal))
        {
            obj.Remove(existing);
        }

        obj[name] = value;
    }

    public static byte[] Serialize(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, Options);
}
