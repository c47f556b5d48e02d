using Microsoft.Extensions.DependencyInjection;
using SyncKit.Ledger;
using SyncKit.Runs;
using SyncKit.Storage;

namespace SyncKit.AspNetCore.Dashboard.Pages;

/// <summary>The activity log (every run: trigger, who, counts, duration, outcome), one run's records, and the dashboard's action log.</summary>
internal static class ActivityPages
{
    public static async Task<string?> ActivityAsync(DashboardView view, string tenantId, CancellationToken cancellationToken)
    {
        var services = view.Context.RequestServices;
        var runs = await services.GetRequiredService<ISyncEngine>().GetActivityAsync(tenantId, 100, cancellationToken).ConfigureAwait(false);
        var body = new HtmlPage();
        body.Raw("<div class=\"table-wrap\"><table><caption>Syncs, newest first</caption><thead><tr><th scope=\"col\">Started</th><th scope=\"col\">Trigger</th><th scope=\"col\">Requested by</th><th scope=\"col\" class=\"num\">Synced</th><th scope=\"col\" class=\"num\">Sync Error</th><th scope=\"col\" class=\"num\">Unmapped</th><th scope=\"col\" class=\"num\">Pending Action</th><th scope=\"col\" class=\"num\">Calls</th><th scope=\"col\">Duration</th><th scope=\"col\">Outcome</th></tr></thead><tbody>");
        foreach (var run in runs)
        {
            body.Raw("<tr><td>").Link(view.TenantUrl(tenantId, $"/activity/{Uri.EscapeDataString(run.RunId)}"), DashboardView.Time(run.StartedAt))
                .Raw("</td><td>").Text(run.RecordKey is null ? run.Trigger.ToString() : $"{run.Trigger} (one record)")
                .Raw("</td><td>").Text(run.RequestedBy ?? "—")
                .Raw("</td><td class=\"num\">").Text(run.Counts.Synced)
                .Raw("</td><td class=\"num\">").Text(run.Counts.Failed)
                .Raw("</td><td class=\"num\">").Text(run.Counts.Unmapped)
                .Raw("</td><td class=\"num\">").Text(run.Counts.Held)
                .Raw("</td><td class=\"num\">").Text(run.Counts.Calls)
                .Raw("</td><td>").Text(DashboardView.Duration(run.Duration))
                .Raw("</td><td>").Element("span", Outcome(run.Outcome), ("class", $"pill outcome-{run.Outcome.ToString().ToLowerInvariant()}"))
                .Raw("</td></tr>");
        }

        body.Raw("</tbody></table></div>");
        if (runs.Count == 0)
        {
            body.Element("p", "No sync has run yet.", ("class", "empty"));
        }

        var actions = services.GetRequiredService<DashboardActionLog>().Recent(tenantId, 50);
        body.Raw("<section aria-labelledby=\"actions\"><h2 id=\"actions\">Actions taken on this dashboard</h2>");
        if (actions.Count == 0)
        {
            body.Element("p", "None since the app started.", ("class", "empty"));
        }
        else
        {
            body.Raw("<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">When</th><th scope=\"col\">Who</th><th scope=\"col\">What</th><th scope=\"col\">On</th><th scope=\"col\">Result</th></tr></thead><tbody>");
            foreach (var action in actions)
            {
                body.Raw("<tr><td>").Text(DashboardView.Time(action.At)).Raw("</td><td>").Text(action.User).Raw("</td><td>").Text(action.Permission.ToString())
                    .Raw("</td><td>").Text(action.Target).Raw("</td><td>").Text(action.Allowed ? action.Result : $"Refused: {action.Result}").Raw("</td></tr>");
            }

            body.Raw("</tbody></table></div>");
        }

        body.Raw("</section>");
        var tenant = await services.GetRequiredService<TenantStore>().GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return view.Layout("Activity", tenantId, tenant?.Name ?? tenantId, "activity", body);
    }

