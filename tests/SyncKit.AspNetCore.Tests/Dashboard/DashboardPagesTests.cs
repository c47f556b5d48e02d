using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SyncKit.Errors;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Storage;
using SyncKit.Testing.Demo;

namespace SyncKit.AspNetCore.Tests.Dashboard;

/// <summary>What the pages show and what their bulk actions do, in process over the demo practice.</summary>
public sealed class DashboardPagesTests
{
    [Fact]
    public async Task Overview_OfADisconnectedTenant_ShowsTheReasonAndTheReconnectLink()
    {
        await using var host = await DashboardHost.StartAsync(o => { o.AllowAnonymous = true; o.ReconnectUrl = t => $"/xero/connect?tenant={t}"; });
        await host.Services.GetRequiredService<TenantStore>().SaveAsync(new TenantState
        {
            TenantId = DashboardHost.Tenant, Name = "Demo Organisation", Connection = ConnectionState.Disconnected, ConnectionMessage = "Xero refused the refresh token.",
        });

        var html = await host.Client().GetStringAsync(host.TenantPath());

        Assert.Contains("Disconnected", html, StringComparison.Ordinal);
        Assert.Contains("Xero refused the refresh token.", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/xero/connect?tenant=tenant-demo\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overview_OfAPausedTenant_SaysUntilWhen()
    {
        await using var host = await DashboardHost.StartAsync(o => o.AllowAnonymous = true);
        await host.Services.GetRequiredService<ISyncEngine>().PauseAsync(DashboardHost.Tenant, new DateTimeOffset(2099, 1, 2, 3, 4, 0, TimeSpan.Zero), "Xero's daily limit was reached.");

        var html = await host.Client().GetStringAsync(host.TenantPath());

        Assert.Contains("Sync Paused until 2099-01-02 03:04 UTC", html, StringComparison.Ordinal);
        Assert.Contains("Xero&#x27;s daily limit was reached.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overview_ShowsTheDaysCallsMissingPermissionsAndEgress_FromTheTenantsStatus()
    {
        await using var host = await DashboardHost.StartAsync(o => o.AllowAnonymous = true);
        ((SyncKit.Testing.Connectors.InMemoryLedgerConnector)host.Services.GetRequiredService<SyncKit.Connectors.LedgerConnector>()).Usage = new SyncKit.Connectors.LedgerUsage
        {
            GrantedScopes = ["accounting.invoices", "accounting.settings"],
            MissingScopes = ["accounting.payments"],
            CallBudget = new SyncKit.Connectors.CallBudget { DailyLimit = 1_000, Remaining = 140, Reserve = 100, ResetsAt = new DateTimeOffset(2099, 1, 2, 3, 4, 0, TimeSpan.Zero) },
            Egress = new SyncKit.Connectors.MonthlyEgress { Month = "2099-01", Bytes = 53_300_000, BytesByEndpoint = new Dictionary<string, long>(), AllowanceBytes = 10_000_000_000 },
        };

        var html = await host.Client().GetStringAsync(host.TenantPath());

        Assert.Contains("860 of 1,000 calls used; 140 left.", html, StringComparison.Ordinal);
        Assert.Contains("The last 100 are kept for syncs you start. Resets 2099-01-02 03:04 UTC.", html, StringComparison.Ordinal);
        Assert.Contains("Reconnect to grant accounting.payments", html, StringComparison.Ordinal);
        Assert.Contains("Received from Xero this month: 53.3 MB", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overview_OfALedgerWithoutABudget_ShowsNoCallsCard()
    {
        await using var host = await DashboardHost.StartAsync(o => o.AllowAnonymous = true);

        var html = await host.Client().GetStringAsync(host.TenantPath());

        Assert.DoesNotContain("Xero calls today", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Reconnect to grant", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overview_ShowsTheTenantsSettings_AndTheDefaultsItLeftUnset()
    {
        await using var host = await DashboardHost.StartAsync(o => o.AllowAnonymous = true);
        await host.Services.GetRequiredService<ISyncEngine>().SaveTenantSettingsAsync(new Settings.TenantSettings
        {
            TenantId = DashboardHost.Tenant,
            Directions = new Dictionary<RecordKind, Settings.SyncDirection> { [RecordKind.Client] = Settings.SyncDirection.PullOnly },
            ConflictPolicies = new Dictionary<RecordKind, Settings.ConflictPolicy> { [RecordKind.Job] = Settings.ConflictPolicy.Ask },
            FieldConflictPolicies = new Dictionary<RecordKind, IReadOnlyDictionary<string, Settings.ConflictPolicy>>
            {
                [RecordKind.Job] = new Dictionary<string, Settings.ConflictPolicy> { ["State"] = Settings.ConflictPolicy.LedgerWins },
            },
            PushPayments = false,
            ZeroValueDocuments = ZeroValuePolicy.Send,
        });

        var html = await host.Client().GetStringAsync(host.TenantPath());

        Assert.Contains("Client: from Xero only", html, StringComparison.Ordinal);
        Assert.Contains("Job: ask a user", html, StringComparison.Ordinal);
        Assert.Contains("Job.State: Xero wins", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Push payments</th><td>Off</td>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">$0 invoices</th><td>Always sent</td>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Negative invoices</th><td>Sent as credit notes (default)</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("action=\"" + host.TenantPath("/settings"), html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAll_OnPendingAction_LeavesAPushHeldForAConflictToTheUsersChoice()
    {
        await using var host = await DashboardHost.StartAsync(o => o.AllowAnonymous = true);
        var ledger = host.Services.GetRequiredService<LedgerStore>();
        var contacts = (await ledger.QueryAsync(new LedgerQuery { TenantId = DashboardHost.Tenant, Kinds = [RecordKind.Contact], States = [LedgerState.Synced], PageSize = 2 })).Entries;
        var conflict = new SyncError { Category = ErrorCategories.NotSent, Disposition = ErrorDisposition.UserAction, Reason = "Changed here and in Xero: choose a version", Message = "waits", RuleId = "engine.conflict-held" };
        await ledger.SaveAsync([contacts[0] with { State = LedgerState.Held, Error = conflict }, contacts[1] with { State = LedgerState.Held }]);

        using var response = await DashboardHost.PostFromPageAsync(host.Client(), host.TenantPath("/held"), host.TenantPath("/release"), [new("all", "true")]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(LedgerState.Held, (await host.EntryAsync(RecordKind.Contact, contacts[0].SourceId))!.State);
        Assert.NotEqual(LedgerState.Held, (await host.EntryAsync(RecordKind.Contact, contacts[1].SourceId))!.State);
    }

    [Fact]
    public async Task SkipAll_ForACategory_SkipsEveryRecordInIt()
    {
        await using var host = await DashboardHost.StartAsync(o => o.AllowAnonymous = true);

        using var response = await DashboardHost.PostFromPageAsync(host.Client(), host.TenantPath("/errors"), host.TenantPath("/skip"), [new("category", ErrorCategories.LockDates)]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(LedgerState.Skipped, (await host.EntryAsync(RecordKind.Invoice, DemoProblems.LockDate))!.State);
        Assert.Equal(LedgerState.Skipped, (await host.EntryAsync(RecordKind.Cost, DemoProblems.WipLocked))!.State);
        Assert.Equal(LedgerState.Failed, (await host.EntryAsync(RecordKind.Invoice, DemoProblems.ArchivedAccount))!.State);
    }

    [Fact]
    public async Task ErrorTab_FilteredByKind_ShowsOnlyThatKind()
    {
        await using var host = await DashboardHost.StartAsync(o => o.AllowAnonymous = true);

        var html = await host.Client().GetStringAsync(host.TenantPath("/errors?kind=Cost"));

        Assert.Contains($"data-record=\"Cost:{DemoProblems.JobDeleted}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-record=\"Invoice:", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorTab_PagesThroughALargeLedger_WithoutLosingARecord()
    {
        await using var host = await DashboardHost.StartAsync(o => { o.AllowAnonymous = true; o.PageSize = 10; });
        var engine = host.Services.GetRequiredService<ISyncEngine>();
        foreach (var i in Enumerable.Range(1, 5))
        {
            await engine.SkipAsync(new LedgerKey(DashboardHost.Tenant, RecordKind.Invoice, $"inv-{i:D5}"), "not sent: paging test");
        }

        var problems = await engine.QueryLedgerAsync(new LedgerQuery { TenantId = DashboardHost.Tenant, States = [LedgerState.Failed, LedgerState.Unmapped, LedgerState.RetryScheduled, LedgerState.Uncertain, LedgerState.Skipped], PageSize = 500 });
        Assert.True(problems.Entries.Count > 10, $"The demo has only {problems.Entries.Count} problems: paging is not exercised.");

        var seen = new List<string>();
        var path = host.TenantPath("/errors");
        for (var pages = 0; path is not null && pages < 10; pages++)
        {
            var html = await host.Client().GetStringAsync(path);
            seen.AddRange(System.Text.RegularExpressions.Regex.Matches(html, "data-record=\"([^\"]+)\"").Select(m => m.Groups[1].Value));
            var next = System.Text.RegularExpressions.Regex.Match(html, "<a href=\"([^\"]+)\">Next page</a>");
            path = next.Success ? WebUtility.HtmlDecode(next.Groups[1].Value) : null;
        }

        Assert.Equal(problems.Entries.Select(e => $"{e.Kind}:{e.SourceId}").Order(), seen.Order());
    }

    [Fact]
    public async Task Activity_ListsTheRun_AndTheRunsPageListsItsRecords()
    {
        await using var host = await DashboardHost.StartAsync(o => o.AllowAnonymous = true);
        var run = (await host.Services.GetRequiredService<ISyncEngine>().GetActivityAsync(DashboardHost.Tenant)).Single();

        var activity = await host.Client().GetStringAsync(host.TenantPath("/activity"));
        var page = await host.Client().GetStringAsync(host.TenantPath($"/activity/{run.RunId}"));

        Assert.Contains("test set-up", activity, StringComparison.Ordinal);
        Assert.Contains("Completed with errors", page, StringComparison.Ordinal);
        Assert.Contains($"/records/Invoice/{DemoProblems.LockDate}", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_ListsTheRecordsThatWouldFail_AndSendsNothing()
    {
        await using var host = await DashboardHost.StartAsync(o => o.AllowAnonymous = true);
        var before = (await host.Services.GetRequiredService<ISyncEngine>().GetActivityAsync(DashboardHost.Tenant)).Count;

        using var response = await DashboardHost.PostFromPageAsync(host.Client(), host.TenantPath(), host.TenantPath("/preview"), []);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Nothing was sent.", html, StringComparison.Ordinal);
        Assert.Equal(before, (await host.Services.GetRequiredService<ISyncEngine>().GetActivityAsync(DashboardHost.Tenant)).Count);
    }

    [Fact]
    public async Task MappingsEditor_SuggestsTheSyncedPracticeManagerClientsByName()
    {
        await using var host = await DashboardHost.StartAsync(o => o.AllowAnonymous = true);
        var client = (await host.EntryAsync(RecordKind.Client, "org-001"))!;

        var html = await host.Client().GetStringAsync(host.TenantPath("/mappings?kind=Client&local=org-unmapped"));

        Assert.Contains($"<option value=\"{client.RemoteId}\">{System.Text.Encodings.Web.HtmlEncoder.Default.Encode(client.DisplayName!)}</option>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"other-local\" name=\"local\" value=\"org-unmapped\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownTenant_IsNotFound()
    {
        await using var host = await DashboardHost.StartAsync(o => o.AllowAnonymous = true);

        using var response = await host.Client().GetAsync(host.Prefix + "/tenants/nobody/errors");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task RecordText_IsEncoded_NeverMarkup()
    {
        await using var host = await DashboardHost.StartAsync(o => o.AllowAnonymous = true);
        await host.Services.GetRequiredService<TenantStore>().SaveAsync(new TenantState { TenantId = DashboardHost.Tenant, Name = "<script>alert(1)</script>", Connection = ConnectionState.Connected });

        var html = await host.Client().GetStringAsync(host.Prefix + "/");

        Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReconciliationList_LinksAListedPaymentToTheInvoiceTheUserPicks()
    {
        await using var host = await DashboardHost.StartAsync(o => o.AllowAnonymous = true);
        var inbound = host.Services.GetRequiredService<InboundStore>();
        await inbound.SaveRecordAsync(new InboundRecord
        {
            TenantId = DashboardHost.Tenant, Kind = RecordKind.Payment, RemoteId = "pay-x1", State = InboundState.NeedsReconciliation,
            DisplayName = "Payment 110.00 AUD", Candidates = ["inv-a", "inv-b"], Message = "Two open invoices of 110.00 fit it.",
        });

        var html = await host.Client().GetStringAsync(host.TenantPath("/reconciliation"));
        using var response = await DashboardHost.PostFromPageAsync(host.Client(), host.TenantPath("/reconciliation"), host.TenantPath("/link"), [new("remoteId", "pay-x1"), new("invoice", "inv-b")]);

        Assert.Contains("Link to inv-a", html, StringComparison.Ordinal);
        Assert.Contains("Link to inv-b", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var linked = (await inbound.GetRecordsAsync(DashboardHost.Tenant, RecordKind.Payment, ["pay-x1"]))["pay-x1"];
        Assert.Equal(InboundState.Accepted, linked.State);
        Assert.Equal("inv-b", linked.ParentHostId);
    }
}
