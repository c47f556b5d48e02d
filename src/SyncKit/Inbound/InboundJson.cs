using System.Text.Json;
using System.Text.Json.Serialization;
using SyncKit.Records;

namespace SyncKit.Inbound;

/// <summary>
/// The pulled records kept with their inbound rows: a payment on the reconciliation list is retried, and a change kept
/// during a conflict is applied later, without reading the ledger again.
/// </summary>
[JsonSerializable(typeof(PulledPayment))]
[JsonSerializable(typeof(PulledContact))]
[JsonSerializable(typeof(PulledDocumentStatus))]
[JsonSerializable(typeof(PulledClient))]
[JsonSerializable(typeof(PulledJob))]
[JsonSerializable(typeof(PulledStaff))]
[JsonSerializable(typeof(PulledCreditNote))]
internal sealed partial class InboundJsonContext : JsonSerializerContext;

internal static class InboundJson
{
    public static string Serialize(PulledPayment payment) => JsonSerializer.Serialize(payment, InboundJsonContext.Default.PulledPayment);

    public static PulledPayment? DeserializePayment(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize(json, InboundJsonContext.Default.PulledPayment);

    /// <summary>Any pulled record, by its concrete type.</summary>
    public static string Serialize(PulledRecord record) => record switch
    {
        PulledPayment p => JsonSerializer.Serialize(p, InboundJsonContext.Default.PulledPayment),
        PulledContact c => JsonSerializer.Serialize(c, InboundJsonContext.Default.PulledContact),
        PulledDocumentStatus d => JsonSerializer.Serialize(d, InboundJsonContext.Default.PulledDocumentStatus),
        PulledClient c => JsonSerializer.Serialize(c, InboundJsonContext.Default.PulledClient),
        PulledJob j => JsonSerializer.Serialize(j, InboundJsonContext.Default.PulledJob),
        PulledStaff s => JsonSerializer.Serialize(s, InboundJsonContext.Default.PulledStaff),
        PulledCreditNote n => JsonSerializer.Serialize(n, InboundJsonContext.Default.PulledCreditNote),
        _ => throw new NotSupportedException($"Pulled records of type {record.GetType().Name} cannot be kept."),
    };

    /// <summary>A kept record of a kind, or null when none was kept.</summary>
    public static PulledRecord? Deserialize(RecordKind kind, string? json) => string.IsNullOrEmpty(json) ? null : kind switch
    {
        RecordKind.Payment => JsonSerializer.Deserialize(json, InboundJsonContext.Default.PulledPayment),
        RecordKind.Contact => JsonSerializer.Deserialize(json, InboundJsonContext.Default.PulledContact),
        RecordKind.Invoice => JsonSerializer.Deserialize(json, InboundJsonContext.Default.PulledDocumentStatus),
        RecordKind.Client => JsonSerializer.Deserialize(json, InboundJsonContext.Default.PulledClient),
        RecordKind.Job => JsonSerializer.Deserialize(json, InboundJsonContext.Default.PulledJob),
        RecordKind.Staff => JsonSerializer.Deserialize(json, InboundJsonContext.Default.PulledStaff),
        RecordKind.CreditNote => JsonSerializer.Deserialize(json, InboundJsonContext.Default.PulledCreditNote),
        _ => null,
    };

    /// <summary>
    /// Whether a kept record says the same as a pulled one, change time aside: how a record of a ledger without change
    /// times (Practice Manager), read again unchanged, is recognised.
    /// </summary>
    public static bool SameContent(RecordKind kind, string? keptJson, PulledRecord pulled) =>
        Deserialize(kind, keptJson) is { } kept
        && string.Equals(Serialize(kept with { UpdatedAt = DateTimeOffset.UnixEpoch }), Serialize(pulled with { UpdatedAt = DateTimeOffset.UnixEpoch }), StringComparison.Ordinal);
}
