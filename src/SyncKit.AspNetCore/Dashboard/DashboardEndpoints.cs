using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SyncKit.AspNetCore.Dashboard.Pages;
using SyncKit.Authorization;
using SyncKit.Ledger;
using SyncKit.Mapping;
using SyncKit.Records;
using SyncKit.Storage;

namespace SyncKit.AspNetCore.Dashboard;

/// <summary>The dashboard's routes: GET pages and assets, POST actions (each through <see cref="DashboardGuard"/>).</summary>
internal static class DashboardEndpoints
{
    public static void Map(RouteGroupBuilder group, string prefix, SyncKitDashboardOptions options)
    {
        var guard = new DashboardGuard(options);
        DashboardView View(HttpContext c) => new(c, prefix, options, c.RequestServices.GetRequiredService<IAntiforgery>());

        group.MapGet("/assets/{name}", (string name) => DashboardAssets.Serve(name));
        group.MapGet("/", (HttpContext c, CancellationToken _) => Page(c, null, v => TenantPages.ListAsync(v, c.RequestAborted)));
        group.MapGet("/tenants/{tenantId}", (HttpContext c, string tenantId) => Page(c, tenantId, v => TenantPages.OverviewAsync(v, tenantId, c.RequestAborted)));
        group.MapGet("/tenants/{tenantId}/progress", (HttpContext c, string tenantId) => Page(c, tenantId, _ => TenantPages.ProgressAsync(c, tenantId, c.RequestAborted), json: true));
        group.MapGet("/tenants/{tenantId}/errors", (HttpContext c, string tenantId) => Page(c, tenantId, v => RecordPages.ErrorsAsync(v, tenantId, c.RequestAborted)));
        group.MapGet("/tenants/{tenantId}/unmapped", (HttpContext c, string tenantId) => Page(c, tenantId, v => RecordPages.UnmappedAsync(v, tenantId, c.RequestAborted)));
        group.MapGet("/tenants/{tenantId}/held", (HttpContext c, string tenantId) => Page(c, tenantId, v => RecordPages.HeldAsync(v, tenantId, c.RequestAborted)));
        group.MapGet("/tenants/{tenantId}/records/{kind}/{sourceId}", (HttpContext c, string tenantId, RecordKind kind, string sourceId) =>
            Page(c, tenantId, v => RecordPages.RecordAsync(v, new LedgerKey(tenantId, kind, sourceId), c.RequestAborted)));
        group.MapGet("/tenants/{tenantId}/reconciliation", (HttpContext c, string tenantId) => Page(c, tenantId, v => ReconciliationPage.RenderAsync(v, tenantId, c.RequestAborted)));
        group.MapGet("/tenants/{tenantId}/mappings", (HttpContext c, string tenantId) => Page(c, tenantId, v => MappingsPage.RenderAsync(v, tenantId, c.RequestAborted)));
        group.MapGet("/tenants/{tenantId}/activity", (HttpContext c, string tenantId) => Page(c, tenantId, v => ActivityPages.ActivityAsync(v, tenantId, c.RequestAborted)));
        group.MapGet("/tenants/{tenantId}/activity/{runId}", (HttpContext c, string tenantId, string runId) => Page(c, tenantId, v => ActivityPages.RunAsync(v, tenantId, runId, c.RequestAborted)));

        group.MapPost("/tenants/{tenantId}/sync", (HttpContext c, string tenantId) => Act(c, tenantId, SyncPermission.SyncAll, "Sync All", ct => TenantActions.SyncAllAsync(c, tenantId, ct), View(c).TenantUrl(tenantId)));
        group.MapPost("/tenants/{tenantId}/preview", async (HttpContext c, string tenantId) =>
        {
            // A preview sends nothing, so it shows its answer at once instead of redirecting; it is still an action (it reads Xero).
            string? html = null;
            var result = await Act(c, tenantId, SyncPermission.Preview, "Preview", async ct =>
            {
                html = await TenantPages.PreviewAsync(View(c), tenantId, ct).ConfigureAwait(false);
                return "Preview shown.";
            }, View(c).TenantUrl(tenantId)).ConfigureAwait(false);
            return html is null ? result : Results.Content(html, "text/html; charset=utf-8");
        });
        group.MapPost("/tenants/{tenantId}/retry", async (HttpContext c, string tenantId) =>
        {
            var form = await c.Request.ReadFormAsync(c.RequestAborted).ConfigureAwait(false);
            return await Act(c, tenantId, SyncPermission.Retry, Target(form), ct => TenantActions.RetryAsync(c, tenantId, form, ct), ReturnTo(c, form)).ConfigureAwait(false);
        });
        group.MapPost("/tenants/{tenantId}/skip", async (HttpContext c, string tenantId) =>
        {
            var form = await c.Request.ReadFormAsync(c.RequestAborted).ConfigureAwait(false);
            return await Act(c, tenantId, SyncPermission.Skip, Target(form), ct => TenantActions.SkipAsync(c, tenantId, form, ct), ReturnTo(c, form)).ConfigureAwait(false);
        });
        group.MapPost("/tenants/{tenantId}/resolve", async (HttpContext c, string tenantId) =>
        {
            var form = await c.Request.ReadFormAsync(c.RequestAborted).ConfigureAwait(false);
            return await Act(c, tenantId, SyncPermission.Resolve, Target(form), ct => TenantActions.ResolveAsync(c, tenantId, form, ct), ReturnTo(c, form)).ConfigureAwait(false);
        });
        group.MapPost("/tenants/{tenantId}/release", async (HttpContext c, string tenantId) =>
        {
            var form = await c.Request.ReadFormAsync(c.RequestAborted).ConfigureAwait(false);
            return await Act(c, tenantId, SyncPermission.Release, Target(form), ct => TenantActions.ReleaseAsync(c, tenantId, form, ct), ReturnTo(c, form)).ConfigureAwait(false);
        });
        group.MapPost("/tenants/{tenantId}/map", async (HttpContext c, string tenantId) =>
        {
            var form = await c.Request.ReadFormAsync(c.RequestAborted).ConfigureAwait(false);
            var target = $"{form["kind"]} {form["local"]} → {form["remote"]}";
            return await Act(c, tenantId, SyncPermission.Map, target, ct => TenantActions.MapAsync(c, tenantId, form, ct), ReturnTo(c, form)).ConfigureAwait(false);
        });
        group.MapPost("/tenants/{tenantId}/dismiss", async (HttpContext c, string tenantId) =>
        {
            var form = await c.Request.ReadFormAsync(c.RequestAborted).ConfigureAwait(false);
            var target = $"{form["kind"]} {form["remoteId"]}";
            return await Act(c, tenantId, SyncPermission.Pull, target, ct => TenantActions.DismissAsync(c, tenantId, form, ct), ReturnTo(c, form)).ConfigureAwait(false);
        });
        group.MapPost("/tenants/{tenantId}/link", async (HttpContext c, string tenantId) =>
        {
            var form = await c.Request.ReadFormAsync(c.RequestAborted).ConfigureAwait(false);
            var target = $"Payment {form["remoteId"]} → invoice {form["invoice"]}";
            return await Act(c, tenantId, SyncPermission.Pull, target, ct => TenantActions.LinkPaymentAsync(c, tenantId, form, ct), ReturnTo(c, form)).ConfigureAwait(false);
        });
        group.MapPost("/tenants/{tenantId}/resolve-conflict", async (HttpContext c, string tenantId) =>
        {
            var form = await c.Request.ReadFormAsync(c.RequestAborted).ConfigureAwait(false);
            var target = $"{form["kind"]} {form["remoteId"]}: {form["take"]}";
            return await Act(c, tenantId, SyncPermission.Resolve, target, ct => TenantActions.ResolveConflictAsync(c, tenantId, form, ct), ReturnTo(c, form)).ConfigureAwait(false);
        });

        async Task<IResult> Page(HttpContext c, string? tenantId, Func<DashboardView, Task<string?>> render, bool json = false)
        {
            c.Response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
            c.Response.Headers.XContentTypeOptions = "nosniff";
            c.Response.Headers.CacheControl = "no-store";
            if (tenantId is not null)
            {
                if (await c.RequestServices.GetRequiredService<TenantStore>().GetAsync(tenantId, c.RequestAborted).ConfigureAwait(false) is null)
                {
                    return Results.NotFound();
                }

                if (!await DashboardGuard.IsAllowedAsync(c, SyncPermission.View, tenantId).ConfigureAwait(false))
                {
                    return Results.Text("You are not allowed to see this tenant.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);
                }
            }

            var body = await render(View(c)).ConfigureAwait(false);
            return body is null ? Results.NotFound() : Results.Content(body, json ? "application/json; charset=utf-8" : "text/html; charset=utf-8");
        }

        async Task<IResult> Act(HttpContext c, string tenantId, SyncPermission permission, string target, Func<CancellationToken, Task<string>> act, string returnTo)
        {
            if (await c.RequestServices.GetRequiredService<TenantStore>().GetAsync(tenantId, c.RequestAborted).ConfigureAwait(false) is null)
            {
                return Results.NotFound();
            }

            return await guard.RunAsync(c, tenantId, permission, target, act, returnTo).ConfigureAwait(false);
        }
    }

    private static string Target(IFormCollection form) =>
        form["key"].Count > 0 ? string.Join(", ", form["key"].ToArray())
        : form["category"] is { Count: > 0 } category ? $"category {category}"
        : "all";

    /// <summary>The page to show after an action: the form's own page when it is one of the dashboard's, else the tenant's overview.</summary>
    private static string ReturnTo(HttpContext c, IFormCollection form)
    {
        var back = form["returnTo"].ToString();
        var prefix = c.Request.PathBase.Add(c.Request.Path).Value ?? string.Empty;
        var tenantRoot = prefix[..(prefix.LastIndexOf('/') is var i and > 0 ? i : prefix.Length)];

        // Only a path under this tenant's own pages: never an open redirect.
        return back.StartsWith(tenantRoot + "/", StringComparison.Ordinal) && !back.Contains("//", StringComparison.Ordinal) && !back.Contains('\\', StringComparison.Ordinal)
            ? back
            : tenantRoot;
    }

    /// <summary>Reads <c>Kind:SourceId</c> keys from a form field.</summary>
    public static IReadOnlyList<LedgerKey> Keys(string tenantId, IFormCollection form)
    {
        var keys = new List<LedgerKey>();
        foreach (var value in form["key"])
        {
            if (value?.Split(':', 2) is [var kind, var sourceId] && Enum.TryParse<RecordKind>(kind, out var k) && sourceId.Length > 0)
            {
                keys.Add(new LedgerKey(tenantId, k, sourceId));
            }
        }

        return keys;
    }

    public static string KeyValue(LedgerKey key) => $"{key.Kind}:{key.SourceId}";

    public static bool TryMappingKind(string? value, out MappingKind kind) =>
        Enum.TryParse(value, ignoreCase: false, out kind) && Enum.IsDefined(kind);

    public static string Count(int n, string one, string many) => n == 1 ? $"1 {one}" : string.Create(CultureInfo.InvariantCulture, $"{n:N0} {many}");
}
