using Microsoft.Playwright;
using SyncKit.Errors;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Testing.Demo;
using static Microsoft.Playwright.Assertions;

namespace SyncKit.AspNetCore.Tests.Dashboard;

/// <summary>The dashboard in a real headless Chromium over the demo data: what the user sees, and what the read-only and secured mounts refuse.</summary>
public sealed class DashboardBrowserTests(BrowserSite site) : IClassFixture<BrowserSite>
{
    public static readonly (RecordKind Kind, string SourceId, bool Practice, LedgerState State, string Category)[] SeedProblems =
    [
        (RecordKind.Invoice, DemoProblems.GlUnmapped, false, LedgerState.Unmapped, ErrorCategories.GlMapping),
        (RecordKind.Invoice, DemoProblems.LockDate, false, LedgerState.Failed, ErrorCategories.LockDates),
        (RecordKind.Invoice, DemoProblems.ArchivedAccount, false, LedgerState.Failed, ErrorCategories.AccountArchived),
        (RecordKind.Invoice, DemoProblems.AccountWithoutCode, false, LedgerState.Failed, ErrorCategories.AccountWithoutCode),
        (RecordKind.Invoice, DemoProblems.ZeroUnpaid, false, LedgerState.Skipped, ErrorCategories.NotSent),
        (RecordKind.Payment, DemoProblems.PaymentsAccount, false, LedgerState.Failed, ErrorCategories.PaymentsAccount),
        (RecordKind.Cost, DemoProblems.UnmappedOrganisation, true, LedgerState.Unmapped, ErrorCategories.UnmappedOrganisation),
        (RecordKind.Cost, DemoProblems.JobNotInProgress, true, LedgerState.Failed, ErrorCategories.JobState),
        (RecordKind.Cost, DemoProblems.JobDeleted, true, LedgerState.Failed, ErrorCategories.JobDeleted),
        (RecordKind.Cost, DemoProblems.WipLocked, true, LedgerState.Failed, ErrorCategories.LockDates),
    ];

    [BrowserFact]
    public async Task ErrorTab_ShowsEachSeedProblem_WithItsReasonXerosMessageAndStepsToFix()
    {
        var page = await site.NewPageAsync();
        await page.GotoAsync("/portal/synckit/");
        await BrowserSite.ScreenshotAsync(page, "tenants");

        foreach (var tenant in new[] { "Demo Organisation", "Demo Practice" })
        {
            await page.GotoAsync("/portal/synckit/");
            await page.GetByRole(AriaRole.Link, new() { Name = tenant }).ClickAsync();
            await TenantTab(page, "Sync Error").ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sync Error", Level = 1 })).ToBeVisibleAsync();
            if (tenant == "Demo Organisation")
            {
                await BrowserSite.ScreenshotAsync(page, "errors");
            }

            foreach (var (kind, sourceId, practice, state, category) in SeedProblems.Where(p => p.Practice == (tenant == "Demo Practice")))
            {
                var entry = await site.EntryAsync(practice ? site.Demo.PracticeId : site.Demo.OrganisationId, kind, sourceId);
                Assert.True(entry is { Error: not null }, $"{kind} {sourceId} has no error");
                Assert.Equal((state, category), (entry.State, entry.Error.Category));

                var row = page.Locator($"tr[data-record=\"{kind}:{sourceId}\"]");
                await Expect(row).ToContainTextAsync(entry.Error.Reason);
                await Expect(row).ToContainTextAsync(entry.Error.Message);
                await Expect(row.Locator("ol.steps li").First).ToHaveTextAsync(entry.Error.Resolution[0]);
            }
        }
    }

    [BrowserFact]
    public async Task RecordPage_ShowsTheWarningOfARecordSyncedWithRounding()
    {
        var page = await site.NewPageAsync();

        await page.GotoAsync(site.Dashboard("synckit", site.Demo.OrganisationId, $"/records/Invoice/{DemoProblems.Rounding}"));

        await Expect(page.Locator("dl.facts")).ToContainTextAsync("Synced");
        var entry = await site.EntryAsync(site.Demo.OrganisationId, RecordKind.Invoice, DemoProblems.Rounding);
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync(entry!.Warnings[0].Message);
    }

    [BrowserFact]
    public async Task Overview_ShowsTheConnectionCountsChartAndCallsUsedAgainstTheDaysLimit()
    {
        var page = await site.NewPageAsync();

        await page.GotoAsync(site.Dashboard("synckit", site.Demo.OrganisationId));

        await Expect(page.Locator(".pill.ok")).ToHaveTextAsync("Active");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sync All" })).ToBeEnabledAsync();
        await Expect(page.Locator("svg.chart rect.synced")).Not.ToHaveCountAsync(0);
        await Expect(page.Locator("meter")).ToHaveCountAsync(1);
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("calls used");
        await BrowserSite.ScreenshotAsync(page, "overview");
    }

