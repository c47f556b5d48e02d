using SyncKit.Records;

namespace SyncKit.Ledger;

/// <summary>Identifies one ledger entry: a record of one kind from one tenant.</summary>
/// <param name="TenantId">The tenant (for Xero, the organisation's tenant id).</param>
/// <param name="Kind">The record kind.</param>
/// <param name="SourceId">The host's id of the record.</param>
public readonly record struct LedgerKey(string TenantId, RecordKind Kind, string SourceId)
{
    /// <inheritdoc />
    public override string ToString() => $"{TenantId}/{Kind}/{SourceId}";
}
