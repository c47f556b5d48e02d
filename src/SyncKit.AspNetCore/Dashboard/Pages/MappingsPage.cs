using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SyncKit.Connectors;
using SyncKit.Inbound;
using SyncKit.Ledger;
using SyncKit.Mapping;
using SyncKit.Storage;

namespace SyncKit.AspNetCore.Dashboard.Pages;

/// <summary>The mappings editor, fed from the tenant's live reference data (the chart of accounts, tax rates, tracking).</summary>
internal static class MappingsPage
{
    private static readonly JsonSerializerOptions CacheJson = new() { Converters = { new JsonStringEnumConverter() } };

    public static async Task<string?> RenderAsync(DashboardView view, string tenantId, CancellationToken cancellationToken)
    {
        var services = view.Context.RequestServices;
        var reference = await ReadReferenceDataAsync(services, tenantId, cancellationToken).ConfigureAwait(false);
        var store = services.GetRequiredService<MappingStore>();
        var query = view.Context.Request.Query;
        var wantedKind = DashboardEndpoints.TryMappingKind(query["kind"], out var k) ? k : (MappingKind?)null;
        var wantedLocal = query["local"].ToString();
        var self = view.TenantUrl(tenantId, "/mappings");
        var body = new HtmlPage();

        // What records wait for: the Unmapped list's missing mappings, each a link that fills in the form below.
        var unmapped = await services.GetRequiredService<ISyncEngine>().QueryLedgerAsync(
            new LedgerQuery { TenantId = tenantId, States = [LedgerState.Unmapped], PageSize = 500 }, cancellationToken).ConfigureAwait(false);
        var waiting = unmapped.Entries.Where(e => e.MissingMapping is not null).GroupBy(e => e.MissingMapping!, StringComparer.Ordinal).ToList();
        if (waiting.Count > 0)
        {
            body.Raw("<section aria-labelledby=\"waiting\"><h2 id=\"waiting\">Waiting for a mapping</h2><ul class=\"waiting\">");
            foreach (var group in waiting)
            {
                var parts = group.Key.Split(':', 2);
                body.Raw("<li>").Link($"{self}?kind={Uri.EscapeDataString(parts[0])}&local={Uri.EscapeDataString(parts.ElementAtOrDefault(1) ?? string.Empty)}#add", group.Key)
                    .Text($" — {DashboardEndpoints.Count(group.Count(), "record waits", "records wait")}").Raw("</li>");
            }

            body.Raw("</ul></section>");
        }

        if (reference is null)
        {
            body.Element("p", "Xero's chart of accounts could not be read just now, and no copy is kept yet: type the codes by hand, or try again shortly.", ("class", "notice warn"));
        }
        else
        {
            body.Element("p", $"Accounts, tax rates and tracking as Xero had them at {DashboardView.Time(reference.FetchedAt)}.", ("class", "muted"));
        }

        if (!view.ReadOnly)
        {
            body.Raw("<section id=\"add\" aria-labelledby=\"add-title\"><h2 id=\"add-title\">Add or change a mapping</h2><div class=\"forms\">");
            AccountForm(body, view, tenantId, reference, wantedKind == MappingKind.Account ? wantedLocal : string.Empty, self);
            TaxForm(body, view, tenantId, reference, wantedKind == MappingKind.TaxRate ? wantedLocal : string.Empty, self);
            var clients = await ClientSuggestionsAsync(services, tenantId, cancellationToken).ConfigureAwait(false);
            OtherForm(body, view, tenantId, reference, clients, wantedKind is { } other && other is not MappingKind.Account and not MappingKind.TaxRate ? other : null, wantedLocal, self);
            body.Raw("</div></section>");
        }

        if (reference is not null)
        {
            ChartOfAccounts(body, reference);
        }

        body.Raw("<section aria-labelledby=\"current\"><h2 id=\"current\">Current mappings</h2>");
        foreach (var kind in Enum.GetValues<MappingKind>())
        {
            var all = await store.GetAllAsync(tenantId, kind, cancellationToken).ConfigureAwait(false);
            if (all.Count == 0)
            {
                continue;
            }

            body.Raw("<div class=\"table-wrap\"><table><caption>").Text(KindLabel(kind)).Raw("</caption><thead><tr><th scope=\"col\">Yours</th><th scope=\"col\">Xero</th><th scope=\"col\">Note</th></tr></thead><tbody>");
            foreach (var (local, remote) in all.OrderBy(x => x.Key, StringComparer.Ordinal))
            {
                body.Raw("<tr><td>").Text(local).Raw("</td><td>").Text(Describe(kind, remote, reference)).Raw("</td><td>").Text(Problem(kind, remote, reference)).Raw("</td></tr>");
            }

            body.Raw("</tbody></table></div>");
        }

        body.Raw("</section>");
        var tenant = await services.GetRequiredService<TenantStore>().GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return view.Layout("Mappings", tenantId, tenant?.Name ?? tenantId, "mappings", body);
    }