    [BrowserFact]
    public async Task UnmappedAndPendingActionLists_ShowTheirRecords()
    {
        var page = await site.NewPageAsync();

        await page.GotoAsync(site.Dashboard("synckit", site.Demo.OrganisationId, "/unmapped"));
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Map GL-UNMAPPED" })).ToBeVisibleAsync();
        await BrowserSite.ScreenshotAsync(page, "unmapped");

        await TenantTab(page, "Pending Action").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Checkbox)).Not.ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send selected" })).ToBeVisibleAsync();
        await BrowserSite.ScreenshotAsync(page, "pending-action");
    }

    [BrowserFact]
    public async Task MappingsEditor_OffersXerosAccountsByCode_AndFlagsAnAccountWithoutACode()
    {
        var page = await site.NewPageAsync();

        await page.GotoAsync(site.Dashboard("synckit", site.Demo.OrganisationId, "/mappings?kind=Account&local=GL-UNMAPPED"));

        await Expect(page.Locator("#account-local")).ToHaveValueAsync("GL-UNMAPPED");
        await Expect(page.Locator("#account-remote option[value='200']")).ToBeEnabledAsync();
        await Expect(page.Locator("#account-remote option", new() { HasText = "Trust Liability (no code: add one in Xero)" })).ToBeDisabledAsync();
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("1 account has no code");
        await BrowserSite.ScreenshotAsync(page, "mappings");
    }

    [BrowserFact]
    public async Task MappingsEditor_OffersPracticeManagerClientsReadLive_NotOnlyThoseSyncKitSynced()
    {
        var page = await site.NewPageAsync();

        await page.GotoAsync(site.Dashboard("synckit", site.Demo.PracticeId, "/mappings?kind=Client&local=org-unknown"));

        // The demo's legacy client was added in Practice Manager itself: only a live read can offer it.
        await Expect(page.Locator("#tracking-options option", new() { HasText = "Legacy Client Pty Ltd" })).ToHaveCountAsync(1);
    }

    [BrowserFact]
    public async Task NarrowWindow_ErrorTab_FitsWithoutSidewaysScrolling()
    {
        var page = await site.NewPageAsync(width: 390, height: 844);

        await page.GotoAsync(site.Dashboard("synckit", site.Demo.OrganisationId, "/errors"));

        await Expect(page.Locator($"tr[data-record=\"Invoice:{DemoProblems.LockDate}\"]")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "The error tab scrolls sideways in a narrow window.");
        await BrowserSite.ScreenshotAsync(page, "errors-narrow");
    }

    [BrowserFact]
    public async Task ReadOnly_ShowsNoActions_AndRefusesAForgedPost()
    {
        var page = await site.NewPageAsync();
        await page.GotoAsync(site.Dashboard("readonly", site.Demo.OrganisationId, "/errors"));

        await Expect(page.Locator($"tr[data-record=\"Invoice:{DemoProblems.LockDate}\"]")).ToBeVisibleAsync();
        await Expect(page.Locator("form[method=post]")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Retry" })).ToHaveCountAsync(0);
        await Expect(page.Locator(".badge")).ToHaveTextAsync("Read-only");
        await BrowserSite.ScreenshotAsync(page, "read-only");

        // A genuine form token from the read-write dashboard, replayed against the read-only one.
        await page.GotoAsync(site.Dashboard("synckit", site.Demo.OrganisationId, "/errors"));
        var token = await page.Locator("input[name=__RequestVerificationToken]").First.GetAttributeAsync("value");
        var forged = await page.APIRequest.PostAsync(site.Dashboard("readonly", site.Demo.OrganisationId, "/skip"), new()
        {
            Form = page.APIRequest.CreateFormData().Set("key", $"Invoice:{DemoProblems.LockDate}").Set("__RequestVerificationToken", token!),
            MaxRedirects = 0,
        });

        Assert.Equal(403, forged.Status);
        Assert.Equal(LedgerState.Failed, (await site.EntryAsync(site.Demo.OrganisationId, RecordKind.Invoice, DemoProblems.LockDate))!.State);
    }

    [BrowserFact]
    public async Task Policy_RefusesPagesAssetsAndActions_ToABrowserWithoutIt()
    {
        var outsider = await site.NewPageAsync();
        var admin = await site.NewPageAsync(headers: new Dictionary<string, string> { [HeaderAuthentication.UserHeader] = "ada", [HeaderAuthentication.RoleHeader] = "SyncAdmin" });

        // Chromium shows its own error page for an empty 401, so the page is fetched through the browser's request context.
        var page = await outsider.APIRequest.GetAsync("/portal/secured/");
        var asset = await outsider.APIRequest.GetAsync("/portal/secured/assets/dashboard.css");
        var action = await outsider.APIRequest.PostAsync(site.Dashboard("secured", site.Demo.OrganisationId, "/skip"), new()
        {
            Form = outsider.APIRequest.CreateFormData().Set("key", $"Invoice:{DemoProblems.LockDate}"),
            MaxRedirects = 0,
        });
        var allowed = await admin.GotoAsync("/portal/secured/");

        Assert.Equal((401, 401, 401), (page.Status, asset.Status, action.Status));
        Assert.Equal(200, allowed!.Status);
        await Expect(admin.GetByRole(AriaRole.Link, new() { Name = "Demo Organisation" })).ToBeVisibleAsync();
        Assert.Equal(LedgerState.Failed, (await site.EntryAsync(site.Demo.OrganisationId, RecordKind.Invoice, DemoProblems.LockDate))!.State);
    }

    internal static ILocator TenantTab(IPage page, string name) =>
        page.GetByRole(AriaRole.Navigation, new() { Name = "Tenant pages" }).GetByRole(AriaRole.Link, new() { Name = name, Exact = true });
}
