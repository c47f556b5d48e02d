using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SyncKit.Ledger;
using SyncKit.Storage;
using SyncKit.Xero;

namespace SyncKit.AspNetCore.Dashboard.Pages;

/// <summary>The tenants list, a tenant's overview (connection, pause, run under way, counts, Sync All, chart, calls) and the preview.</summary>
internal static class TenantPages
{
    private static readonly LedgerState[] ShownStates =
    [
        LedgerState.Pending, LedgerState.InFlight, LedgerState.Synced, LedgerState.Failed, LedgerState.Unmapped,
        LedgerState.Held, LedgerState.RetryScheduled, LedgerState.Uncertain, LedgerState.Skipped,
    ];

    public static async Task<string?> ListAsync(DashboardView view, CancellationToken cancellationToken)
    {
        var services = view.Context.RequestServices;
        var engine = services.GetRequiredService<ISyncEngine>();
        var tenants = await services.GetRequiredService<TenantStore>().ListAsync(cancellationToken).ConfigureAwait(false);
        var body = new HtmlPage();
        var shown = 0;
        body.Raw("<div class=\"table-wrap\"><table><caption>Connected organisations</caption><thead><tr><th scope=\"col\">Organisation</th><th scope=\"col\">Connection</th><th scope=\"col\">Sync</th><th scope=\"col\" class=\"num\">Sync Error</th><th scope=\"col\" class=\"num\">Unmapped</th><th scope=\"col\" class=\"num\">Pending Action</th><th scope=\"col\" class=\"num\">Synced</th></tr></thead><tbody>");
        foreach (var tenant in tenants.OrderBy(t => t.Name ?? t.TenantId, StringComparer.OrdinalIgnoreCase))
        {
            if (!await DashboardGuard.IsAllowedAsync(view.Context, Authorization.SyncPermission.View, tenant.TenantId).ConfigureAwait(false))
            {
                continue;
            }

            shown++;
            var status = await engine.GetStatusAsync(tenant.TenantId, cancellationToken).ConfigureAwait(false);
            body.Raw("<tr><th scope=\"row\">").Link(view.TenantUrl(tenant.TenantId), tenant.Name ?? tenant.TenantId).Raw("</th><td>");
            Connection(body, view, status);
            body.Raw("</td><td>");
            body.Text(RunningOrPaused(view, status) ?? "Idle");
            body.Raw("</td>");
            CountCell(body, status.Counts, LedgerState.Failed, view.TenantUrl(tenant.TenantId, "/errors"));
            CountCell(body, status.Counts, LedgerState.Unmapped, view.TenantUrl(tenant.TenantId, "/unmapped"));
            CountCell(body, status.Counts, LedgerState.Held, view.TenantUrl(tenant.TenantId, "/held"));
            CountCell(body, status.Counts, LedgerState.Synced, null);
            body.Raw("</tr>");
        }

        body.Raw("</tbody></table></div>");
        if (shown == 0)
        {
            body.Element("p", "No organisation is connected yet.", ("class", "empty"));
        }

        return view.Layout("Organisations", null, null, string.Empty, body);
    }

