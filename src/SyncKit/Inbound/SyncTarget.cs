using SyncKit.Records;

namespace SyncKit.Inbound;

/// <summary>What a pull does to a host record.</summary>
public enum PullAction
{
    /// <summary>The ledger has a record the host does not: create it.</summary>
    Create = 1,

    /// <summary>The host has the record: update it.</summary>
    Update = 2,

    /// <summary>The ledger archived, voided or deleted it: archive (or reverse) it in the host.</summary>
    Archive = 3,
}

/// <summary>One pulled change for a target to apply.</summary>
/// <typeparam name="TRecord">The pulled record type.</typeparam>
public sealed record PulledChange<TRecord>
    where TRecord : PulledRecord
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>What to do.</summary>
    public required PullAction Action { get; init; }

    /// <summary>The record as the ledger holds it.</summary>
    public required TRecord Record { get; init; }

    /// <summary>The host's id of the record when the engine knows it (from the ledger or an earlier pull), else null.</summary>
    public string? HostId { get; init; }

    /// <summary>
    /// The host's id of the record this one belongs to: for a payment, the host invoice it was matched to. Null when there is none.
    /// </summary>
    public string? ParentHostId { get; init; }

    /// <summary>
    /// True when this change was offered before and the process stopped before the engine recorded the outcome: apply it
    /// only if the host does not already hold <see cref="PulledRecord.RemoteId"/>.
    /// </summary>
    public bool MayBeApplied { get; init; }

    /// <summary>
    /// The fields of <see cref="Record"/> (its property names) to take from the ledger; null: all of them. Set when the
    /// host's record had a change waiting to be pushed and the tenant's per-field conflict policies kept some fields as the
    /// host has them: update only these, leave the others alone.
    /// </summary>
    public IReadOnlySet<string>? Fields { get; init; }

    /// <summary>Whether a field is to be taken from the ledger (see <see cref="Fields"/>).</summary>
    /// <param name="field">The property name of <see cref="Record"/>.</param>
    /// <returns>True when the target applies it.</returns>
    public bool Takes(string field) => Fields is null || Fields.Contains(field);
}

/// <summary>A pulled change the host could not take because its own record has a change waiting to be pushed.</summary>
public sealed record PullConflict
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>The kind.</summary>
    public required RecordKind Kind { get; init; }

    /// <summary>The host's id of the record.</summary>
    public required string HostId { get; init; }

    /// <summary>The ledger's id of the record.</summary>
    public required string RemoteId { get; init; }

    /// <summary>Why the pulled version was not applied, or what was done with it.</summary>
    public required string Reason { get; init; }

    /// <summary>The kind's conflict policy, which decided what happened to the pulled version.</summary>
    public Settings.ConflictPolicy Policy { get; init; }

    /// <summary>When per-field policies split the record: the fields taken from the ledger now. Empty otherwise.</summary>
    public IReadOnlyList<string> LedgerFields { get; init; } = [];

    /// <summary>When per-field policies split the record: the fields kept as the host has them. Empty otherwise.</summary>
    public IReadOnlyList<string> HostFields { get; init; } = [];
}

/// <summary>The host's side of one inbound kind. Implement <see cref="SyncTarget{TRecord}"/>.</summary>
public abstract class SyncTarget
{
    private protected SyncTarget()
    {
    }

    /// <summary>The kind of record this target takes.</summary>
    public abstract RecordKind Kind { get; }

