using SyncKit.Xero.Tests.Infrastructure;

namespace SyncKit.Xero.Tests.Connector;

public sealed class ReferenceDataTests
{
    private static StubHttpHandler Xero() => new(Answer);

    private static HttpResponseMessage Answer(RecordedRequest r) => r.Path switch
    {
        "/api.xro/2.0/Organisation" => Responses.Fixture("organisation.json"),
        "/api.xro/2.0/Accounts" => Responses.Fixture("accounts.json"),
        "/api.xro/2.0/TaxRates" => Responses.Fixture("taxrates.json"),
        "/api.xro/2.0/TrackingCategories" => Responses.Fixture("trackingcategories.json"),
        "/api.xro/2.0/Currencies" => Responses.Fixture("currencies.json"),
        "/practicemanager/3.1/job.api/current" => Responses.Fixture("pm-jobs-current.xml"),
        _ => throw new InvalidOperationException("Unexpected " + r.Path),
    };

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

    [Fact]
    public async Task RevalidateReferenceData_AsksForTheAccountsChangedSinceTheLastRead_LessFiveMinutes_AndOnlyThem()
    {
        var handler = Xero();
        var connector = TestConnector.Create(handler);
        var previous = await connector.LoadReferenceDataAsync(TestConnector.Tenant);
        previous = previous with { FetchedAt = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero) };
        var before = handler.Requests.Count;

        await connector.RevalidateReferenceDataAsync(TestConnector.Tenant, previous);

        var revalidation = handler.Requests.Skip(before).ToList();
        Assert.Equal("Mon, 30 Nov 2026 08:55:00 GMT", revalidation.Single(r => r.Path == "/api.xro/2.0/Accounts").Header("If-Modified-Since"));
        Assert.All(revalidation.Where(r => r.Path != "/api.xro/2.0/Accounts"), r => Assert.Null(r.Header("If-Modified-Since")));
        Assert.Equal(5, revalidation.Count);
    }

    [Fact]
    public async Task RevalidateReferenceData_PutsTheChangedAccountsInPlace_DropsDeletedOnes_AndKeepsTheRest()
    {
        var connector = TestConnector.Create(Xero());
        var previous = await connector.LoadReferenceDataAsync(TestConnector.Tenant);
        var changed = TestConnector.Create(new StubHttpHandler(r => r.Path switch
        {
            "/api.xro/2.0/Accounts" => Responses.Json($$"""
                {"Accounts":[
                  {"AccountID":"{{previous.FindAccount("200")!.AccountId}}","Code":"200","Name":"Sales","Type":"REVENUE","Status":"ARCHIVED"},
                  {"AccountID":"{{previous.FindAccount("999")!.AccountId}}","Code":"999","Name":"Gone","Type":"SOMENEWTYPE","Status":"DELETED"},
                  {"AccountID":"7d1c1a8e-0000-4000-8000-000000000001","Code":"205","Name":"New sales","Type":"REVENUE","Status":"ACTIVE"}]}
                """),
            _ => Answer(r),
        }));

        var data = await changed.RevalidateReferenceDataAsync(TestConnector.Tenant, previous);

        Assert.True(data.FindAccount("200")!.IsArchived);
        Assert.Null(data.FindAccount("999"));
        Assert.Equal("New sales", data.FindAccount("205")!.Name);
        Assert.True(data.FindAccount("090")!.IsBank);
        Assert.Equal(previous.Accounts.Count, data.Accounts.Count);
    }
}
