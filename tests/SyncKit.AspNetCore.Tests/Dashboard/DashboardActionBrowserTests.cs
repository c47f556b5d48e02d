using Microsoft.Playwright;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Testing.Demo;
using static Microsoft.Playwright.Assertions;

namespace SyncKit.AspNetCore.Tests.Dashboard;

/// <summary>A user fixes things from the dashboard in a real Chromium: maps a GL account and retries, sends a held record.</summary>
public sealed class DashboardActionBrowserTests(BrowserSite site) : IClassFixture<BrowserSite>
{
    [BrowserFact]
    public async Task GlMapping_FixedInTheEditor_ThenRetried_IsSynced()
    {
        var page = await site.NewPageAsync();
        await page.GotoAsync(site.Dashboard("synckit", site.Demo.OrganisationId, "/unmapped"));

        await page.GetByRole(AriaRole.Link, new() { Name = "Map GL-UNMAPPED" }).ClickAsync();
        await Expect(page.Locator("#account-local")).ToHaveValueAsync("GL-UNMAPPED");
        await page.Locator("#account-remote").SelectOptionAsync("200");
        await page.Locator("form[aria-labelledby=map-account]").GetByRole(AriaRole.Button, new() { Name = "Save mapping" }).ClickAsync();
        await Expect(page.Locator(".notice[role=status]")).ToContainTextAsync("1 record back to Pending");

        await page.GotoAsync(site.Dashboard("synckit", site.Demo.OrganisationId, $"/records/Invoice/{DemoProblems.GlUnmapped}"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Retry INV-90001" }).ClickAsync();

        await Expect(page.Locator(".notice[role=status]")).ToContainTextAsync("Synced");
        await Expect(page.Locator("dl.facts")).ToContainTextAsync("Synced");
        var entry = await site.EntryAsync(site.Demo.OrganisationId, RecordKind.Invoice, DemoProblems.GlUnmapped);
        Assert.True(entry is { State: LedgerState.Synced, RemoteId: not null }, $"{entry?.State} {entry?.Error?.Message}");
    }

    [BrowserFact]
    public async Task HeldRecord_Sent_IsSynced()
    {
        var page = await site.NewPageAsync();
        await page.GotoAsync(site.Dashboard("synckit", site.Demo.OrganisationId, "/held"));
        var choice = page.GetByRole(AriaRole.Checkbox).First;
        var key = (await choice.GetAttributeAsync("value"))!.Split(':', 2);

        await choice.CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send selected" }).ClickAsync();
        await Expect(page.Locator(".notice[role=status]")).ToContainTextAsync("1 record sent for syncing");

        // The overview follows the run it started and shows "No sync under way." once it has completed.
        await page.GotoAsync(site.Dashboard("synckit", site.Demo.OrganisationId));
        await Expect(page.Locator("#progress")).ToHaveTextAsync("No sync under way.");
        await page.GotoAsync(site.Dashboard("synckit", site.Demo.OrganisationId, $"/records/{key[0]}/{key[1]}"));
        await Expect(page.Locator("dl.facts")).ToContainTextAsync("Synced");
        Assert.Equal(LedgerState.Synced, (await site.EntryAsync(site.Demo.OrganisationId, Enum.Parse<RecordKind>(key[0]), key[1]))!.State);
    }
}
