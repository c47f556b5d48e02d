using SyncKit.Errors;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Testing.Emulator;
using SyncKit.Xero;
using Microsoft.Extensions.DependencyInjection;

namespace SyncKit.EndToEnd.Tests;

/// <summary>Granular scopes (Xero, 2026) through consent, the token answer and a run, against the emulator's identity server.</summary>
public sealed class ScopeTests
{
    private static readonly EmulatorAppOptions s_newApp = new() { Name = "New ISV", CreatedOn = new DateOnly(2026, 6, 1), Tier = EmulatorTier.Core };

    private static async Task ConnectAsync(XeroHarness h)
    {
        var redirect = await h.ConsentRedirectAsync();
        Assert.True(redirect["code"] is not null, $"Consent was refused: {redirect["error"]} {redirect["error_description"]}");
        await h.Services.GetRequiredService<XeroAuthorization>().ConnectAsync(h.TenantId, redirect["code"]!);
    }

    [Fact]
    public async Task HostWithDefaultOptions_ConnectsToAnAppCreatedAfter2March2026_AndSyncs()
    {
        await using var h = await XeroHarness.CreateAsync(app: s_newApp);
        Data.Load(h, customers: 2, invoices: 10, items: 0, paymentEvery: 2);

        await ConnectAsync(h);
        var run = await h.SyncAsync();

        Assert.Equal(RunOutcome.Completed, run.Outcome);
        Assert.All(await h.AllEntriesAsync(), e => Assert.Equal(LedgerState.Synced, e.State));
        Assert.DoesNotContain(h.Services.GetRequiredService<XeroAuthorization>().RequestedScopes, XeroScopes.IsBroad);
    }

    [Fact]
    public async Task HostConfiguredWithBroadScopes_IsRefusedAtConsent_AsXeroRefusesANewApp()
    {
        await using var h = await XeroHarness.CreateAsync(
            app: s_newApp,
            xero: o =>
            {
                foreach (var scope in new[] { "offline_access", "accounting.transactions", "accounting.contacts", "accounting.settings" })
                {
                    o.Scopes.Add(scope);
                }
            });

        var redirect = await h.ConsentRedirectAsync();

        Assert.Null(redirect["code"]);
        Assert.Equal("invalid_scope", redirect["error"]);
        Assert.Equal("unauthorized_client: Invalid scope for client", redirect["error_description"]);
    }

    [Fact]
    public async Task ConnectionWithoutThePaymentsScope_SyncsInvoices_PaymentsWaitToReconnect_AndNoPaymentCallIsMade()
    {
        await using var h = await XeroHarness.CreateAsync(
            app: s_newApp,
            xero: o =>
            {
                // What an app configured before payments were synced asked for.
                foreach (var scope in new[] { "offline_access", "accounting.settings", "accounting.contacts", "accounting.invoices" })
                {
                    o.Scopes.Add(scope);
                }
            });
        var data = Data.Load(h, customers: 2, invoices: 6, items: 0, paymentEvery: 2);
        await ConnectAsync(h);

        var run = await h.SyncAsync();

        Assert.Equal(RunOutcome.CompletedWithErrors, run.Outcome);
        Assert.All(data.Invoices, i => Assert.Equal(LedgerState.Synced, h.RequiredEntryAsync(RecordKind.Invoice, i.SourceId).Result.State));
        foreach (var payment in data.Payments)
        {
            var entry = await h.RequiredEntryAsync(RecordKind.Payment, payment.SourceId);
            Assert.Equal(LedgerState.Failed, entry.State);
            Assert.Equal(ErrorCategories.MissingScope, entry.Error!.Category);
            Assert.StartsWith("Reconnect to grant accounting.payments", entry.Error.Message, StringComparison.Ordinal);
        }

        var calls = h.Emulator.GetStats().Calls[h.Tenant.TenantId];
        Assert.DoesNotContain(calls.Keys, k => k.EndsWith(" Payments", StringComparison.Ordinal));
        var status = await h.Services.GetRequiredService<XeroAuthorization>().GetScopeStatusAsync(h.TenantId);
        Assert.Equal(["accounting.contacts", "accounting.invoices", "accounting.settings", "offline_access"], status.Granted);
        Assert.Empty(status.Missing);

        // The tenant's status names what the kinds it syncs lack, though the host's own scope list did not ask for it.
        var tenant = await h.Engine.GetStatusAsync(h.TenantId);
        Assert.Equal(["accounting.contacts", "accounting.invoices", "accounting.settings", "offline_access"], tenant.GrantedScopes);
        Assert.Equal(["accounting.payments"], tenant.MissingScopes);
    }

    [Fact]
    public async Task PaymentsThatWaitedForTheirScope_GoByThemselves_OnceTheUserReconnectsAndGrantsIt()
    {
        var scopes = new List<string> { "offline_access", "accounting.settings", "accounting.contacts", "accounting.invoices" };
        await using var h = await XeroHarness.CreateAsync(app: s_newApp, xero: o =>
        {
            foreach (var scope in scopes)
            {
                o.Scopes.Add(scope);
            }
        });
        var data = Data.Load(h, customers: 2, invoices: 6, items: 0, paymentEvery: 2);
        await ConnectAsync(h);
        await h.SyncAsync();

        // The host's next consent asks for what it syncs: the payments scope too (the options object is the one bound).
        h.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<XeroOptions>>().Value.Scopes.Add("accounting.payments");
        await ConnectAsync(h);
        var run = await h.SyncAsync();

        Assert.Equal(RunOutcome.Completed, run.Outcome);
        foreach (var payment in data.Payments)
        {
            Assert.Equal(LedgerState.Synced, (await h.RequiredEntryAsync(RecordKind.Payment, payment.SourceId)).State);
        }

        Assert.Empty((await h.Engine.GetStatusAsync(h.TenantId)).MissingScopes);
    }

    [Fact]
    public async Task ScopeStatus_NamesTheScopesAConnectionLacks()
    {
        await using var h = await XeroHarness.CreateAsync(app: s_newApp);
        var authorization = h.Services.GetRequiredService<XeroAuthorization>();
        await authorization.SaveTokensAsync(h.TenantId, new XeroTokenSet
        {
            AccessToken = h.Tenant.AccessToken,
            RefreshToken = h.Tenant.RefreshToken,
            ExpiresAt = h.Time.GetUtcNow().AddMinutes(30),
            Scope = "offline_access accounting.settings accounting.contacts accounting.invoices",
        });

        var status = await authorization.GetScopeStatusAsync(h.TenantId);

        Assert.Contains("accounting.payments", status.Missing);
        Assert.DoesNotContain("accounting.invoices", status.Missing);
    }
}
