using Microsoft.Extensions.DependencyInjection;
using SyncKit.Errors;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Storage;

namespace SyncKit.AspNetCore.Dashboard.Pages;

/// <summary>The Sync Error tab, the Unmapped and Pending Action lists, and one record's page.</summary>
internal static class RecordPages
{
    private static readonly LedgerState[] ProblemStates = [LedgerState.Failed, LedgerState.Unmapped, LedgerState.RetryScheduled, LedgerState.Uncertain, LedgerState.Skipped];

    public static async Task<string?> ErrorsAsync(DashboardView view, string tenantId, CancellationToken cancellationToken)
    {
        var services = view.Context.RequestServices;
        var engine = services.GetRequiredService<ISyncEngine>();
        var query = view.Context.Request.Query;
        var state = Enum.TryParse<LedgerState>(query["state"], out var s) && ProblemStates.Contains(s) ? s : (LedgerState?)null;
        var kind = Enum.TryParse<RecordKind>(query["kind"], out var k) && Enum.IsDefined(k) ? k : (RecordKind?)null;
        var category = query["category"].ToString() is { Length: > 0 } c ? c : null;
        var after = query["after"].ToString() is { Length: > 0 } a ? a : null;

        var status = await engine.GetStatusAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var page = await engine.QueryLedgerAsync(
            new LedgerQuery
            {
                TenantId = tenantId,
                States = state is { } one ? [one] : ProblemStates,
                Kinds = kind is { } kk ? [kk] : [],
                ErrorCategory = category,
                PageSize = view.Options.PageSize,
                ContinuationToken = after,
            },
            cancellationToken).ConfigureAwait(false);

        var body = new HtmlPage();
        var self = view.TenantUrl(tenantId, "/errors") + view.Context.Request.QueryString.Value;

        // Filters: a GET form, so a filtered list is a link the user can share.
        body.Open("form", ("method", "get"), ("action", view.TenantUrl(tenantId, "/errors")), ("class", "filters"), ("aria-label", "Filter the records"));
        Select(body, "state", "State", state?.ToString(), [("", "Every problem"), .. ProblemStates.Select(p => (p.ToString(), DashboardView.StateLabel(p)))]);
        Select(body, "kind", "Kind", kind?.ToString(), [("", "Every kind"), .. Enum.GetValues<RecordKind>().Select(r => (r.ToString(), r.ToString()))]);
        Select(body, "category", "Category", category, [("", "Every category"), .. status.Counts.ByCategory.Keys.Order(StringComparer.Ordinal).Select(x => (x, x))]);
        body.Element("button", "Filter", ("type", "submit"));
        body.Close("form");

        if (!view.ReadOnly && status.Counts.ByCategory.Count > 0)
        {
            body.Raw("<details class=\"bulk\"><summary>Act on a whole category</summary><ul>");
            foreach (var (name, count) in status.Counts.ByCategory.OrderByDescending(x => x.Value))
            {
                body.Raw("<li><span>").Text($"{name} ({count:N0})").Raw("</span> ");
                view.Form(body, view.TenantUrl(tenantId, "/retry"), "Retry all", [("category", name), ("returnTo", self)], ariaLabel: $"Retry all in {name}");
                view.Form(body, view.TenantUrl(tenantId, "/skip"), "Skip all", [("category", name), ("returnTo", self)], ariaLabel: $"Skip all in {name}");
                view.Form(body, view.TenantUrl(tenantId, "/resolve"), "Mark all resolved", [("category", name), ("returnTo", self)], ariaLabel: $"Mark all resolved in {name}");
                body.Raw("</li>");
            }

            body.Raw("</ul></details>");
        }

        EntryTable(body, view, page.Entries, self, showActions: true);
        Pager(body, view.TenantUrl(tenantId, "/errors"), view.Context.Request.Query.Where(q => q.Key != "after" && q.Key != "notice").Select(q => (q.Key, q.Value.ToString())), after is not null, page.ContinuationToken);
        var tenant = await services.GetRequiredService<TenantStore>().GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return view.Layout("Sync Error", tenantId, tenant?.Name ?? tenantId, "errors", body);
    }

