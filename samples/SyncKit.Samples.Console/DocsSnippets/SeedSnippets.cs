using System.Collections.Concurrent;
using System.Globalization;
using SyncKit.Inbound;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Sources;
using SyncKit.Storage;

namespace SyncKit.Samples.Console.DocsSnippets;

// The FYI and Syncro seed pages (docs/seeds/fyi.md, docs/seeds/syncro.md) in SyncKit's inbound calls, compiled here.
internal static class SeedSnippets
{
    // FYI: "Sync Clients", "Sync Jobs", "Sync Staff": one pull of one kind per button.
    public static async Task<string> SyncButtonAsync(ISyncEngine engine, string tenantId, RecordKind kind, string user, CancellationToken cancellationToken)
    {
        var run = await engine.PullAsync(new PullRequest { TenantId = tenantId, Kinds = [kind], RequestedBy = user }, cancellationToken);
        return run.Outcome switch
        {
            // Refused: another run of this tenant is under way. The refusal has its own row in the activity log.
            RunOutcome.AlreadyRunning => "Syncing",

            // Practice Manager's daily limit: the next pull carries on from the page this one reached.
            RunOutcome.Paused => $"Sync Paused until {run.PausedUntil:yyyy-MM-dd HH:mm} UTC",
            RunOutcome.Completed => $"{run.Counts.Synced} updated, {run.Counts.Unchanged} unchanged",
            _ => $"{run.Outcome}: {run.Message}",
        };
    }

    // FYI: "Sync Job" on the Job - Summary tab: that job only, read by its number, with its custom fields.
    public static Task<SyncRun> SyncJobAsync(ISyncEngine engine, string tenantId, string jobNumber, string user, CancellationToken cancellationToken) =>
        engine.PullAsync(
            new PullRequest
            {
                TenantId = tenantId,
                RemoteIds = new Dictionary<RecordKind, IReadOnlyList<string>> { [RecordKind.Job] = [jobNumber] },
                RequestedBy = user,
            },
            cancellationToken);

    // FYI: "Sync from PM" on a client's Custom Fields tab: that client only, with its custom fields.
    public static Task<SyncRun> SyncClientFromPracticeManagerAsync(ISyncEngine engine, string tenantId, string clientUuid, string user, CancellationToken cancellationToken) =>
        engine.PullAsync(
            new PullRequest
            {
                TenantId = tenantId,
                RemoteIds = new Dictionary<RecordKind, IReadOnlyList<string>> { [RecordKind.Client] = [clientUuid] },
                RequestedBy = user,
            },
            cancellationToken);

