using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Storage;

namespace SyncKit.Inbound;

/// <summary>
/// What some kinds need beyond a list read from the watermark: Practice Manager jobs that left the current list, custom
/// field definitions, and credit notes (statuses of pushed ones, refunds typed in Xero, allocations).
/// </summary>
internal sealed partial class PullExecutor
{
    // Definitions are told once per kind per run, however many pages carry them.
    private readonly HashSet<RecordKind> _definitionsTold = [];

    /// <summary>Invoices and credit notes are pulled with or without a host target: their status changes are the ledger's own.</summary>
    private static bool PulledWithoutTarget(RecordKind kind) => kind is RecordKind.Invoice or RecordKind.CreditNote;

    private static bool IsArchived(PulledRecord record) =>
        record is PulledContact { Archived: true } or PulledClient { Archived: true } or PulledJob { Deleted: true } or PulledCreditNote { Cancelled: true };

    private static bool IncludesCustomFields(SyncTarget? target) =>
        target is ClientTarget { IncludeCustomFields: true } or JobTarget { IncludeCustomFields: true };

    /// <summary>What a status pull needs of a document: closed for good, its number and status, and whether it was cancelled.</summary>
    private static (bool Closed, string? Number, string Status, bool Cancelled) Describe(PulledRecord record) => record switch
    {
        PulledCreditNote note => (note.Closed, note.Number, note.Status, note.Cancelled),
        PulledDocumentStatus status => (status.Closed, status.Number, status.Status, status.Closed),
        _ => (false, null, string.Empty, false),
    };

    private async Task TellDefinitionsAsync(RecordKind kind, SyncTarget? target, PullPage page)
    {
        if (page.CustomFieldDefinitions.Count == 0 || !_definitionsTold.Add(kind))
        {
            return;
        }

        var told = target switch
        {
            ClientTarget clients => clients.OnCustomFieldDefinitionsAsync(tenantId, page.CustomFieldDefinitions, cancellationToken),
            JobTarget jobs => jobs.OnCustomFieldDefinitionsAsync(tenantId, page.CustomFieldDefinitions, cancellationToken),
            _ => Task.CompletedTask,
        };
        await told.ConfigureAwait(false);
    }

    /// <summary>
    /// Practice Manager's current jobs leave out a job completed since the last pull: every job the host holds as current
    /// that the list no longer has is read by its number (<c>job.api/get</c>), marked no longer current and applied, so the
    /// host hears of the completion. One not found any more is archived. A job once read this way is not read again until
    /// it comes back to the current list.
    /// </summary>
    private async Task PullJobsLeftCurrentAsync(SyncTarget? target, IReadOnlyList<PulledRecord> current)
    {
        if (target is null)
        {
            return;
        }

        var listed = current.Select(r => r.RemoteId).ToHashSet(StringComparer.Ordinal);
        var left = new Dictionary<string, PulledJob>(StringComparer.Ordinal);
        var pageSize = services.Options.PullPageSize;

        // The store lists by kind then id: start at the first job, stop at the first record of a later kind.
        (RecordKind, string)? after = (RecordKind.Job, string.Empty);
        while (true)
        {
            var rows = await store.ListRecordsAsync(tenantId, [InboundState.Applied], pageSize, after, cancellationToken).ConfigureAwait(false);
            var jobs = rows.TakeWhile(r => r.Kind == RecordKind.Job).ToList();
            foreach (var row in jobs)
            {
                if (!listed.Contains(row.RemoteId) && InboundJson.Deserialize(RecordKind.Job, row.PayloadJson) is PulledJob { Deleted: false, Current: not false } kept)
                {
                    left[row.RemoteId] = kept;
                }
            }

            if (jobs.Count < rows.Count || rows.Count < pageSize)
            {
                break;
            }

            after = (RecordKind.Job, rows[^1].RemoteId);
        }

        foreach (var ids in left.Keys.Chunk(MaxIdsPerRead))
        {
            var page = await services.Connector.ReadChangesAsync(
                new PullPageRequest { TenantId = tenantId, Kind = RecordKind.Job, Page = 1, PageSize = ids.Length, RemoteIds = ids, IncludeCustomFields = IncludesCustomFields(target) },
                cancellationToken).ConfigureAwait(false);
            counter.Calls += page.Calls;
            var read = page.Records.OfType<PulledJob>().ToDictionary(j => j.RemoteId, StringComparer.Ordinal);
            var stamp = page.AsOf ?? Now;

            // Gone from the practice altogether: the host archives its copy.
            var records = ids.Select(id => read.TryGetValue(id, out var job)
                    ? job with { Current = false }
                    : left[id] with { Deleted = true, Current = false, UpdatedAt = stamp })
                .ToList<PulledRecord>();
            counter.Seen += records.Count;
            await ApplyRecordsAsync(RecordKind.Job, target, records, timeless: true).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Credit notes: those the ledger knows (SyncKit pushed them, or a pull created them in the host) go the status way —
    /// closed in Xero makes the ledger entry Skipped — and the target, when there is one, gets each change with its
    /// allocations; those typed in Xero reach a target as new records (a host without a credit-note target ignores them).
    /// </summary>
    private async Task ApplyCreditNotesAsync(SyncTarget? target, IReadOnlyList<PulledCreditNote> notes)
    {
        if (notes.Count == 0)
        {
            return;
        }

        var invoices = await services.Ledger.FindOwnersAsync(
            tenantId, RecordKind.Invoice, [.. notes.SelectMany(n => n.Allocations).Select(a => a.InvoiceRemoteId).Distinct(StringComparer.Ordinal)], cancellationToken).ConfigureAwait(false);
        var resolved = notes.Select(n => n.Allocations.Count == 0 ? n : n with
        {
            Allocations = [.. n.Allocations.Select(a => a with { InvoiceHostId = invoices.TryGetValue(a.InvoiceRemoteId, out var owner) ? owner.SourceId : null })],
        }).ToList();
        // A negative invoice SyncKit sent as a credit note is in the ledger as an invoice holding the credit note's id.
        var ids = resolved.Select(n => n.RemoteId).Distinct(StringComparer.Ordinal).ToArray();
        var owners = new Dictionary<string, LedgerKey>(await services.Ledger.FindOwnersAsync(tenantId, RecordKind.Invoice, ids, cancellationToken).ConfigureAwait(false), StringComparer.Ordinal);
        foreach (var (remoteId, owner) in await services.Ledger.FindOwnersAsync(tenantId, RecordKind.CreditNote, ids, cancellationToken).ConfigureAwait(false))
        {
            owners[remoteId] = owner;
        }

        await ApplyStatusesAsync(RecordKind.CreditNote, target, [.. resolved.Where(n => owners.ContainsKey(n.RemoteId))], owners).ConfigureAwait(false);
        var typedInXero = resolved.Where(n => !owners.ContainsKey(n.RemoteId)).ToList<PulledRecord>();
        if (target is null)
        {
            counter.Unchanged += typedInXero.Count;
            return;
        }

        await ApplyRecordsAsync(RecordKind.CreditNote, target, typedInXero, timeless: false).ConfigureAwait(false);
    }
}
