using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SyncKit.Settings;

namespace SyncKit.AspNetCore.Dashboard.Pages;

/// <summary>
/// A tenant's settings on its overview, read-only: what the tenant set, and for each sending policy it left unset the
/// process-wide value its runs take instead. Settings are changed by the host (<see cref="ISyncEngine.SaveTenantSettingsAsync"/>).
/// </summary>
internal static class SettingsSection
{
    public static async Task RenderAsync(HtmlPage body, DashboardView view, string tenantId, CancellationToken cancellationToken)
    {
        var services = view.Context.RequestServices;
        var settings = await services.GetRequiredService<ISyncEngine>().GetTenantSettingsAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var options = services.GetService<IOptions<SyncOptions>>()?.Value ?? new SyncOptions();

        body.Raw("<section aria-labelledby=\"settings\"><h2 id=\"settings\">Settings</h2><div class=\"table-wrap\"><table class=\"settings\"><thead><tr><th scope=\"col\">Setting</th><th scope=\"col\">This organisation</th></tr></thead><tbody>");
        Row(body, "Direction", settings.Directions.Count == 0 ? "Every kind both ways" : Join(settings.Directions.OrderBy(d => d.Key).Select(d => $"{d.Key}: {Direction(d.Value)}")));
        Row(body, "When both sides changed a record", settings.ConflictPolicies.Count == 0 ? "Ours wins (every kind)" : Join(settings.ConflictPolicies.OrderBy(p => p.Key).Select(p => $"{p.Key}: {Policy(p.Value)}")));
        if (settings.FieldConflictPolicies.Count > 0)
        {
            Row(body, "… for single fields", Join(settings.FieldConflictPolicies.OrderBy(k => k.Key).SelectMany(k => k.Value.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{k.Key}.{f.Key}: {Policy(f.Value)}"))));
        }

        Row(body, "Push payments", OnOff(settings.PushPayments ?? true, settings.PushPayments is null));
        Row(body, "Import payments made in Xero", OnOff(settings.ImportPayments ?? true, settings.ImportPayments is null));
        Row(body, "$0 invoices", Inherited(settings.ZeroValueDocuments, options.ZeroValueDocuments, v => v switch
        {
            ZeroValuePolicy.Send => "Always sent",
            ZeroValuePolicy.Skip => "Never sent",
            _ => "Sent only when paid",
        }));
        Row(body, "Negative invoices", Inherited(settings.NegativeInvoices, options.NegativeInvoices, v => v == NegativeInvoicePolicy.Skip ? "Not sent (refund made by hand)" : "Sent as credit notes"));
        Row(body, "Summarise lines", Inherited(settings.SummariseLines, options.SummariseLines, v => v ? "Yes" : "No"));
        Row(body, "Rounding account", settings.RoundingAccountKey is null
            ? Default(options.RoundingAccountKey ?? "None")
            : settings.RoundingAccountKey.Length == 0 ? "None" : settings.RoundingAccountKey);
        Row(body, "Largest rounding adjusted", Inherited(settings.MaxRoundingAdjustment, options.MaxRoundingAdjustment, v => v.ToString("0.00", CultureInfo.InvariantCulture)));
        Row(body, "Warn when a contact has no billing person", Inherited(settings.WarnOnMissingBillingContact, options.WarnOnMissingBillingContact, v => v ? "Yes" : "No"));
        Row(body, "Hold for approval", (settings.ApprovalHold ?? ApprovalHold.Policy) switch
        {
            ApprovalHold.Off => "Never",
            ApprovalHold.Always => settings.ApprovalHoldKinds.Count == 0 ? "Every record" : "Every " + Join(settings.ApprovalHoldKinds.Select(k => k.ToString())),
            _ => "As the approval policy says",
        });
        body.Raw("</tbody></table></div>");
        body.Element("p", "Settings are read at the start of each sync. Values marked (default) are the application's own.", ("class", "muted"));
        body.Raw("</section>");
    }

    private static void Row(HtmlPage body, string name, string value) =>
        body.Raw("<tr><th scope=\"row\">").Text(name).Raw("</th><td>").Text(value).Raw("</td></tr>");

    private static string Inherited<T>(T? own, T fallback, Func<T, string> describe)
        where T : struct => own is { } value ? describe(value) : Default(describe(fallback));

    private static string Default(string value) => value + " (default)";

    private static string OnOff(bool on, bool isDefault) => (on ? "On" : "Off") + (isDefault ? " (default)" : string.Empty);

    private static string Join(IEnumerable<string> parts) => string.Join("; ", parts);

    private static string Direction(SyncDirection direction) => direction switch
    {
        SyncDirection.PushOnly => "to Xero only",
        SyncDirection.PullOnly => "from Xero only",
        SyncDirection.Off => "off",
        _ => "both ways",
    };

    private static string Policy(ConflictPolicy policy) => policy switch
    {
        ConflictPolicy.LedgerWins => "Xero wins",
        ConflictPolicy.NewestWins => "newest wins",
        ConflictPolicy.ApplyAfterPush => "Xero's applied after ours is sent",
        ConflictPolicy.Ask => "ask a user",
        _ => "ours wins",
    };
}