    /// <summary>Xero's reference data now, or the copy the last run cached when Xero cannot be reached.</summary>
    private static async Task<ReferenceData?> ReadReferenceDataAsync(IServiceProvider services, string tenantId, CancellationToken cancellationToken)
    {
        try
        {
            return await services.GetRequiredService<LedgerConnector>().LoadReferenceDataAsync(tenantId, cancellationToken).ConfigureAwait(false) is { } live
                ? live with { FetchedAt = (services.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow() }
                : null;
        }
        catch (Exception e) when (e is ConnectorException or HttpRequestException or InvalidOperationException)
        {
            DashboardLog.ReferenceDataUnavailable(services.GetRequiredService<ILoggerFactory>().CreateLogger("SyncKit.AspNetCore.Dashboard"), tenantId, e);
            var cached = await services.GetRequiredService<ReferenceDataCache>().GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
            return cached is null ? null : JsonSerializer.Deserialize<ReferenceData>(cached.Json, CacheJson);
        }
    }

    private static void AccountForm(HtmlPage body, DashboardView view, string tenantId, ReferenceData? reference, string local, string self)
    {
        body.Open("form", ("method", "post"), ("action", view.TenantUrl(tenantId, "/map")), ("class", "card"), ("aria-labelledby", "map-account"));
        body.Element("h3", "GL account", ("id", "map-account"));
        view.AntiforgeryField(body);
        body.Open("input", ("type", "hidden"), ("name", "kind"), ("value", nameof(MappingKind.Account)));
        body.Open("input", ("type", "hidden"), ("name", "returnTo"), ("value", self));
        LocalField(body, "account-local", "Your GL account", local);
        body.Raw("<label for=\"account-remote\">Xero account</label>");
        if (reference is null)
        {
            body.Open("input", ("id", "account-remote"), ("name", "remote"), ("required", string.Empty));
        }
        else
        {
            body.Open("select", ("id", "account-remote"), ("name", "remote"), ("required", string.Empty));
            body.Element("option", "Choose an account", ("value", string.Empty));
            foreach (var account in reference.Accounts.OrderBy(a => a.Code ?? "~", StringComparer.Ordinal))
            {
                // Mappings are by code: an account without one cannot be chosen until it has a code in Xero.
                var usable = account.Code is { Length: > 0 } && !account.IsArchived;
                var text = account.Code is { Length: > 0 } code ? $"{code} — {account.Name}" : $"{account.Name} (no code: add one in Xero)";
                if (account.IsArchived)
                {
                    text += " (archived)";
                }

                body.Element("option", text, ("value", account.Code ?? string.Empty), ("disabled", usable ? null : string.Empty));
            }

            body.Close("select");
        }

        body.Element("button", "Save mapping", ("type", "submit"), ("class", "primary"));
        body.Close("form");
    }

    private static void TaxForm(HtmlPage body, DashboardView view, string tenantId, ReferenceData? reference, string local, string self)
    {
        body.Open("form", ("method", "post"), ("action", view.TenantUrl(tenantId, "/map")), ("class", "card"), ("aria-labelledby", "map-tax"));
        body.Element("h3", "Tax rate", ("id", "map-tax"));
        view.AntiforgeryField(body);
        body.Open("input", ("type", "hidden"), ("name", "kind"), ("value", nameof(MappingKind.TaxRate)));
        body.Open("input", ("type", "hidden"), ("name", "returnTo"), ("value", self));
        LocalField(body, "tax-local", "Your tax code", local);
        body.Raw("<label for=\"tax-remote\">Xero tax rate</label>");
        if (reference is null)
        {
            body.Open("input", ("id", "tax-remote"), ("name", "remote"), ("required", string.Empty));
        }
        else
        {
            body.Open("select", ("id", "tax-remote"), ("name", "remote"), ("required", string.Empty));
            body.Element("option", "Choose a tax rate", ("value", string.Empty));
            foreach (var rate in reference.TaxRates.Where(r => !r.IsArchived).OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase))
            {
                body.Element("option", $"{rate.Name} ({rate.Rate:0.##}%)", ("value", rate.TaxType));
            }

            body.Close("select");
        }

        body.Element("button", "Save mapping", ("type", "submit"), ("class", "primary"));
        body.Close("form");
    }