    /// <summary>Told that a pulled change was not applied because the host's record has a local change waiting to be pushed.</summary>
    /// <param name="conflict">The conflict.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    /// <remarks>What happened to the pulled version is the kind's conflict policy (<see cref="PullConflict.Policy"/>). Show the conflict to the user if the host keeps both.</remarks>
    public virtual Task OnConflictAsync(PullConflict conflict, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>Whether the host has a change to the record that SyncKit has not pushed yet (not yet seen by a sync).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="hostId">The host's id of the record.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True to keep the host's version; the engine also refuses when the ledger holds the record Pending or InFlight.</returns>
    public virtual ValueTask<bool> HasPendingChangeAsync(string tenantId, string hostId, CancellationToken cancellationToken = default) => ValueTask.FromResult(false);

    /// <summary>When the host's record last changed locally: what <see cref="Settings.ConflictPolicy.NewestWins"/> compares with the ledger's change time.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="hostId">The host's id of the record.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>
    /// The time, or null when the host does not keep one (the default): the engine then takes when a sync saw the change
    /// (the ledger entry's time, no earlier than the change itself), and keeps the host's version when it knows neither.
    /// </returns>
    public virtual ValueTask<DateTimeOffset?> GetLocalChangeTimeAsync(string tenantId, string hostId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<DateTimeOffset?>(null);

    internal abstract Task<IReadOnlyList<string>> FindMatchesAnyAsync(string tenantId, PulledRecord record, CancellationToken cancellationToken);

    internal abstract Task<string?> ApplyAnyAsync(string tenantId, PullAction action, PulledRecord record, string? hostId, string? parentHostId, bool mayBeApplied, IReadOnlySet<string>? fields, CancellationToken cancellationToken);
}

/// <summary>Applies pulled records of one kind to the host's data.</summary>
/// <typeparam name="TRecord">The pulled record type.</typeparam>
/// <remarks>
/// The engine hands a target one record at a time, a page of the ledger's list at a time: a pull of 50,000 records
/// holds a page, never the 50,000. Make <see cref="ApplyAsync"/> idempotent on <see cref="PulledRecord.RemoteId"/>
/// (store the ledger's id beside the host's row): after a crash the engine offers the change again with
/// <see cref="PulledChange{TRecord}.MayBeApplied"/> set.
/// </remarks>
#pragma warning disable RS0022 // By design: hosts derive from the generic target only.
public abstract class SyncTarget<TRecord> : SyncTarget
#pragma warning restore RS0022
    where TRecord : PulledRecord
{
    /// <summary>Applies one pulled change to the host's data.</summary>
    /// <param name="change">The change.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The host's id of the record created or updated, or null when the host declined it.</returns>
    public abstract Task<string?> ApplyAsync(PulledChange<TRecord> change, CancellationToken cancellationToken = default);

    /// <summary>
    /// The host's records that may already be this pulled record, which the ledger does not know yet — a contact typed
    /// both in the host and in Xero — found as the host sees fit (name, email, account number).
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="record">The pulled record, not linked to any host record.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The host ids of the candidates; none (the default) creates a new host record.</returns>
    /// <remarks>
    /// Matching never merges: exactly one candidate that no other ledger record is linked to is updated and linked;
    /// several candidates, or one already linked to another ledger record, and the pulled record is created as a new one.
    /// </remarks>
    public virtual Task<IReadOnlyList<string>> FindMatchesAsync(string tenantId, TRecord record, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([]);

    internal override Task<IReadOnlyList<string>> FindMatchesAnyAsync(string tenantId, PulledRecord record, CancellationToken cancellationToken) =>
        FindMatchesAsync(tenantId, (TRecord)record, cancellationToken);

    internal override Task<string?> ApplyAnyAsync(string tenantId, PullAction action, PulledRecord record, string? hostId, string? parentHostId, bool mayBeApplied, IReadOnlySet<string>? fields, CancellationToken cancellationToken) =>
        ApplyAsync(
            new PulledChange<TRecord> { TenantId = tenantId, Action = action, Record = (TRecord)record, HostId = hostId, ParentHostId = parentHostId, MayBeApplied = mayBeApplied, Fields = fields },
            cancellationToken);
}

/// <summary>The host's side of payments made in the ledger: applies them and finds the open invoices a payment may be for.</summary>
/// <remarks>
/// A payment on an invoice SyncKit pushed is matched by the ledger's invoice id. For any other invoice the engine asks
/// <see cref="FindOpenInvoicesAsync"/> for the customer's open invoices of exactly the payment's amount: one is a match,
/// none or several put the payment on the reconciliation list, tried again every pull until it matches or a user links
/// or dismisses it.
/// </remarks>
public abstract class PaymentTarget : SyncTarget<PulledPayment>
{
    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.Payment;

    /// <summary>The host's open sales invoices of a customer with exactly this amount outstanding.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="customerHostId">The host's id of the customer, when the ledger links the payment's contact to one; else null.</param>
    /// <param name="payment">The payment (its contact's name and id in the ledger, amount and date).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The host ids of every fitting invoice; never a guess.</returns>
    public abstract Task<IReadOnlyList<string>> FindOpenInvoicesAsync(string tenantId, string? customerHostId, PulledPayment payment, CancellationToken cancellationToken = default);
}

/// <summary>The host's side of Practice Manager clients.</summary>
public abstract class ClientTarget : SyncTarget<PulledClient>
{
    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.Client;

    /// <summary>
    /// Whether each pulled client carries its custom field values. Practice Manager answers them one client per call, so a
    /// pull of 2,000 changed clients costs 2,000 more calls: leave it off unless the host shows them.
    /// </summary>
    public virtual bool IncludeCustomFields => false;

    /// <summary>
    /// Told the practice's custom field definitions before a pull that includes custom fields applies its clients (one
    /// <c>customfield.api/definition</c> read per pull), so the host can create or rename its own fields first.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="definitions">Every definition the practice has, client and job ones alike.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public virtual Task OnCustomFieldDefinitionsAsync(string tenantId, IReadOnlyList<PulledCustomFieldDefinition> definitions, CancellationToken cancellationToken = default) =>
        Task.CompletedTask;
}

/// <summary>
/// The host's side of Practice Manager jobs. An incremental pull reads the current jobs and, for each job the host had as
/// current that has left that list (completed, say), reads it by its number: the host hears of the completion.
/// </summary>
public abstract class JobTarget : SyncTarget<PulledJob>
{
    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.Job;

    /// <summary>
    /// Whether each pulled job carries its custom field values. Practice Manager answers them one job per call
    /// (<c>job.api/get/{number}/customfield</c>): leave it off unless the host shows them.
    /// </summary>
    public virtual bool IncludeCustomFields => false;

    /// <summary>Told the practice's custom field definitions before a pull that includes custom fields applies its jobs.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="definitions">Every definition the practice has, client and job ones alike.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public virtual Task OnCustomFieldDefinitionsAsync(string tenantId, IReadOnlyList<PulledCustomFieldDefinition> definitions, CancellationToken cancellationToken = default) =>
        Task.CompletedTask;
}

/// <summary>
/// The host's side of sales credit notes, for hosts that track refunds: those a user typed in Xero arrive as Create (then
/// Update as they are allocated), those SyncKit pushed as Update; voided or deleted ones as Archive. Each carries its
/// allocations, with the host's invoice id where the ledger knows it.
/// </summary>
public abstract class CreditNoteTarget : SyncTarget<PulledCreditNote>
{
    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.CreditNote;
}
