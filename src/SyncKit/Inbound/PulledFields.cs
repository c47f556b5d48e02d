using System.Collections.Frozen;
using System.Reflection;
using SyncKit.Records;

namespace SyncKit.Inbound;

/// <summary>
/// The fields of each kind's pulled record that a per-field conflict policy may name: the record type's settable
/// properties, less the ledger's id and change time (which are not the host's to keep).
/// </summary>
internal static class PulledFields
{
    private static readonly FrozenDictionary<RecordKind, FrozenSet<string>> s_fields = new Dictionary<RecordKind, FrozenSet<string>>
    {
        [RecordKind.Contact] = Of(typeof(PulledContact)),
        [RecordKind.Payment] = Of(typeof(PulledPayment)),
        [RecordKind.Invoice] = Of(typeof(PulledDocumentStatus)),
        [RecordKind.Client] = Of(typeof(PulledClient)),
        [RecordKind.Job] = Of(typeof(PulledJob)),
        [RecordKind.Staff] = Of(typeof(PulledStaff)),
    }.ToFrozenDictionary();

    /// <summary>The fields of a kind's pulled record; empty for a kind that is not pulled.</summary>
    public static IReadOnlySet<string> For(RecordKind kind) => s_fields.TryGetValue(kind, out var fields) ? fields : FrozenSet<string>.Empty;

    private static FrozenSet<string> Of([System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicProperties)] Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.Name is not (nameof(PulledRecord.RemoteId) or nameof(PulledRecord.UpdatedAt)))
            .Select(p => p.Name)
            .ToFrozenSet(StringComparer.Ordinal);
}