    public static async Task<string?> OverviewAsync(DashboardView view, string tenantId, CancellationToken cancellationToken)
    {
        var services = view.Context.RequestServices;
        var engine = services.GetRequiredService<ISyncEngine>();
        var tenant = await services.GetRequiredService<TenantStore>().GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var status = await engine.GetStatusAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var running = IsRunning(view.Context, status);
        var body = new HtmlPage();

        body.Raw("<section class=\"cards\" aria-label=\"Status\"><div class=\"card\"><h2>Xero connection</h2><p>");
        Connection(body, view, status);
        body.Raw("</p></div><div class=\"card\"><h2>Sync</h2>");
        if (status.PausedUntil is { } paused && paused > Now(view))
        {
            body.Element("p", $"Sync Paused until {DashboardView.Time(paused)}", ("class", "status warn"));
            body.Element("p", status.PauseReason, ("class", "muted"));
        }

        body.Open("p", ("id", "progress"), ("class", running ? "status busy" : "status"), ("role", "status"), ("aria-live", "polite"),
                ("data-progress-url", running ? view.TenantUrl(tenantId, "/progress") : null))
            .Text(running ? ProgressText(status.Counts) : "No sync under way.").Close("p");
        body.Raw("<div class=\"actions\">");
        view.Form(body, view.TenantUrl(tenantId, "/sync"), "Sync All", [], "primary", disabled: running);
        view.Form(body, view.TenantUrl(tenantId, "/preview"), "Preview", [], disabled: running);
        body.Raw("</div>");
        if (running && !view.ReadOnly)
        {
            body.Element("p", "A sync is under way: Sync All and Preview come back when it completes.", ("class", "muted"));
        }

        body.Raw("</div>");
        Usage(body, status);
        body.Raw("</section>");

        body.Raw("<section aria-labelledby=\"counts\"><h2 id=\"counts\">Records</h2><div class=\"table-wrap\"><table class=\"counts\"><thead><tr><th scope=\"col\">State</th><th scope=\"col\" class=\"num\">Records</th></tr></thead><tbody>");
        foreach (var state in ShownStates)
        {
            var link = state switch
            {
                LedgerState.Failed or LedgerState.RetryScheduled or LedgerState.Uncertain or LedgerState.Skipped => view.TenantUrl(tenantId, $"/errors?state={state}"),
                LedgerState.Unmapped => view.TenantUrl(tenantId, "/unmapped"),
                LedgerState.Held => view.TenantUrl(tenantId, "/held"),
                _ => null,
            };
            body.Raw("<tr><th scope=\"row\">");
            if (link is not null)
            {
                body.Link(link, DashboardView.StateLabel(state));
            }
            else
            {
                body.Text(DashboardView.StateLabel(state));
            }

            body.Raw("</th><td class=\"num\">").Text(status.Counts.ByState.GetValueOrDefault(state)).Raw("</td></tr>");
        }

        body.Raw("</tbody></table></div></section>");
        await SettingsSection.RenderAsync(body, view, tenantId, cancellationToken).ConfigureAwait(false);

        var runs = await engine.GetActivityAsync(tenantId, 500, cancellationToken).ConfigureAwait(false);
        DayChart.Render(body, runs, Now(view));
        return view.Layout("Overview", tenantId, tenant?.Name ?? tenantId, "overview", body);
    }

