using Microsoft.Extensions.DependencyInjection;
using SyncKit.Records;
using SyncKit.Storage;

namespace SyncKit.AspNetCore.Dashboard.Pages;

/// <summary>The reconciliation list from inbound sync: pulled records no single host record fits, and conflicts.</summary>
internal static class ReconciliationPage
{
    public static async Task<string?> RenderAsync(DashboardView view, string tenantId, CancellationToken cancellationToken)
    {
        var services = view.Context.RequestServices;
        var records = await services.GetRequiredService<ISyncEngine>().GetReconciliationListAsync(tenantId, 200, cancellationToken).ConfigureAwait(false);
        var self = view.TenantUrl(tenantId, "/reconciliation");
        var body = new HtmlPage();
        body.Element("p", "Records pulled from Xero that SyncKit could not match to one of yours, and changes made on both sides. Match them in your product, or dismiss the ones that need nothing.", ("class", "lead"));
        if (records.Count == 0)
        {
            body.Element("p", "Nothing to reconcile.", ("class", "empty"));
        }
        else
        {
            body.Raw("<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Record</th><th scope=\"col\">Kind</th><th scope=\"col\">Why</th><th scope=\"col\">Could be</th><th scope=\"col\">Pulled</th>");
            if (!view.ReadOnly)
            {
                body.Raw("<th scope=\"col\">Actions</th>");
            }

            body.Raw("</tr></thead><tbody>");
            foreach (var record in records)
            {
                body.Raw("<tr><td>").Text(record.DisplayName ?? record.RemoteId).Raw("</td><td>").Text(record.Kind.ToString()).Raw("</td><td>")
                    .Element("span", record.State == InboundState.Conflict ? "Changed on both sides" : "No single match", ("class", "pill warn")).Raw(" ")
                    .Text(record.Message).Raw("</td><td>").Text(record.Candidates.Count == 0 ? "—" : string.Join(", ", record.Candidates)).Raw("</td><td>")
                    .Text(DashboardView.Time(record.UpdatedAt)).Raw("</td>");
                if (!view.ReadOnly)
                {
                    body.Raw("<td>");
                    var name = record.DisplayName ?? record.RemoteId;
                    if (record.State == InboundState.Conflict)
                    {
                        // Changed on both sides: the user says which version stands.
                        view.Form(body, view.TenantUrl(tenantId, "/resolve-conflict"), "Keep ours", [("kind", record.Kind.ToString()), ("remoteId", record.RemoteId), ("take", "ours"), ("returnTo", self)],
                            ariaLabel: $"Keep your version of {name}");
                        view.Form(body, view.TenantUrl(tenantId, "/resolve-conflict"), "Take Xero's", [("kind", record.Kind.ToString()), ("remoteId", record.RemoteId), ("take", "ledger"), ("returnTo", self)],
                            ariaLabel: $"Take Xero's version of {name}");
                    }
                    else if (record.Kind == RecordKind.Payment)
                    {
                        // A payment several invoices could take: the user picks the one it pays.
                        foreach (var invoice in record.Candidates)
                        {
                            view.Form(body, view.TenantUrl(tenantId, "/link"), $"Link to {invoice}", [("remoteId", record.RemoteId), ("invoice", invoice), ("returnTo", self)],
                                ariaLabel: $"Link {name} to invoice {invoice}");
                        }
                    }

                    view.Form(body, view.TenantUrl(tenantId, "/dismiss"), "Dismiss", [("kind", record.Kind.ToString()), ("remoteId", record.RemoteId), ("returnTo", self)],
                        ariaLabel: $"Dismiss {name}");
                    body.Raw("</td>");
                }

                body.Raw("</tr>");
            }

            body.Raw("</tbody></table></div>");
        }

        var tenant = await services.GetRequiredService<TenantStore>().GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return view.Layout("To reconcile", tenantId, tenant?.Name ?? tenantId, "reconciliation", body);
    }
}
