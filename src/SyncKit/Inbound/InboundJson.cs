using System.Text.Json;
using System.Text.Json.Serialization;

namespace SyncKit.Inbound;

/// <summary>The pulled records kept with their inbound rows, so a payment on the reconciliation list is retried without reading Xero again.</summary>
[JsonSerializable(typeof(PulledPayment))]
internal sealed partial class InboundJsonContext : JsonSerializerContext;

internal static class InboundJson
{
    public static string Serialize(PulledPayment payment) => JsonSerializer.Serialize(payment, InboundJsonContext.Default.PulledPayment);

    public static PulledPayment? DeserializePayment(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize(json, InboundJsonContext.Default.PulledPayment);
}
