using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Storage;

namespace SyncKit.AspNetCore.Dashboard;

/// <summary>What each dashboard action does with the engine; each returns the notice the user reads next.</summary>
internal static class TenantActions
{
    /// <summary>Bulk actions by category touch at most this many records per press (the rest on the next press).</summary>
    private const int BulkLimit = 1000;

    public static Task<string> SyncAllAsync(HttpContext c, string tenantId, CancellationToken _)
    {
        var engine = c.RequestServices.GetRequiredService<ISyncEngine>();
        var user = DashboardGuard.UserName(c.User);
        var started = c.RequestServices.GetRequiredService<DashboardRuns>().TryStart(
            tenantId,
            ct => engine.SyncAsync(new SyncRequest { TenantId = tenantId, Trigger = SyncTrigger.Manual, RequestedBy = user }, ct));
        return Task.FromResult(started ? "Sync All started. This page shows its progress." : "A sync is already under way.");
    }

    public static async Task<string> RetryAsync(HttpContext c, string tenantId, IFormCollection form, CancellationToken cancellationToken)
    {
        var engine = c.RequestServices.GetRequiredService<ISyncEngine>();
        var user = DashboardGuard.UserName(c.User);
        var keys = DashboardEndpoints.Keys(tenantId, form);
        if (keys.Count == 1)
        {
            // One record is sent now, so the user sees its outcome on the next page.
            var outcome = await engine.SyncRecordAsync(keys[0], user, cancellationToken).ConfigureAwait(false);
            return $"{keys[0].Kind} {keys[0].SourceId}: {Pages.DashboardView.StateLabel(outcome.State)}"
                + (outcome.Error is { } error ? $" — {error.Reason}" : string.Empty);
        }

        var category = form["category"].ToString();
        var request = new RetryRequest { TenantId = tenantId, ErrorCategory = category.Length > 0 ? category : null, RequestedBy = user };
        var started = c.RequestServices.GetRequiredService<DashboardRuns>().TryStart(tenantId, ct => engine.RetryAsync(request, ct));
        return started
            ? $"Retry started for {(request.ErrorCategory is null ? "every failed record" : $"the records in {request.ErrorCategory}")}. This page shows its progress."
            : "A sync is already under way: retry when it completes.";
    }

    public static async Task<string> SkipAsync(HttpContext c, string tenantId, IFormCollection form, CancellationToken cancellationToken)
    {
        var engine = c.RequestServices.GetRequiredService<ISyncEngine>();
        var undo = form["undo"].ToString() == "true";
        var keys = await KeysOrCategoryAsync(engine, tenantId, form, undo ? LedgerState.Skipped : null, cancellationToken).ConfigureAwait(false);
        foreach (var key in keys)
        {
            _ = undo
                ? await engine.UnskipAsync(key, cancellationToken).ConfigureAwait(false)
                : await engine.SkipAsync(key, $"Skipped by {DashboardGuard.UserName(c.User)} on the dashboard", cancellationToken).ConfigureAwait(false);
        }

        return undo
            ? $"{DashboardEndpoints.Count(keys.Count, "record", "records")} will be sent again."
            : $"{DashboardEndpoints.Count(keys.Count, "record", "records")} marked \"do not send\".";
    }

    public static async Task<string> ResolveAsync(HttpContext c, string tenantId, IFormCollection form, CancellationToken cancellationToken)
    {
        var engine = c.RequestServices.GetRequiredService<ISyncEngine>();
        var keys = await KeysOrCategoryAsync(engine, tenantId, form, null, cancellationToken).ConfigureAwait(false);
        var remoteId = form["remoteId"].ToString();
        foreach (var key in keys)
        {
            await engine.MarkResolvedAsync(key, remoteId.Length > 0 && keys.Count == 1 ? remoteId : null, cancellationToken).ConfigureAwait(false);
        }

        return $"{DashboardEndpoints.Count(keys.Count, "record", "records")} marked resolved.";
    }

