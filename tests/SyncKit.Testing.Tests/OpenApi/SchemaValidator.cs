using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SyncKit.Testing.Tests.OpenApi;

/// <summary>
/// Validates JSON against the OpenAPI 3.0 schema subset Xero's files use: <c>$ref</c>, <c>type</c>, <c>properties</c>,
/// <c>required</c>, <c>items</c>, <c>enum</c>, <c>format</c> (uuid and dates, loosely), <c>allOf</c>, <c>nullable</c>,
/// <c>additionalProperties</c>, and Xero's <c>x-is-msdate</c>/<c>x-is-msdate-time</c> date strings.
/// </summary>
internal sealed partial class SchemaValidator
{
    private readonly JsonObject _document;

    public SchemaValidator(JsonObject document) => _document = document;

    /// <summary>When true, Xero date fields must be <c>/Date(ms)/</c> (responses); otherwise ISO dates are allowed too (requests).</summary>
    public bool StrictMsDates { get; init; }

    [GeneratedRegex(@"^/Date\(-?\d+([+-]\d{4})?\)/$")]
    private static partial Regex MsDate();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")]
    private static partial Regex IsoDate();

    public JsonObject Resolve(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            throw new NotSupportedException("Only local $refs are supported: " + reference);
        }

        JsonNode? node = _document;
        foreach (var part in reference[2..].Split('/'))
        {
            node = node?[part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
        }

        return node as JsonObject ?? throw new InvalidOperationException("Unresolvable $ref " + reference);
    }

    public IReadOnlyList<string> Validate(JsonNode? value, JsonObject schema)
    {
        var errors = new List<string>();
        Validate(value, schema, "$", errors, depth: 0);
        return errors;
    }

    private void Validate(JsonNode? value, JsonObject schema, string path, List<string> errors, int depth)
    {
        if (depth > 64)
        {
            return;
        }

        if (schema["$ref"] is JsonValue reference)
        {
            Validate(value, Resolve(reference.GetValue<string>()), path, errors, depth + 1);
            return;
        }

        if (schema["allOf"] is JsonArray allOf)
        {
            foreach (var part in allOf.OfType<JsonObject>())
            {
                Validate(value, part, path, errors, depth + 1);
            }
        }

        if (value is null)
        {
            if (schema["nullable"]?.GetValue<bool>() != true && schema["type"] is not null)
            {
                errors.Add($"{path}: null but not nullable");
            }

            return;
        }

        var type = schema["type"]?.GetValue<string>();
        var kind = value.GetValueKind();
        switch (type)
        {
            case "object" when kind != JsonValueKind.Object:
            case "array" when kind != JsonValueKind.Array:
            case "string" when kind != JsonValueKind.String:
            case "boolean" when kind is not JsonValueKind.True and not JsonValueKind.False:
            case "number" when kind != JsonValueKind.Number:
                errors.Add($"{path}: expected {type}, got {kind}");
                return;
            case "integer" when kind != JsonValueKind.Number || !IsInteger(value):
                errors.Add($"{path}: expected integer, got {value.ToJsonString()}");
                return;
        }

        if (schema["enum"] is JsonArray allowed && kind is JsonValueKind.String or JsonValueKind.Number)
        {
            var text = kind == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
            if (!allowed.Any(a => a is not null && (a.GetValueKind() == JsonValueKind.String ? a.GetValue<string>() : a.ToJsonString()) == text))
            {
                errors.Add($"{path}: '{text}' is not one of the enum values");
            }
        }

        if (kind == JsonValueKind.String)
        {
            var text = value.GetValue<string>();
            var format = schema["format"]?.GetValue<string>();
            if (format == "uuid" && text.Length > 0 && !Guid.TryParse(text, out _))
            {
                errors.Add($"{path}: '{text}' is not a uuid");
            }

            if (format is "date" or "date-time" && !IsoDate().IsMatch(text) && !MsDate().IsMatch(text))
            {
                errors.Add($"{path}: '{text}' is not a {format}");
            }

            var msDate = schema["x-is-msdate"]?.GetValue<bool>() == true || schema["x-is-msdate-time"]?.GetValue<bool>() == true;
            if (msDate && text.Length > 0 && !MsDate().IsMatch(text) && (StrictMsDates || !IsoDate().IsMatch(text)))
            {
                errors.Add($"{path}: '{text}' is not a Xero date (/Date(ms)/{(StrictMsDates ? string.Empty : " or yyyy-MM-dd")})");
            }
        }

        if (value is JsonObject obj)
        {
            var properties = schema["properties"] as JsonObject;
            if (schema["required"] is JsonArray required)
            {
                foreach (var name in required.Select(r => r!.GetValue<string>()).Where(n => !obj.ContainsKey(n)))
                {
                    errors.Add($"{path}: missing required '{name}'");
                }
            }

            foreach (var (name, child) in obj)
            {
                if (properties?[name] is JsonObject propertySchema)
                {
                    Validate(child, propertySchema, path + "." + name, errors, depth + 1);
                }
                else if (schema["additionalProperties"] is JsonObject additional)
                {
                    Validate(child, additional, path + "." + name, errors, depth + 1);
                }
                else if (schema["additionalProperties"] is JsonValue flag && flag.GetValueKind() == JsonValueKind.False)
                {
                    errors.Add($"{path}: unexpected property '{name}'");
                }
            }
        }

        if (value is JsonArray array && schema["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Validate(array[i], items, $"{path}[{i}]", errors, depth + 1);
            }
        }
    }

    private static bool IsInteger(JsonNode value) =>
        decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d);
}
