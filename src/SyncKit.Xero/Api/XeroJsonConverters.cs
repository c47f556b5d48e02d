using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SyncKit.Xero.Api;

/// <summary>Xero's dates: <c>"/Date(1552522535440+0000)/"</c> in answers, ISO <c>"2019-03-14T00:00:00"</c> as DateString; written as <c>"2019-03-14"</c>.</summary>
internal sealed class XeroDateOnlyConverter : JsonConverter<DateOnly?>
{
    public override DateOnly? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var text = reader.GetString();
        return XeroDates.TryParse(text, out var value) ? DateOnly.FromDateTime(value.UtcDateTime) : null;
    }

    public override void Write(Utf8JsonWriter writer, DateOnly? value, JsonSerializerOptions options)
    {
        if (value is { } date)
        {
            writer.WriteStringValue(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

/// <summary>Xero's timestamps, in either form, as UTC.</summary>
internal sealed class XeroDateTimeConverter : JsonConverter<DateTimeOffset?>
{
    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        return XeroDates.TryParse(reader.GetString(), out var value) ? value : null;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } v)
        {
            writer.WriteStringValue(v.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

internal static class XeroDates
{
    /// <summary>Parses <c>/Date(ms[+-hhmm])/</c> or an ISO 8601 date (a date without offset is taken as UTC).</summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        if (span.StartsWith("/Date(", StringComparison.Ordinal))
        {
            var end = span.IndexOf(')');
            if (end < 0)
            {
                return false;
            }

            var inner = span[6..end];
            var sign = inner[1..].IndexOfAny('+', '-');
            var millisText = sign >= 0 ? inner[..(sign + 1)] : inner;
            if (!long.TryParse(millisText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var millis))
            {
                return false;
            }

            // The offset only says which zone the instant was written in; the instant itself is UTC milliseconds.
            value = DateTimeOffset.FromUnixTimeMilliseconds(millis);
            return true;
        }

        return DateTimeOffset.TryParse(
            span,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out value);
    }

    /// <summary>Formats a date for a <c>where</c> clause: <c>DateTime(2024,01,31)</c>.</summary>
    public static string ToWhereLiteral(DateOnly date) =>
        string.Create(CultureInfo.InvariantCulture, $"DateTime({date.Year},{date.Month:00},{date.Day:00})");
}