    // FYI: jobs of a period, completed ones included (job.api/list?from=&to=).
    public static Task<SyncRun> SyncJobsOfPeriodAsync(ISyncEngine engine, string tenantId, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        engine.PullAsync(new PullRequest { TenantId = tenantId, Kinds = [RecordKind.Job], JobsFrom = from, JobsTo = to }, cancellationToken);

    // FYI: Practice Activity: an entry for every requested sync, refused ones included.
    public static async Task<IReadOnlyList<string>> PracticeActivityAsync(ISyncEngine engine, string tenantId, CancellationToken cancellationToken)
    {
        var runs = await engine.GetActivityAsync(tenantId, 50, cancellationToken);
        return [.. runs.Select(r => $"{r.StartedAt:yyyy-MM-dd HH:mm} {r.RequestedBy} {string.Join(", ", r.Kinds)}: {r.Outcome} {r.Message}")];
    }

    // Syncro: "Attempt to Import Payments from Xero".
    public static Task<SyncRun> ImportPaymentsAsync(ISyncEngine engine, string tenantId, CancellationToken cancellationToken) =>
        engine.PullAsync(new PullRequest { TenantId = tenantId, Kinds = [RecordKind.Payment], RequestedBy = "finance" }, cancellationToken);

    // Syncro: "vendors in Xero are imported when you import Xero contacts".
    public static Task<SyncRun> ImportXeroContactsAsync(ISyncEngine engine, string tenantId, CancellationToken cancellationToken) =>
        engine.PullAsync(new PullRequest { TenantId = tenantId, Kinds = [RecordKind.Contact] }, cancellationToken);

    // Syncro: the finance team reconciles what did not match, instead of "Syncro will not try again".
    public static async Task ReconcileAsync(ISyncEngine engine, string tenantId, Func<InboundRecord, string?> chooseInvoice, CancellationToken cancellationToken)
    {
        foreach (var listed in await engine.GetReconciliationListAsync(tenantId, 100, cancellationToken))
        {
            if (listed.Kind != RecordKind.Payment)
            {
                continue;
            }

            // listed.Message says why; listed.Candidates are the host invoices that fit (several) or none.
            if (chooseInvoice(listed) is { } invoiceHostId)
            {
                await engine.LinkPulledPaymentAsync(tenantId, listed.RemoteId, invoiceHostId, cancellationToken);
            }
            else
            {
                await engine.DismissPulledAsync(tenantId, RecordKind.Payment, listed.RemoteId, cancellationToken);
            }
        }
    }

    // Syncro: "Re-Sync to Xero" on an invoice's Actions menu.
    public static Task<RecordOutcome> ResyncInvoiceAsync(ISyncEngine engine, string tenantId, string invoiceId, string user, CancellationToken cancellationToken) =>
        engine.SyncRecordAsync(new LedgerKey(tenantId, RecordKind.Invoice, invoiceId), user, cancellationToken);

    // Syncro: refunds. Credit notes typed in Xero, and their allocations to invoices, reach the host.
    public static Task<SyncRun> ImportRefundsAsync(ISyncEngine engine, string tenantId, CancellationToken cancellationToken) =>
        engine.PullAsync(new PullRequest { TenantId = tenantId, Kinds = [RecordKind.CreditNote] }, cancellationToken);
}

// FYI: jobs with their custom fields, the practice's field definitions first; "Pending Sync" keeps a local edit.
internal sealed class PracticeJobs(ConcurrentDictionary<string, PulledJob> jobs, ConcurrentDictionary<string, bool> pendingSync) : JobTarget
{
    public override bool IncludeCustomFields => true;

    public override Task OnCustomFieldDefinitionsAsync(string tenantId, IReadOnlyList<PulledCustomFieldDefinition> definitions, CancellationToken cancellationToken = default)
    {
        foreach (var definition in definitions.Where(d => d.AppliesToJobs))
        {
            System.Console.WriteLine($"Job field {definition.Name} ({definition.Type})");
        }

        return Task.CompletedTask;
    }

    public override ValueTask<bool> HasPendingChangeAsync(string tenantId, string hostId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(pendingSync.ContainsKey(hostId));

    public override Task<string?> ApplyAsync(PulledChange<PulledJob> change, CancellationToken cancellationToken = default)
    {
        // A completed job arrives as an Update with State "Completed" and Current false; a deleted one as Archive.
        var hostId = change.HostId ?? "job-" + change.Record.RemoteId;
        jobs[hostId] = change.Record;
        return Task.FromResult<string?>(hostId);
    }
}

// Syncro: refunds typed in Xero, with the invoices they were allocated to.
internal sealed class Refunds(ConcurrentDictionary<string, PulledCreditNote> refunds) : CreditNoteTarget
{
    public override Task<string?> ApplyAsync(PulledChange<PulledCreditNote> change, CancellationToken cancellationToken = default)
    {
        var hostId = change.HostId ?? "refund-" + change.Record.RemoteId;
        refunds[hostId] = change.Record;
        foreach (var allocation in change.Record.Allocations)
        {
            // InvoiceHostId is the host's invoice when SyncKit pushed it; null for an invoice typed in Xero.
            var amount = allocation.Amount.ToString("0.00", CultureInfo.InvariantCulture);
            System.Console.WriteLine($"{change.Record.Number}: {amount} to {allocation.InvoiceHostId ?? allocation.InvoiceNumber}");
        }

        return Task.FromResult<string?>(hostId);
    }
}
