using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using SyncKit.Ledger;

namespace SyncKit.AspNetCore.Dashboard.Pages;

/// <summary>What every page of one request needs: the dashboard's address (under the host's path base), the options and the form token.</summary>
internal sealed class DashboardView
{
    private readonly Lazy<AntiforgeryTokenSet?> _tokens;

    public DashboardView(HttpContext context, string prefix, SyncKitDashboardOptions options, IAntiforgery antiforgery)
    {
        Context = context;
        Options = options;

        // Links carry the path base, so the dashboard works under a virtual folder and behind a reverse proxy that sets it.
        Base = context.Request.PathBase.Add(new PathString(prefix)).Value ?? string.Empty;

        // Tokens (and their cookie) only for a page that draws a form: a redirect or the progress poll needs none.
        _tokens = new(() => options.ReadOnly ? null : antiforgery.GetAndStoreTokens(context));
    }

    public HttpContext Context { get; }

    public SyncKitDashboardOptions Options { get; }

    public string Base { get; }

    public bool ReadOnly => Options.ReadOnly;

    public string Url(string path) => Base + path;

    public string TenantUrl(string tenantId, string path = "") => $"{Base}/tenants/{Uri.EscapeDataString(tenantId)}{path}";

    public string RecordUrl(LedgerKey key) =>
        TenantUrl(key.TenantId, $"/records/{key.Kind}/{Uri.EscapeDataString(key.SourceId)}");

    /// <summary>A one-button POST form with its antiforgery field; nothing in read-only mode.</summary>
    public void Form(HtmlPage page, string action, string label, IEnumerable<(string Name, string Value)> fields, string? cssClass = null, bool disabled = false, string? ariaLabel = null)
    {
        if (ReadOnly)
        {
            return;
        }

        page.Open("form", ("method", "post"), ("action", action), ("class", "inline"));
        AntiforgeryField(page);
        foreach (var (name, value) in fields)
        {
            page.Open("input", ("type", "hidden"), ("name", name), ("value", value));
        }

        page.Element("button", label, ("type", "submit"), ("class", cssClass), ("disabled", disabled ? string.Empty : null), ("aria-label", ariaLabel));
        page.Close("form");
    }

    public void AntiforgeryField(HtmlPage page)
    {
        if (_tokens.Value is { FormFieldName: { } name, RequestToken: { } token })
        {
            page.Open("input", ("type", "hidden"), ("name", name), ("value", token));
        }
    }

    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "—";

    public static string Duration(TimeSpan? duration) => duration switch
    {
        null => "—",
        { TotalSeconds: < 1 } d => string.Create(CultureInfo.InvariantCulture, $"{d.TotalMilliseconds:0} ms"),
        { TotalMinutes: < 1 } d => string.Create(CultureInfo.InvariantCulture, $"{d.TotalSeconds:0.0} s"),
        var d => string.Create(CultureInfo.InvariantCulture, $"{(int)d.Value.TotalMinutes} min {d.Value.Seconds} s"),
    };

    /// <summary>The state as the accountant knows it (the seeds' words).</summary>
    public static string StateLabel(LedgerState state) => state switch
    {
        LedgerState.Failed => "Sync Error",
        LedgerState.Held => "Pending Action",
        LedgerState.InFlight => "Pending Sync",
        LedgerState.RetryScheduled => "Retry scheduled",
        LedgerState.Uncertain => "Being checked",
        LedgerState.Skipped => "Not sent",
        _ => state.ToString(),
    };

    /// <summary>The whole page: header, tenant tabs, the notice of the last action, the body.</summary>
    public string Layout(string title, string? tenantId, string? tenantName, string activeTab, HtmlPage body)
    {
        var page = new HtmlPage();
        page.Raw("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        page.Element("title", $"{title} · {Options.Title}");
        page.Open("link", ("rel", "stylesheet"), ("href", Url("/assets/dashboard.css")));
        page.Raw("</head><body><a class=\"skip\" href=\"#main\">Skip to content</a><header class=\"top\">");
        page.Link(Url("/"), Options.Title, "brand");
        if (ReadOnly)
        {
            page.Element("span", "Read-only", ("class", "badge"));
        }

        page.Raw("</header>");
        if (tenantId is not null)
        {
            page.Open("nav", ("aria-label", "Tenant pages"), ("class", "tabs")).Raw("<ul>");
            foreach (var (tab, path, label) in Tabs)
            {
                page.Raw("<li>").Open("a", ("href", TenantUrl(tenantId, path)), ("aria-current", tab == activeTab ? "page" : null)).Text(label).Raw("</a></li>");
            }

            page.Raw("</ul></nav>");
        }

        page.Raw("<main id=\"main\">");
        if (tenantName is not null)
        {
            page.Element("p", tenantName, ("class", "tenant"));
        }

        page.Element("h1", title);
        if (Context.Request.Query["notice"].ToString() is { Length: > 0 } notice)
        {
            page.Element("p", notice, ("class", "notice"), ("role", "status"));
        }

        page.Raw(body.ToString());
        page.Raw("</main>");
        page.Open("script", ("src", Url("/assets/dashboard.js")), ("defer", string.Empty)).Raw("</script></body></html>");
        return page.ToString();
    }

    private static readonly (string Tab, string Path, string Label)[] Tabs =
    [
        ("overview", string.Empty, "Overview"),
        ("errors", "/errors", "Sync Error"),
        ("unmapped", "/unmapped", "Unmapped"),
        ("held", "/held", "Pending Action"),
        ("reconciliation", "/reconciliation", "To reconcile"),
        ("mappings", "/mappings", "Mappings"),
        ("activity", "/activity", "Activity"),
    ];
}
