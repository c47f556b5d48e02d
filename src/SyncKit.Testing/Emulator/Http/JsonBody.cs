using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using SyncKit.Testing.Emulator.State;

namespace SyncKit.Testing.Emulator.Http;

/// <summary>
/// Reads a request body as one JSON object, refusing what Xero's JSON binding refuses: bad syntax, a body that is
/// not an object, and a property named twice in one object (compared case-insensitively, as Xero binds names).
/// </summary>
internal static class JsonBody
{
    private static readonly JsonDocumentOptions s_documentOptions = new() { MaxDepth = 64 };

    /// <summary>True when <paramref name="contentType"/> names JSON (<c>application/json</c>, <c>text/json</c> or <c>*/*+json</c>).</summary>
    public static bool IsJsonMediaType(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed) || parsed.MediaType is not { } mediaType)
        {
            return false;
        }

        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Parses the body; on failure returns null and says why (the detail that follows Xero's "could not be read").</summary>
    public static JsonObject? TryParseObject(byte[] body, out string? error)
    {
        error = null;
        if (body.Length == 0)
        {
            error = XeroMessages.JsonBodyEmpty.Template;
            return null;
        }

        try
        {
            using (var document = JsonDocument.Parse(body, s_documentOptions))
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    error = XeroMessages.JsonNotAnObject.Format("$");
                    return null;
                }

                error = FindDuplicate(document.RootElement, string.Empty);
                if (error is not null)
                {
                    return null;
                }
            }

            return JsonNode.Parse(body, XeroJson.NodeOptions, s_documentOptions) as JsonObject;
        }
        catch (JsonException ex)
        {
            error = XeroMessages.JsonSyntax.Format(ex.Message);
            return null;
        }
    }

    /// <summary>A path in the style of Xero's (Json.NET's) messages: <c>Invoices[0].LineItems[1].UnitAmount</c>.</summary>
    public static string Child(string path, string name) => path.Length == 0 ? name : path + "." + name;

    private static string? FindDuplicate(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (var property in element.EnumerateObject())
                {
                    var childPath = Child(path, property.Name);
                    if (!seen.Add(property.Name))
                    {
                        return XeroMessages.JsonDuplicateProperty.Format(property.Name, childPath);
                    }

                    if (FindDuplicate(property.Value, childPath) is { } nested)
                    {
                        return nested;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FindDuplicate(item, path + "[" + index++ + "]") is { } nested)
                    {
                        return nested;
                    }
                }

                return null;
            default:
                return null;
        }
    }
}
