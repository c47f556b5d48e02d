using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SyncKit.Testing.Emulator.State;

namespace SyncKit.Testing.Emulator.Http;

/// <summary>A transport-neutral response.</summary>
internal sealed class EmulatorResponse
{
    public required int StatusCode { get; init; }

    public string? ContentType { get; init; }

    public byte[] Body { get; init; } = [];

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>When true the transport drops the connection after the work is done ("commit then drop").</summary>
    public bool DropConnection { get; set; }

    public string BodyText => Encoding.UTF8.GetString(Body);

    public static EmulatorResponse Json(HttpStatusCode status, JsonNode body) => new()
    {
        StatusCode = (int)status,
        ContentType = "application/json; charset=utf-8",
        Body = XeroJson.Serialize(body),
    };

    public static EmulatorResponse Text(HttpStatusCode status, string text) => new()
    {
        StatusCode = (int)status,
        ContentType = "text/plain; charset=utf-8",
        Body = Encoding.UTF8.GetBytes(text),
    };

    public static EmulatorResponse Xml(HttpStatusCode status, string xml) => new()
    {
        StatusCode = (int)status,
        ContentType = "text/xml; charset=utf-8",
        Body = Encoding.UTF8.GetBytes(xml),
    };

    public static EmulatorResponse Empty(HttpStatusCode status) => new() { StatusCode = (int)status };

    /// <summary>Xero's problem-details body for 401/403.</summary>
    public static EmulatorResponse Problem(HttpStatusCode status, string title, string detail, Guid instance) => Json(status, new JsonObject
    {
        ["Type"] = null,
        ["Title"] = title,
        ["Status"] = (int)status,
        ["Detail"] = detail,
        ["Instance"] = instance.ToString(),
        ["Extensions"] = new JsonObject(),
    });

    public EmulatorResponse Copy()
    {
        var copy = new EmulatorResponse { StatusCode = StatusCode, ContentType = ContentType, Body = Body };
        foreach (var (k, v) in Headers)
        {
            copy.Headers[k] = v;
        }

        return copy;
    }
}
