using SyncKit.Xero.Tests.Infrastructure;

namespace SyncKit.Xero.Tests.Connector;

public sealed class ReferenceDataTests
{
    private static StubHttpHandler Xero() => new(r => r.Path switch
    {
        "/api.xro/2.0/Organisation" => Responses.Fixture("organisation.json"),
        "/api.xro/2.0/Accounts" => Responses.Fixture("accounts.json"),
        "/api.xro/2.0/TaxRates" => Responses.Fixture("taxrates.json"),
        "/api.xro/2.0/TrackingCategories" => Responses.Fixture("trackingcategories.json"),
        "/api.xro/2.0/Currencies" => Responses.Fixture("currencies.json"),
        "/practicemanager/3.1/job.api/current" => Responses.Fixture("pm-jobs-current.xml"),
        _ => throw new InvalidOperationException("Unexpected " + r.Path),
    });

    [Fact]
    public async Task LoadReferenceData_ReadsLockDatesAndBaseCurrencyFromTheOrganisation()
    {
        var connector = TestConnector.Create(Xero());

        var data = await connector.LoadReferenceDataAsync(TestConnector.Tenant);

        Assert.Equal(new DateOnly(2018, 11, 30), data.PeriodLockDate);
        Assert.Equal(new DateOnly(2013, 7, 31), data.EndOfYearLockDate);
        Assert.Equal("AUD", data.BaseCurrency);
        Assert.Equal(["AUD", "NZD"], data.Currencies);
    }

    [Fact]
    public async Task LoadReferenceData_KeepsAccountsWithoutCodesArchivedAccountsAndUnknownTypes()
    {
        var connector = TestConnector.Create(Xero());

        var data = await connector.LoadReferenceDataAsync(TestConnector.Tenant);

        Assert.Equal(5, data.Accounts.Count);
        Assert.True(data.FindAccount("310")!.IsArchived);
        Assert.True(data.FindAccount("090")!.IsBank);
        Assert.True(data.FindAccount("090")!.EnablePayments);
        Assert.False(data.FindAccount("200")!.EnablePayments);
        var trust = data.Accounts.Single(a => a.Name == "Trust Liability");
        Assert.Null(trust.Code);
        Assert.True(trust.EnablePayments);
        Assert.Equal("SOMENEWTYPE", data.FindAccount("999")!.Type);
    }

    [Fact]
    public async Task LoadReferenceData_ReadsTaxRatesAndActiveTrackingOptions()
    {
        var connector = TestConnector.Create(Xero());

        var data = await connector.LoadReferenceDataAsync(TestConnector.Tenant);

        Assert.Equal(10m, data.TaxRates.Single(t => t.TaxType == "OUTPUT").Rate);
        Assert.True(data.TaxRates.Single(t => t.TaxType == "OLD").IsArchived);
        var region = Assert.Single(data.TrackingCategories);
        Assert.Equal("Region", region.Name);
        Assert.Equal(["North"], region.Options);
    }

    [Fact]
    public async Task LoadReferenceData_WithPracticeManager_ReadsCurrentJobsAndTheirStates()
    {
        var handler = Xero();
        var connector = TestConnector.Create(handler, TestConnector.Options(o => o.UsePracticeManager = true));

        var data = await connector.LoadReferenceDataAsync(TestConnector.Tenant);

        Assert.Equal(2, data.Jobs.Count);
        Assert.Equal("In Progress", data.Jobs.Single(j => j.JobNumber == "J000309").State);
        Assert.Equal("c7b8a9d0-1e2f-4a3b-8c4d-5e6f7a8b9c0d", data.Jobs[0].ClientId);
        Assert.Equal(["In Progress"], data.JobStatesAcceptingCosts);
        Assert.Equal("application/xml", handler.Requests.Single(r => r.Path.EndsWith("job.api/current", StringComparison.Ordinal)).Header("Accept"));
    }

    [Fact]
    public async Task LoadReferenceData_ForAPracticeOnlyTenant_ReadsPracticeManagerAlone()
    {
        var handler = Xero();
        var connector = TestConnector.Create(handler, TestConnector.Options(o => o.IsPracticeManagerTenant = _ => true));

        var data = await connector.LoadReferenceDataAsync(TestConnector.Tenant);

        Assert.Equal(2, data.Jobs.Count);
        Assert.Empty(data.Accounts);
        Assert.DoesNotContain(handler.Requests, r => r.Path.StartsWith("/api.xro", StringComparison.Ordinal));
    }
}
