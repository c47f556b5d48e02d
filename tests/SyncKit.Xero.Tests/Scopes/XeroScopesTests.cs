using SyncKit.Records;

namespace SyncKit.Xero.Tests.Scopes;

public sealed class XeroScopesTests
{
    private static IReadOnlySet<string> Granted(string scope) => XeroScopes.Parse(scope)!;

    [Theory]
    [InlineData(RecordKind.Contact, "accounting.contacts", "accounting.contacts.read")]
    [InlineData(RecordKind.Item, "accounting.settings", "accounting.settings.read")]
    [InlineData(RecordKind.Invoice, "accounting.invoices", "accounting.invoices.read")]
    [InlineData(RecordKind.Bill, "accounting.invoices", "accounting.invoices.read")]
    [InlineData(RecordKind.CreditNote, "accounting.invoices", "accounting.invoices.read")]
    [InlineData(RecordKind.PurchaseOrder, "accounting.invoices", "accounting.invoices.read")]
    [InlineData(RecordKind.Payment, "accounting.payments", "accounting.payments.read")]
    [InlineData(RecordKind.Client, "practicemanager.client", "practicemanager.client.read")]
    [InlineData(RecordKind.Job, "practicemanager.job", "practicemanager.job.read")]
    [InlineData(RecordKind.Cost, "practicemanager.job", "practicemanager.job.read")]
    public void ForKind_DeclaresTheWriteAndReadScope(RecordKind kind, string write, string read)
    {
        var scopes = XeroScopes.ForKind(kind);

        Assert.Equal(write, scopes.Write);
        Assert.Equal(read, scopes.Read);
    }

    [Fact]
    public void EveryKind_DeclaresAScope()
    {
        foreach (var kind in Enum.GetValues<RecordKind>())
        {
            Assert.NotEmpty(XeroScopes.ForKind(kind).Write);
        }
    }

    [Theory]
    [InlineData("accounting.invoices", "accounting.invoices", true)]
    [InlineData("accounting.invoices", "accounting.invoices.read", true)]
    [InlineData("accounting.invoices.read", "accounting.invoices", false)]
    [InlineData("accounting.transactions", "accounting.payments", true)]
    [InlineData("accounting.transactions.read", "accounting.payments.read", true)]
    [InlineData("accounting.transactions.read", "accounting.payments", false)]
    [InlineData("accounting.invoices", "accounting.payments", false)]
    [InlineData("accounting.transactions", "accounting.contacts", false)]
    [InlineData("practicemanager", "practicemanager.job", true)]
    [InlineData("practicemanager.read", "practicemanager.job.read", true)]
    [InlineData("practicemanager.client", "practicemanager.job", false)]
    public void Covers_HonoursWriteOverReadAndBroadOverGranular(string granted, string required, bool covered) =>
        Assert.Equal(covered, XeroScopes.Covers(Granted(granted), required));

    [Fact]
    public void Derive_AsksForOfflineAccessSettingsAndTheWriteScopeOfEachKind()
    {
        var scopes = XeroScopePlan.Derive(new XeroOptions(), [RecordKind.Payment, RecordKind.Contact, RecordKind.Invoice, RecordKind.Bill, RecordKind.Item]);

        Assert.Equal(["offline_access", "accounting.settings", "accounting.contacts", "accounting.invoices", "accounting.payments"], scopes);
        Assert.DoesNotContain(scopes, XeroScopes.IsBroad);
    }

    [Fact]
    public void Derive_ForACustomConnection_LeavesOutOfflineAccess()
    {
        var options = new XeroOptions { UseCustomConnection = true };

        var scopes = XeroScopePlan.Derive(options, [RecordKind.Invoice]);

        Assert.Equal(["accounting.settings", "accounting.invoices"], scopes);
    }

    [Fact]
    public void Derive_ForAPracticeManagerHost_AsksForThePracticeScopesOfItsKinds()
    {
        var options = new XeroOptions { IsPracticeManagerTenant = _ => true };

        var scopes = XeroScopePlan.Derive(options, [RecordKind.Client, RecordKind.Job, RecordKind.Cost]);

        Assert.Equal(["offline_access", "practicemanager.client", "practicemanager.job"], scopes);
    }

    [Fact]
    public void Plan_UsesTheHostsScopesWhenSet_ForAppsThatKeepTheBroadScopes()
    {
        var options = new XeroOptions();
        foreach (var scope in new[] { "offline_access", "accounting.transactions", "accounting.contacts", "accounting.settings" })
        {
            options.Scopes.Add(scope);
        }

        var plan = new XeroScopePlan(Microsoft.Extensions.Options.Options.Create(options), []);

        Assert.Equal(["offline_access", "accounting.transactions", "accounting.contacts", "accounting.settings"], plan.Requested);
        Assert.Equal(["accounting.transactions", "accounting.contacts", "accounting.settings"], plan.ForClientCredentials);
    }

    [Theory]
    [InlineData(XeroTier.Starter, 1_000, 5)]
    [InlineData(XeroTier.Core, 5_000, 50)]
    [InlineData(XeroTier.Plus, 5_000, 1_000)]
    [InlineData(XeroTier.Advanced, 5_000, 10_000)]
    public void Tiers_HaveXerosDailyLimitsAndConnectionCaps(XeroTier tier, int daily, int connections)
    {
        Assert.Equal(daily, XeroTiers.DailyCallLimit(tier));
        Assert.Equal(connections, XeroTiers.ConnectionLimit(tier));
    }

    [Fact]
    public void Options_DailyLimitComesFromTheTierUnlessSet()
    {
        Assert.Equal(5_000, new XeroOptions().EffectiveDailyCallLimit);
        Assert.Equal(1_000, new XeroOptions { Tier = XeroTier.Starter }.EffectiveDailyCallLimit);
        Assert.Equal(800, new XeroOptions { Tier = XeroTier.Starter, DailyCallLimit = 800 }.EffectiveDailyCallLimit);
        Assert.Equal(100, new XeroOptions { Tier = XeroTier.Starter }.EffectiveDailyCallReserve);
    }
}