    /// <summary>
    /// Practice Manager clients by name, for the "client" mapping: read live from Practice Manager (its first pages) for a
    /// practice, with the clients SyncKit has synced added; those alone when Practice Manager cannot be read just now.
    /// </summary>
    private static async Task<IReadOnlyList<(string Name, string RemoteId)>> ClientSuggestionsAsync(IServiceProvider services, string tenantId, CancellationToken cancellationToken)
    {
        var synced = await services.GetRequiredService<ISyncEngine>().QueryLedgerAsync(
            new LedgerQuery { TenantId = tenantId, States = [LedgerState.Synced], Kinds = [Records.RecordKind.Client], PageSize = 500 }, cancellationToken).ConfigureAwait(false);
        var suggestions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var tenant = await services.GetRequiredService<TenantStore>().GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var connector = services.GetRequiredService<LedgerConnector>();
        if (connector.SupportsPull(Records.RecordKind.Client) && (tenant?.Type == TenantType.Practice || synced.Entries.Count > 0))
        {
            try
            {
                string? token = null;
                for (var page = 1; page <= MaxClientPages; page++)
                {
                    var read = await connector.ReadChangesAsync(
                        new PullPageRequest { TenantId = tenantId, Kind = Records.RecordKind.Client, Page = page, PageSize = 500, PageToken = token },
                        cancellationToken).ConfigureAwait(false);
                    foreach (var client in read.Records.OfType<PulledClient>().Where(c => !c.Archived))
                    {
                        suggestions.TryAdd(client.RemoteId, client.Name);
                    }

                    token = read.NextPageToken;
                    if (!read.HasMore && token is null)
                    {
                        break;
                    }
                }
            }
            catch (ConnectorException)
            {
                // Practice Manager could not be read just now: the synced clients below still help.
            }
        }

        foreach (var entry in synced.Entries.Where(e => e.RemoteId is not null))
        {
            suggestions.TryAdd(entry.RemoteId!, entry.DisplayName ?? entry.SourceId);
        }

        return [.. suggestions.Select(p => (p.Value, p.Key)).OrderBy(c => c.Value, StringComparer.OrdinalIgnoreCase)];
    }

    private const int MaxClientPages = 2;

    private static void OtherForm(HtmlPage body, DashboardView view, string tenantId, ReferenceData? reference, IReadOnlyList<(string Name, string RemoteId)> clients, MappingKind? kind, string local, string self)
    {
        body.Open("form", ("method", "post"), ("action", view.TenantUrl(tenantId, "/map")), ("class", "card"), ("aria-labelledby", "map-other"));
        body.Element("h3", "Tracking, client, job, item or terms", ("id", "map-other"));
        view.AntiforgeryField(body);
        body.Open("input", ("type", "hidden"), ("name", "returnTo"), ("value", self));
        body.Raw("<label for=\"other-kind\">What</label>").Open("select", ("id", "other-kind"), ("name", "kind"));
        foreach (var option in Enum.GetValues<MappingKind>().Where(m => m is not MappingKind.Account and not MappingKind.TaxRate))
        {
            body.Element("option", KindLabel(option), ("value", option.ToString()), ("selected", option == kind ? string.Empty : null));
        }

        body.Close("select");
        LocalField(body, "other-local", "Yours", kind is null ? string.Empty : local);
        body.Raw("<label for=\"other-remote\">Xero's</label>").Open("input", ("id", "other-remote"), ("name", "remote"), ("required", string.Empty), ("list", "tracking-options"));
        body.Open("datalist", ("id", "tracking-options"));
        foreach (var (name, remoteId) in clients)
        {
            body.Element("option", name, ("value", remoteId));
        }

        if (reference is not null)
        {
            foreach (var category in reference.TrackingCategories)
            {
                foreach (var option in category.Options)
                {
                    body.Open("option", ("value", $"{category.Name}/{option}")).Close("option");
                }
            }

            foreach (var job in reference.Jobs.Where(j => !j.IsDeleted))
            {
                body.Element("option", $"Job {job.JobNumber} ({job.State})", ("value", job.JobNumber));
            }
        }

        body.Close("datalist");
        body.Element("p", "Tracking is Category/Option; a job is its number (J000123); a client is its Practice Manager id — the suggestions list the clients by name.", ("class", "muted"));
        body.Element("button", "Save mapping", ("type", "submit"), ("class", "primary"));
        body.Close("form");
    }