    /// <summary>The live progress the overview polls: whether a run is under way and the ledger's counts now.</summary>
    public static async Task<string?> ProgressAsync(HttpContext context, string tenantId, CancellationToken cancellationToken)
    {
        var status = await context.RequestServices.GetRequiredService<ISyncEngine>().GetStatusAsync(tenantId, cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteBoolean("running", IsRunning(context, status));
            json.WriteString("text", ProgressText(status.Counts));
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static async Task<string> PreviewAsync(DashboardView view, string tenantId, CancellationToken cancellationToken)
    {
        var services = view.Context.RequestServices;
        var tenant = await services.GetRequiredService<TenantStore>().GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var preview = await services.GetRequiredService<ISyncEngine>().PreviewAsync(new SyncRequest { TenantId = tenantId, RequestedBy = DashboardGuard.UserName(view.Context.User) }, cancellationToken).ConfigureAwait(false);
        var body = new HtmlPage();
        body.Element("p", $"Nothing was sent. {DashboardEndpoints.Count(preview.Ready, "record is", "records are")} ready to send; {DashboardEndpoints.Count(preview.Errors, "record has", "records have")} a problem to fix first.");
        body.Raw("<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Record</th><th scope=\"col\">Kind</th><th scope=\"col\">Would be</th><th scope=\"col\">Reason</th><th scope=\"col\">What to do</th></tr></thead><tbody>");
        foreach (var line in preview.Lines.Where(l => !l.Ready).Take(500))
        {
            body.Raw("<tr><td>").Text(line.DisplayName ?? line.Key.SourceId).Raw("</td><td>").Text(line.Key.Kind.ToString()).Raw("</td><td>")
                .Text(DashboardView.StateLabel(line.State)).Raw("</td><td>").Text(line.Error?.Reason).Raw("</td><td>");
            RecordPages.Steps(body, line.Error?.Resolution ?? []);
            body.Raw("</td></tr>");
        }

        body.Raw("</tbody></table></div>");
        body.Link(view.TenantUrl(tenantId), "Back to the overview");
        return view.Layout("Preview", tenantId, tenant?.Name ?? tenantId, "overview", body);
    }

    public static bool IsRunning(HttpContext context, SyncStatus status) =>
        status.RunningRunId is not null || context.RequestServices.GetRequiredService<DashboardRuns>().IsRunning(status.TenantId);

    private static DateTimeOffset Now(DashboardView view) => (view.Context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();

    private static string ProgressText(LedgerCounts counts) =>
        $"Sync under way: {counts.ByState.GetValueOrDefault(LedgerState.Synced):N0} synced, {counts.ByState.GetValueOrDefault(LedgerState.InFlight):N0} being sent, "
        + $"{counts.ByState.GetValueOrDefault(LedgerState.Pending):N0} waiting, {counts.ByState.GetValueOrDefault(LedgerState.Failed):N0} with a Sync Error.";

    private static string? RunningOrPaused(DashboardView view, SyncStatus status) =>
        IsRunning(view.Context, status) ? "Syncing…"
        : status.PausedUntil is { } until && until > Now(view) ? $"Sync Paused until {DashboardView.Time(until)}"
        : null;

    private static void Connection(HtmlPage body, DashboardView view, SyncStatus status)
    {
        switch (status.Connection)
        {
            case ConnectionState.Connected:
                body.Element("span", "Active", ("class", "pill ok"));
                break;
            case ConnectionState.Disconnected:
                body.Element("span", "Disconnected", ("class", "pill bad"));
                body.Raw(" ").Element("span", status.ConnectionMessage ?? "Xero needs you to connect again.", ("class", "muted"));
                if (view.Options.ReconnectUrl?.Invoke(status.TenantId) is { } reconnect && !view.ReadOnly)
                {
                    body.Raw(" ").Link(reconnect, "Reconnect to Xero", "button-link");
                }

                break;
            default:
                body.Element("span", "Not checked yet", ("class", "pill"));
                break;
        }
    }

    private static void CountCell(HtmlPage body, LedgerCounts counts, LedgerState state, string? link)
    {
        var n = counts.ByState.GetValueOrDefault(state);
        body.Raw("<td class=\"num\">");
        if (link is not null && n > 0)
        {
            body.Link(link, n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            body.Text(n);
        }

        body.Raw("</td>");
    }

    /// <summary>The day's Xero calls and missing permissions, from the engine's status (the connector supplies them).</summary>
    private static void Usage(HtmlPage body, SyncStatus status)
    {
        if (status.MissingScopes.Count > 0)
        {
            body.Raw("<div class=\"card\"><h2 id=\"scopes\">Permissions</h2>");
            body.Element("p", $"Reconnect to grant {string.Join(", ", status.MissingScopes)}: the records that need it wait until then.", ("class", "status warn"));
            body.Raw("</div>");
        }

        if (status.CallBudget is not { } today)
        {
            return;
        }

        var used = Math.Max(0, today.DailyLimit - today.Remaining);
        body.Raw("<div class=\"card\"><h2 id=\"calls\">Xero calls today</h2>");
        body.Open("meter", ("aria-labelledby", "calls"), ("min", "0"), ("max", today.DailyLimit.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("value", used.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("high", (today.DailyLimit - today.Reserve).ToString(System.Globalization.CultureInfo.InvariantCulture))).Close("meter");
        body.Element("p", $"{used:N0} of {today.DailyLimit:N0} calls used; {today.Remaining:N0} left.");
        body.Element("p", $"The last {today.Reserve:N0} are kept for syncs you start. " + (today.ResetsAt is { } resets ? $"Resets {DashboardView.Time(resets)}." : string.Empty), ("class", "muted"));
        if (status.Egress is { } egress)
        {
            body.Element("p", $"Received from Xero this month: {Megabytes(egress.Bytes)}" + (egress.AllowanceBytes is { } allowance ? $" (the app's allowance: {Megabytes(allowance)} across all organisations)." : "."), ("class", "muted"));
        }

        body.Raw("</div>");
    }

    private static string Megabytes(long bytes) =>
        (bytes / 1_000_000d).ToString("N1", System.Globalization.CultureInfo.InvariantCulture) + " MB";
}
