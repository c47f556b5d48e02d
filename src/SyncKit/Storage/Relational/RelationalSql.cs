namespace SyncKit.Storage.Relational;

/// <summary>
/// The statements a relational provider supplies to the shared stores. Each provider sets every one of them (the compiler
/// checks), in its own dialect, in its own SQL class: the one place its SQL text lives. Named parameters are written <c>@name</c>.
/// </summary>
internal abstract class RelationalSql
{
    /// <summary>The name <see cref="SchemaVersionTableExists"/> looks for, as its <c>@name</c> parameter.</summary>
    public required string SchemaVersionTable { get; init; }

    public required string SchemaVersionCreate { get; init; }

    /// <summary>A scalar that is non-zero (or true) when the schema version table exists.</summary>
    public required string SchemaVersionTableExists { get; init; }

    public required string SchemaVersionRead { get; init; }

    public required string SchemaVersionInsert { get; init; }

    public required string LedgerGet { get; init; }

    /// <summary>Takes <c>@source_ids</c> as the dialect's text array.</summary>
    public required string LedgerGetMany { get; init; }

    /// <summary>The entry's values in <see cref="RelationalRows.LedgerParameterNames"/> order, with the new version last.</summary>
    public required string LedgerInsert { get; init; }

    /// <summary>As <see cref="LedgerInsert"/>, then the expected version.</summary>
    public required string LedgerUpdate { get; init; }

    public required string LedgerQuerySelect { get; init; }

    /// <summary>
    /// Rows of <c>remote_id, source_id</c> for the entries of <c>@tenant_id</c> and <c>@kind</c> holding one of <c>@remote_ids</c>
    /// (the dialect's text array), ordered by remote id then source id; served by the (tenant, kind, remote id) index.
    /// </summary>
    public required string LedgerFindOwners { get; init; }

    /// <summary>
    /// Clears <c>outcome_pending</c> on one entry, by key, only when its stored version equals the given one; the version is
    /// not changed. Takes <see cref="RelationalRows.AcknowledgeParameterNames"/> in order (named or positional).
    /// </summary>
    public required string LedgerAcknowledgeOutcome { get; init; }

    /// <summary>Two result sets: counts by state, then by error category.</summary>
    public required string LedgerCount { get; init; }

    // Query fragments appended to LedgerQuerySelect as the filter needs them.
    public required string QueryAfter { get; init; }

    public required string QueryStates { get; init; }

    public required string QueryKinds { get; init; }

    public required string QueryErrorCategory { get; init; }

    public required string QueryMissingMapping { get; init; }

    public required string QueryNotTouchedBy { get; init; }

    public required string QueryTouchedBy { get; init; }

    public required string QueryDueAt { get; init; }

    /// <summary>Takes <c>@outcome_pending</c> as a boolean.</summary>
    public required string QueryOutcomePending { get; init; }

    public required string QueryOrderLimit { get; init; }

    public required string MappingGet { get; init; }

    public required string MappingGetAll { get; init; }

    public required string MappingSet { get; init; }

    public required string MappingRemove { get; init; }

    public required string RunSave { get; init; }

    public required string RunGet { get; init; }

    public required string RunList { get; init; }

    public required string TenantGet { get; init; }

    public required string TenantList { get; init; }

    public required string TenantSave { get; init; }

    public required string LeaseAcquire { get; init; }

    public required string LeaseRenew { get; init; }

    public required string LeaseRelease { get; init; }

    public required string LeaseGet { get; init; }

    /// <summary>Deletes the tenant's row and its leases, by <c>@tenant_id</c>; the first statement's count says whether the tenant was known.</summary>
    public required string TenantDelete { get; init; }

    /// <summary>Offboarding: deletes every row of <c>@tenant_id</c> from the ledger.</summary>
    public required string LedgerDeleteTenant { get; init; }

    public required string MappingDeleteTenant { get; init; }

    public required string RunDeleteTenant { get; init; }

    /// <summary>Deletes the tenant's inbound records and pull cursors.</summary>
    public required string InboundDeleteTenant { get; init; }

    public required string ReferenceDelete { get; init; }

    /// <summary>Every row of the scheduler's rota (<c>tenant_id, due_at, claimed_by, claimed_until</c>), by tenant.</summary>
    public required string ScheduleList { get; init; }

    /// <summary>Inserts <c>@tenant_id</c> due at <c>@due_at</c> unless it has a row (affects 0 rows then).</summary>
    public required string ScheduleAdd { get; init; }

    /// <summary>
    /// Claims up to <c>@limit</c> rows due by <c>@now</c> that no one holds, earliest first, for <c>@claimed_by</c> until
    /// <c>@claimed_until</c>, in one statement, returning them; concurrent claimers never get the same row.
    /// </summary>
    public required string ScheduleClaim { get; init; }

    /// <summary>Sets <c>@claimed_until</c> on the row of <c>@tenant_id</c> still held by <c>@claimed_by</c> at <c>@due_at</c>.</summary>
    public required string ScheduleRenew { get; init; }

    /// <summary>As <see cref="ScheduleRenew"/>'s match: moves the row to <c>@next_due_at</c> and frees it.</summary>
    public required string ScheduleComplete { get; init; }

    /// <summary>As <see cref="ScheduleRenew"/>'s match: frees the row, still due.</summary>
    public required string ScheduleRelease { get; init; }

    public required string TokenGet { get; init; }

    public required string TokenInsert { get; init; }

    public required string TokenUpdate { get; init; }

    public required string TokenDelete { get; init; }

    public required string ReferenceGet { get; init; }

    public required string ReferenceSet { get; init; }

    public required string InboundCursorGet { get; init; }

    public required string TenantSettingsGet { get; init; }

    public required string TenantSettingsSave { get; init; }

    /// <summary>Adds <c>@bytes</c> to a (tenant, month, endpoint) egress counter, creating it when missing.</summary>
    public required string EgressAdd { get; init; }

    public required string EgressGet { get; init; }

    public required string CallWindowSave { get; init; }

    public required string CallWindowGet { get; init; }

    public required string InboundCursorSave { get; init; }

    /// <summary>Takes <c>@remote_ids</c> as the dialect's text array.</summary>
    public required string InboundRecordGetMany { get; init; }

    public required string InboundRecordSave { get; init; }

    /// <summary>Takes <c>@states</c> as the dialect's integer array and <c>@after_kind</c> / <c>@after_remote_id</c> (null for the first page).</summary>
    public required string InboundRecordList { get; init; }

    /// <summary>Inserts one webhook event unless its id is held (affects 0 rows then).</summary>
    public required string WebhookAdd { get; init; }

    /// <summary>
    /// Claims free received events (<c>@now</c>, <c>@claim_id</c>, <c>@claim_until</c>, <c>@received_before</c>, <c>@limit</c>) in one
    /// statement, returning their rows; concurrent claimers never get the same event.
    /// </summary>
    public required string WebhookClaim { get; init; }

    /// <summary>Takes <c>@event_ids</c> as the dialect's text array.</summary>
    public required string WebhookComplete { get; init; }

    /// <summary>Takes <c>@event_ids</c> as the dialect's text array.</summary>
    public required string WebhookRelease { get; init; }

    /// <summary>Takes <c>@event_ids</c> as the dialect's text array.</summary>
    public required string WebhookGetMany { get; init; }

    /// <summary>One row, one column: the newest received time, for <c>@tenant_id</c> or (null) every tenant.</summary>
    public required string WebhookLastReceived { get; init; }

    /// <summary>Substitutes the configured table prefix or schema into a schema script.</summary>
    public abstract string ApplyToScript(string script);
}