    public static async Task<string?> UnmappedAsync(DashboardView view, string tenantId, CancellationToken cancellationToken)
    {
        var services = view.Context.RequestServices;
        var after = view.Context.Request.Query["after"].ToString() is { Length: > 0 } a ? a : null;
        var page = await services.GetRequiredService<ISyncEngine>().QueryLedgerAsync(
            new LedgerQuery { TenantId = tenantId, States = [LedgerState.Unmapped], PageSize = view.Options.PageSize, ContinuationToken = after }, cancellationToken).ConfigureAwait(false);
        var body = new HtmlPage();
        body.Element("p", "These records wait for a mapping. Map what each one needs; it moves back to Pending and goes with the next sync (or retry it).", ("class", "lead"));
        body.Raw("<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Record</th><th scope=\"col\">Kind</th><th scope=\"col\">Needs a mapping for</th><th scope=\"col\">Reason</th><th scope=\"col\">Map it</th></tr></thead><tbody>");
        foreach (var entry in page.Entries)
        {
            body.Raw("<tr><td>").Link(view.RecordUrl(entry.Key), entry.DisplayName ?? entry.SourceId).Raw("</td><td>").Text(entry.Kind.ToString()).Raw("</td><td>")
                .Text(entry.MissingMapping).Raw("</td><td>").Text(entry.Error?.Reason).Raw("</td><td>");
            if (entry.MissingMapping?.Split(':', 2) is [var mk, var local])
            {
                body.Link(view.TenantUrl(tenantId, $"/mappings?kind={Uri.EscapeDataString(mk)}&local={Uri.EscapeDataString(local)}#add"), $"Map {local}");
            }

            body.Raw("</td></tr>");
        }

        body.Raw("</tbody></table></div>");
        if (page.Entries.Count == 0)
        {
            body.Element("p", "Nothing is waiting for a mapping.", ("class", "empty"));
        }

        Pager(body, view.TenantUrl(tenantId, "/unmapped"), [], after is not null, page.ContinuationToken);
        var tenant = await services.GetRequiredService<TenantStore>().GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return view.Layout("Unmapped", tenantId, tenant?.Name ?? tenantId, "unmapped", body);
    }

    public static async Task<string?> HeldAsync(DashboardView view, string tenantId, CancellationToken cancellationToken)
    {
        var services = view.Context.RequestServices;
        var after = view.Context.Request.Query["after"].ToString() is { Length: > 0 } a ? a : null;
        var page = await services.GetRequiredService<ISyncEngine>().QueryLedgerAsync(
            new LedgerQuery { TenantId = tenantId, States = [LedgerState.Held], PageSize = view.Options.PageSize, ContinuationToken = after }, cancellationToken).ConfigureAwait(false);
        var body = new HtmlPage();
        var self = view.TenantUrl(tenantId, "/held");
        body.Element("p", "These records are held for approval. Send the ones that are ready: they go to Xero now.", ("class", "lead"));
        if (!view.ReadOnly)
        {
            body.Open("form", ("method", "post"), ("action", view.TenantUrl(tenantId, "/release")), ("id", "release"));
            view.AntiforgeryField(body);
            body.Open("input", ("type", "hidden"), ("name", "returnTo"), ("value", self));
        }

        body.Raw("<div class=\"table-wrap\"><table><thead><tr>");
        if (!view.ReadOnly)
        {
            body.Raw("<th scope=\"col\"><span class=\"visually-hidden\">Choose</span></th>");
        }

        body.Raw("<th scope=\"col\">Record</th><th scope=\"col\">Kind</th><th scope=\"col\">Held since</th></tr></thead><tbody>");
        foreach (var entry in page.Entries)
        {
            body.Raw("<tr>");
            if (!view.ReadOnly)
            {
                var id = $"held-{entry.Kind}-{entry.SourceId}";
                body.Raw("<td>").Open("input", ("type", "checkbox"), ("name", "key"), ("value", DashboardEndpoints.KeyValue(entry.Key)), ("id", id),
                    ("aria-label", $"Choose {entry.DisplayName ?? entry.SourceId}")).Raw("</td>");
            }

            body.Raw("<td>").Link(view.RecordUrl(entry.Key), entry.DisplayName ?? entry.SourceId).Raw("</td><td>").Text(entry.Kind.ToString())
                .Raw("</td><td>").Text(DashboardView.Time(entry.UpdatedAt)).Raw("</td></tr>");
        }

        body.Raw("</tbody></table></div>");
        if (page.Entries.Count == 0)
        {
            body.Element("p", "Nothing is waiting for approval.", ("class", "empty"));
        }
        else if (!view.ReadOnly)
        {
            body.Raw("<div class=\"actions\">").Element("button", "Send selected", ("type", "submit"), ("class", "primary"))
                .Element("button", "Send all", ("type", "submit"), ("name", "all"), ("value", "true")).Raw("</div>");
        }

        if (!view.ReadOnly)
        {
            body.Close("form");
        }

        Pager(body, self, [], after is not null, page.ContinuationToken);
        var tenant = await services.GetRequiredService<TenantStore>().GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return view.Layout("Pending Action", tenantId, tenant?.Name ?? tenantId, "held", body);
    }

