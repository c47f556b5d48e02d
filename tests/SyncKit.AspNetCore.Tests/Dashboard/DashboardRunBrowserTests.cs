using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace SyncKit.AspNetCore.Tests.Dashboard;

/// <summary>Sync All in a real Chromium: disabled while a run is under way (held at a gate in the host's source), back when it completes.</summary>
public sealed class DashboardRunBrowserTests(BrowserSite site) : IClassFixture<BrowserSite>
{
    [BrowserFact]
    public async Task SyncAll_WhileARunIsUnderWay_IsDisabled_AndComesBackWhenItCompletes()
    {
        var page = await site.NewPageAsync();
        await page.GotoAsync(site.Dashboard("synckit", site.Demo.OrganisationId));
        var syncAll = page.GetByRole(AriaRole.Button, new() { Name = "Sync All" });
        await Expect(syncAll).ToBeEnabledAsync();

        site.Demo.Gate.Close();
        await syncAll.ClickAsync();

        await Expect(page.Locator(".notice[role=status]")).ToContainTextAsync("Sync All started");
        await Expect(syncAll).ToBeDisabledAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Preview" })).ToBeDisabledAsync();
        await Expect(page.Locator("#progress")).ToContainTextAsync("Sync under way");
        await BrowserSite.ScreenshotAsync(page, "run-under-way");

        // Someone else opening the page meanwhile sees the same.
        var other = await site.NewPageAsync();
        await other.GotoAsync(site.Dashboard("synckit", site.Demo.OrganisationId));
        await Expect(other.GetByRole(AriaRole.Button, new() { Name = "Sync All" })).ToBeDisabledAsync();

        site.Demo.Gate.Open();
        await Expect(page.Locator("#progress")).ToHaveTextAsync("No sync under way.");
        await Expect(syncAll).ToBeEnabledAsync();

        await DashboardBrowserTests.TenantTab(page, "Activity").ClickAsync();
        await Expect(page.Locator("tbody tr").First).ToContainTextAsync("anonymous");
        await BrowserSite.ScreenshotAsync(page, "activity");
    }
}