    public static async Task<string> ReleaseAsync(HttpContext c, string tenantId, IFormCollection form, CancellationToken cancellationToken)
    {
        var engine = c.RequestServices.GetRequiredService<ISyncEngine>();
        var keys = DashboardEndpoints.Keys(tenantId, form);
        if (form["all"].ToString() == "true")
        {
            var page = await engine.QueryLedgerAsync(new LedgerQuery { TenantId = tenantId, States = [LedgerState.Held], PageSize = BulkLimit }, cancellationToken).ConfigureAwait(false);
            // A push held for a conflict waits for the user's choice on the reconciliation list, not for "send all".
            keys = page.Entries.Where(e => e.Error?.RuleId != "engine.conflict-held").Select(e => e.Key).ToList();
        }

        if (keys.Count == 0)
        {
            return "Choose the records to send first.";
        }

        var released = await engine.ReleaseAsync(keys.ToArray(), cancellationToken).ConfigureAwait(false);

        // "Send" means send: the released records go now, in a run of their kinds, rather than at the next scheduled sync.
        var user = DashboardGuard.UserName(c.User);
        var kinds = keys.Select(k => k.Kind).Distinct().ToArray();
        var started = c.RequestServices.GetRequiredService<DashboardRuns>().TryStart(
            tenantId,
            ct => engine.SyncAsync(new SyncRequest { TenantId = tenantId, Kinds = kinds, Trigger = SyncTrigger.Manual, RequestedBy = user }, ct));
        return $"{DashboardEndpoints.Count(released, "record", "records")} sent for syncing"
            + (started ? "; the sync is under way." : "; they go with the sync already under way or the next one.");
    }

    public static async Task<string> MapAsync(HttpContext c, string tenantId, IFormCollection form, CancellationToken cancellationToken)
    {
        var local = form["local"].ToString().Trim();
        var remote = form["remote"].ToString().Trim();
        if (!DashboardEndpoints.TryMappingKind(form["kind"], out var kind) || local.Length == 0 || remote.Length == 0)
        {
            return "Not saved: choose what to map and what to map it to.";
        }

        var engine = c.RequestServices.GetRequiredService<ISyncEngine>();
        var returned = await engine.SetMappingAsync(tenantId, kind, local, remote, cancellationToken).ConfigureAwait(false);
        return $"Mapped {kind} {local} to {remote}: {DashboardEndpoints.Count(returned, "record", "records")} back to Pending. Retry them, or they go with the next sync.";
    }

    public static async Task<string> DismissAsync(HttpContext c, string tenantId, IFormCollection form, CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<RecordKind>(form["kind"], out var kind) || form["remoteId"].ToString() is not { Length: > 0 } remoteId)
        {
            return "Not dismissed: the record is missing.";
        }

        var engine = c.RequestServices.GetRequiredService<ISyncEngine>();
        var record = await engine.DismissPulledAsync(tenantId, kind, remoteId, cancellationToken).ConfigureAwait(false);
        return $"Dismissed {record.DisplayName ?? record.RemoteId}.";
    }

    public static async Task<string> LinkPaymentAsync(HttpContext c, string tenantId, IFormCollection form, CancellationToken cancellationToken)
    {
        if (form["remoteId"].ToString() is not { Length: > 0 } remoteId || form["invoice"].ToString() is not { Length: > 0 } invoice)
        {
            return "Not linked: choose the payment and the invoice it pays.";
        }

        var engine = c.RequestServices.GetRequiredService<ISyncEngine>();
        var record = await engine.LinkPulledPaymentAsync(tenantId, remoteId, invoice, cancellationToken).ConfigureAwait(false);
        return $"Linked {record.DisplayName ?? record.RemoteId} to invoice {invoice}: the next pull records it there.";
    }

    public static async Task<string> ResolveConflictAsync(HttpContext c, string tenantId, IFormCollection form, CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<RecordKind>(form["kind"], out var kind) || form["remoteId"].ToString() is not { Length: > 0 } remoteId
            || form["take"].ToString() is not ("ours" or "ledger"))
        {
            return "Not resolved: the record or the choice is missing.";
        }

        var engine = c.RequestServices.GetRequiredService<ISyncEngine>();
        var take = form["take"].ToString();
        var record = await engine.ResolvePulledConflictAsync(tenantId, kind, remoteId, takeLedgerVersion: take == "ledger", cancellationToken).ConfigureAwait(false);
        return take == "ledger"
            ? $"Took Xero's version of {record.DisplayName ?? record.RemoteId}."
            : $"Kept your version of {record.DisplayName ?? record.RemoteId}.";
    }

    /// <summary>The records a row's button names, or every record (Failed and Unmapped, or the given state) of the form's category.</summary>
    private static async Task<IReadOnlyList<LedgerKey>> KeysOrCategoryAsync(ISyncEngine engine, string tenantId, IFormCollection form, LedgerState? state, CancellationToken cancellationToken)
    {
        var keys = DashboardEndpoints.Keys(tenantId, form);
        if (keys.Count > 0 || form["category"].ToString() is not { Length: > 0 } category)
        {
            return keys;
        }

        var page = await engine.QueryLedgerAsync(
            new LedgerQuery
            {
                TenantId = tenantId,
                States = state is { } s ? [s] : [LedgerState.Failed, LedgerState.Unmapped, LedgerState.Uncertain, LedgerState.RetryScheduled],
                ErrorCategory = category,
                PageSize = BulkLimit,
            },
            cancellationToken).ConfigureAwait(false);
        return page.Entries.Select(e => e.Key).ToList();
    }
}