    public static async Task<string?> RecordAsync(DashboardView view, LedgerKey key, CancellationToken cancellationToken)
    {
        var services = view.Context.RequestServices;
        var entry = await services.GetRequiredService<LedgerStore>().GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (entry is null)
        {
            return null;
        }

        var body = new HtmlPage();
        body.Raw("<dl class=\"facts\">");
        Fact(body, "Kind", entry.Kind.ToString());
        Fact(body, "Your id", entry.SourceId);
        Fact(body, "Status", DashboardView.StateLabel(entry.State));
        Fact(body, "Xero id", entry.RemoteId ?? "—");
        Fact(body, "Attempts", entry.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Fact(body, "Last change", DashboardView.Time(entry.UpdatedAt));
        Fact(body, "Synced", DashboardView.Time(entry.SyncedAt));
        if (entry.MissingMapping is not null)
        {
            Fact(body, "Needs a mapping for", entry.MissingMapping);
        }

        body.Raw("</dl>");
        if (entry.Error is { } error)
        {
            ErrorDetails(body, error);
        }

        if (entry.Warnings.Count > 0)
        {
            body.Element("h2", "Warnings");
            body.Raw("<ul>");
            foreach (var warning in entry.Warnings)
            {
                body.Element("li", warning.Message);
            }

            body.Raw("</ul>");
        }

        var self = view.RecordUrl(key);
        body.Raw("<div class=\"actions\">");
        RowActions(body, view, entry, self);
        body.Raw("</div>");
        var tenant = await services.GetRequiredService<TenantStore>().GetAsync(key.TenantId, cancellationToken).ConfigureAwait(false);
        return view.Layout(entry.DisplayName ?? entry.SourceId, key.TenantId, tenant?.Name ?? key.TenantId, "errors", body);
    }

    public static void Steps(HtmlPage body, IReadOnlyList<string> steps)
    {
        if (steps.Count == 0)
        {
            return;
        }

        body.Raw("<ol class=\"steps\">");
        foreach (var step in steps)
        {
            body.Element("li", step);
        }

        body.Raw("</ol>");
    }

    private static void EntryTable(HtmlPage body, DashboardView view, IReadOnlyList<LedgerEntry> entries, string self, bool showActions)
    {
        if (entries.Count == 0)
        {
            body.Element("p", "No record has a problem here.", ("class", "empty"));
            return;
        }

        body.Raw("<div class=\"table-wrap\"><table class=\"errors\"><thead><tr><th scope=\"col\">Record</th><th scope=\"col\">Kind</th><th scope=\"col\">Status</th><th scope=\"col\">Reason</th><th scope=\"col\">Xero's message</th><th scope=\"col\">Steps to fix</th>");
        if (showActions && !view.ReadOnly)
        {
            body.Raw("<th scope=\"col\">Actions</th>");
        }

        body.Raw("</tr></thead><tbody>");
        foreach (var entry in entries)
        {
            body.Open("tr", ("data-record", DashboardEndpoints.KeyValue(entry.Key))).Raw("<td data-label=\"Record\">").Link(view.RecordUrl(entry.Key), entry.DisplayName ?? entry.SourceId)
                .Raw("</td><td data-label=\"Kind\">").Text(entry.Kind.ToString())
                .Raw("</td><td data-label=\"Status\">").Element("span", DashboardView.StateLabel(entry.State), ("class", $"pill state-{entry.State.ToString().ToLowerInvariant()}"))
                .Raw("</td><td data-label=\"Reason\">").Element("strong", entry.Error?.Reason)
                .Raw("</td><td data-label=\"Xero's message\" class=\"message\">").Text(entry.Error?.Message)
                .Raw("</td><td data-label=\"Steps to fix\">");
            Steps(body, entry.Error?.Resolution ?? []);
            body.Raw("</td>");
            if (showActions && !view.ReadOnly)
            {
                body.Raw("<td data-label=\"Actions\" class=\"row-actions\">");
                RowActions(body, view, entry, self);
                body.Raw("</td>");
            }

            body.Raw("</tr>");
        }

        body.Raw("</tbody></table></div>");
    }

    private static void RowActions(HtmlPage body, DashboardView view, LedgerEntry entry, string self)
    {
        var label = entry.DisplayName ?? entry.SourceId;
        (string, string)[] fields = [("key", DashboardEndpoints.KeyValue(entry.Key)), ("returnTo", self)];
        switch (entry.State)
        {
            case LedgerState.Skipped:
                view.Form(body, view.TenantUrl(entry.TenantId, "/skip"), "Send again", [.. fields, ("undo", "true")], ariaLabel: $"Send {label} again");
                break;
            case LedgerState.Failed or LedgerState.Unmapped or LedgerState.RetryScheduled or LedgerState.Uncertain or LedgerState.Synced or LedgerState.Pending:
                view.Form(body, view.TenantUrl(entry.TenantId, "/retry"), "Retry", fields, "primary", ariaLabel: $"Retry {label}");
                if (entry.State is not LedgerState.Synced)
                {
                    view.Form(body, view.TenantUrl(entry.TenantId, "/skip"), "Skip", fields, ariaLabel: $"Skip {label}");
                }

                if (entry.State is LedgerState.Failed or LedgerState.Uncertain)
                {
                    view.Form(body, view.TenantUrl(entry.TenantId, "/resolve"), "Mark resolved", fields, ariaLabel: $"Mark {label} resolved");
                }

                break;
            case LedgerState.Held:
                view.Form(body, view.TenantUrl(entry.TenantId, "/release"), "Send", fields, "primary", ariaLabel: $"Send {label}");
                break;
        }
    }

    private static void ErrorDetails(HtmlPage body, SyncError error)
    {
        body.Element("h2", error.Reason);
        body.Element("p", error.Message, ("class", "message"));
        if (error.StatusCode is { } code)
        {
            body.Element("p", $"Xero answered {code}.", ("class", "muted"));
        }

        if (error.Resolution.Count > 0)
        {
            body.Element("h3", "Steps to fix");
            Steps(body, error.Resolution);
        }
    }

    private static void Fact(HtmlPage body, string name, string value) => body.Element("dt", name).Element("dd", value);

    private static void Select(HtmlPage body, string name, string label, string? selected, IEnumerable<(string Value, string Text)> options)
    {
        body.Raw("<label>").Text(label).Raw(" ").Open("select", ("name", name));
        foreach (var (value, text) in options)
        {
            body.Element("option", text, ("value", value), ("selected", value == (selected ?? string.Empty) ? string.Empty : null));
        }

        body.Raw("</select></label>");
    }

    /// <summary>Forward-only paging over the ledger's continuation token: first page and next page.</summary>
    private static void Pager(HtmlPage body, string path, IEnumerable<(string Key, string Value)> query, bool notFirst, string? next)
    {
        if (!notFirst && next is null)
        {
            return;
        }

        var kept = string.Join('&', query.Where(q => q.Value.Length > 0).Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}"));
        body.Open("nav", ("aria-label", "Pages"), ("class", "pager"));
        if (notFirst)
        {
            body.Link(kept.Length > 0 ? $"{path}?{kept}" : path, "First page");
        }

        if (next is not null)
        {
            body.Link($"{path}?{(kept.Length > 0 ? kept + "&" : string.Empty)}after={Uri.EscapeDataString(next)}", "Next page");
        }

        body.Close("nav");
    }
}