    public static async Task<string?> RunAsync(DashboardView view, string tenantId, string runId, CancellationToken cancellationToken)
    {
        var services = view.Context.RequestServices;
        var run = await services.GetRequiredService<RunLog>().GetAsync(runId, cancellationToken).ConfigureAwait(false);
        if (run is null || run.TenantId != tenantId)
        {
            return null;
        }

        var body = new HtmlPage();
        body.Raw("<dl class=\"facts\">");
        Fact(body, "Outcome", Outcome(run.Outcome));
        Fact(body, "Trigger", run.Trigger.ToString());
        Fact(body, "Requested by", run.RequestedBy ?? "—");
        Fact(body, "Kinds", run.Kinds.Count == 0 ? "All" : string.Join(", ", run.Kinds));
        Fact(body, "Started", DashboardView.Time(run.StartedAt));
        Fact(body, "Duration", DashboardView.Duration(run.Duration));
        Fact(body, "Seen", run.Counts.Seen.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        Fact(body, "Unchanged", run.Counts.Unchanged.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        Fact(body, "Sent", run.Counts.Sent.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        Fact(body, "Synced", run.Counts.Synced.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        Fact(body, "Sync Error", run.Counts.Failed.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        Fact(body, "Warnings", run.Counts.Warnings.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        Fact(body, "Calls to Xero", run.Counts.Calls.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        if (run.PausedUntil is { } paused)
        {
            Fact(body, "Sync Paused until", DashboardView.Time(paused));
        }

        body.Raw("</dl>");
        if (run.Message is { Length: > 0 } message)
        {
            body.Element("p", message, ("class", "notice"));
        }

        // The ledger keeps, per record, the run that last touched it: this run's records are those it touched last.
        var records = await RecordsOfAsync(services.GetRequiredService<ISyncEngine>(), tenantId, runId, view.Options.PageSize, cancellationToken).ConfigureAwait(false);
        body.Element("h2", "Records this run touched last");
        body.Raw("<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Record</th><th scope=\"col\">Kind</th><th scope=\"col\">Status</th><th scope=\"col\">Reason</th></tr></thead><tbody>");
        foreach (var entry in records)
        {
            body.Raw("<tr><td>").Link(view.RecordUrl(entry.Key), entry.DisplayName ?? entry.SourceId).Raw("</td><td>").Text(entry.Kind.ToString())
                .Raw("</td><td>").Text(DashboardView.StateLabel(entry.State)).Raw("</td><td>").Text(entry.Error?.Reason ?? (entry.Warnings.Count > 0 ? entry.Warnings[0].Message : null)).Raw("</td></tr>");
        }

        body.Raw("</tbody></table></div>");
        if (records.Count == 0)
        {
            body.Element("p", "Later syncs have touched every record of this run since.", ("class", "empty"));
        }

        var tenant = await services.GetRequiredService<TenantStore>().GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return view.Layout($"Sync of {DashboardView.Time(run.StartedAt)}", tenantId, tenant?.Name ?? tenantId, "activity", body);
    }

    private static async Task<IReadOnlyList<LedgerEntry>> RecordsOfAsync(ISyncEngine engine, string tenantId, string runId, int limit, CancellationToken cancellationToken)
    {
        // The store filters by run: a ledger of any size costs one page read here.
        var page = await engine.QueryLedgerAsync(new LedgerQuery { TenantId = tenantId, TouchedByRunId = runId, PageSize = limit }, cancellationToken).ConfigureAwait(false);
        return page.Entries;
    }

    private static void Fact(HtmlPage body, string name, string value) => body.Element("dt", name).Element("dd", value);

    private static string Outcome(RunOutcome outcome) => outcome switch
    {
        RunOutcome.Running => "Under way",
        RunOutcome.Completed => "Completed",
        RunOutcome.CompletedWithErrors => "Completed with errors",
        RunOutcome.Paused => "Paused (Xero's daily limit)",
        RunOutcome.Disconnected => "Stopped: reconnect to Xero",
        RunOutcome.Cancelled => "Cancelled",
        RunOutcome.Failed => "Stopped on an error",
        RunOutcome.AlreadyRunning => "Not run: a sync was under way",
        RunOutcome.Refused => "Not run: the tenant's settings do not push it",
        _ => outcome.ToString(),
    };
}