    private static void ChartOfAccounts(HtmlPage body, ReferenceData reference)
    {
        var withoutCode = reference.Accounts.Where(a => string.IsNullOrEmpty(a.Code) && !a.IsArchived).ToList();
        body.Raw("<section aria-labelledby=\"coa\"><h2 id=\"coa\">Xero's chart of accounts</h2>");
        if (withoutCode.Count > 0)
        {
            body.Element("p", $"{DashboardEndpoints.Count(withoutCode.Count, "account has", "accounts have")} no code. Xero allows that, but records can only be mapped to an account by its code: add a code to the account in Xero, then map it here.", ("class", "notice warn"));
        }

        body.Raw("<details><summary>Accounts, tax rates and tracking categories</summary><div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Code</th><th scope=\"col\">Account</th><th scope=\"col\">Type</th><th scope=\"col\">Note</th></tr></thead><tbody>");
        foreach (var account in reference.Accounts.OrderBy(a => a.Code ?? "~", StringComparer.Ordinal))
        {
            body.Raw("<tr><td>").Text(account.Code ?? "—").Raw("</td><td>").Text(account.Name).Raw("</td><td>").Text(account.Type).Raw("</td><td>")
                .Text(string.IsNullOrEmpty(account.Code) ? "No code: add one in Xero" : account.IsArchived ? "Archived" : null).Raw("</td></tr>");
        }

        body.Raw("</tbody></table></div><div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Tax rate</th><th scope=\"col\">Type</th><th scope=\"col\" class=\"num\">Rate</th></tr></thead><tbody>");
        foreach (var rate in reference.TaxRates.Where(r => !r.IsArchived))
        {
            body.Raw("<tr><td>").Text(rate.Name).Raw("</td><td>").Text(rate.TaxType).Raw("</td><td class=\"num\">").Text($"{rate.Rate:0.##}%").Raw("</td></tr>");
        }

        body.Raw("</tbody></table></div>");
        foreach (var category in reference.TrackingCategories)
        {
            body.Element("p", $"Tracking: {category.Name} — {string.Join(", ", category.Options)}");
        }

        body.Raw("</details></section>");
    }

    private static void LocalField(HtmlPage body, string id, string label, string value)
    {
        body.Element("label", label, ("for", id));
        body.Open("input", ("id", id), ("name", "local"), ("value", value), ("required", string.Empty), ("autocomplete", "off"));
    }

    private static string Describe(MappingKind kind, string remote, ReferenceData? reference) => kind switch
    {
        MappingKind.Account when reference?.FindAccount(remote) is { } account => $"{remote} — {account.Name}",
        MappingKind.Account when reference?.Accounts.FirstOrDefault(a => a.Name == remote) is { } byName => byName.Name,
        MappingKind.TaxRate when reference?.TaxRates.FirstOrDefault(r => r.TaxType == remote) is { } rate => $"{rate.Name} ({remote})",
        _ => remote,
    };

    private static string? Problem(MappingKind kind, string remote, ReferenceData? reference)
    {
        if (reference is null || kind != MappingKind.Account)
        {
            return null;
        }

        return reference.FindAccount(remote) switch
        {
            { IsArchived: true } => "Archived in Xero: choose another account or restore it",
            null when reference.Accounts.Any(a => a.Name == remote && string.IsNullOrEmpty(a.Code)) => "This account has no code in Xero: add one, then map to the code",
            null => "No account with this code in Xero",
            _ => null,
        };
    }

    private static string KindLabel(MappingKind kind) => kind switch
    {
        MappingKind.Account => "GL accounts",
        MappingKind.TaxRate => "Tax rates",
        MappingKind.Item => "Items",
        MappingKind.Contact => "Contacts",
        MappingKind.Client => "Organisations (Practice Manager clients)",
        MappingKind.Tracking => "Tracking",
        MappingKind.PaymentTerms => "Payment terms",
        MappingKind.Job => "Jobs",
        _ => kind.ToString(),
    };
}
