using System.Net;
using SyncKit.Xero.Api;
using SyncKit.Xero.Tests.Infrastructure;

namespace SyncKit.Xero.Tests.Api;

public sealed class XeroApiClientTests
{
    [Fact]
    public async Task GetAsync_SendsIfModifiedSinceInUtcAndTheQueryFilters()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("invoices-found.json"));
        var api = TestConnector.Api(handler);

        var (envelope, failure) = await api.GetAsync(
            TestConnector.Tenant,
            "Invoices",
            [new("page", "2"), new("pageSize", "100"), new("IDs", "a,b"), new("where", "Status==\"AUTHORISED\"")],
            ifModifiedSince: new DateTimeOffset(2025, 3, 14, 19, 0, 0, TimeSpan.FromHours(10)));

        Assert.Null(failure);
        Assert.Equal(1, envelope!.Pagination!.PageCount);
        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal("Fri, 14 Mar 2025 09:00:00 GMT", request.Header("If-Modified-Since"));
        Assert.Equal("2", request.Query("page"));
        Assert.Equal("a,b", request.Query("IDs"));
        Assert.Equal("Status==\"AUTHORISED\"", request.Query("where"));
        Assert.Null(request.Header("Idempotency-Key"));
        Assert.Null(request.Query("summarizeErrors"));
    }

    [Fact]
    public async Task GetAsync_ReadsXeroDatesInBothForms()
    {
        var handler = new StubHttpHandler(_ => Responses.Json("""{"Invoices":[{"InvoiceID":"x","Date":"/Date(1741910400000+0000)/","DueDate":"2025-04-13T00:00:00","UpdatedDateUTC":"/Date(1741942800000+0000)/"}]}"""));
        var api = TestConnector.Api(handler);

        var (envelope, _) = await api.GetAsync(TestConnector.Tenant, "Invoices");

        var invoice = Assert.Single(envelope!.Invoices!);
        Assert.Equal(new DateOnly(2025, 3, 14), invoice.Date);
        Assert.Equal(new DateOnly(2025, 4, 13), invoice.DueDate);
        Assert.Equal(new DateTimeOffset(2025, 3, 14, 9, 0, 0, TimeSpan.Zero), invoice.UpdatedDateUTC);
    }

    [Theory]
    [InlineData("/Date(1552522535440+0000)/", "2019-03-14T00:15:35.4400000+00:00")]
    [InlineData("/Date(1552522535440+1300)/", "2019-03-14T00:15:35.4400000+00:00")]
    [InlineData("/Date(-86400000)/", "1969-12-31T00:00:00.0000000+00:00")]
    [InlineData("2019-03-14T00:00:00", "2019-03-14T00:00:00.0000000+00:00")]
    public void XeroDates_ParseToUtcInstants(string text, string expected)
    {
        Assert.True(XeroDates.TryParse(text, out var value));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Fact]
    public async Task SendAsync_MapsTheTenantToItsConnectionAndXeroTenantId()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("invoices-found.json"));
        var tokens = new StaticTokenSource();
        var api = TestConnector.Api(handler, tokens, TestConnector.Options(o =>
        {
            o.ConnectionKeyForTenant = t => "user-connection";
            o.XeroTenantIdForTenant = t => "xero-" + t;
        }));

        await api.GetAsync("host-tenant", "Invoices");

        Assert.Equal(["user-connection"], tokens.ConnectionKeys);
        Assert.Equal("xero-host-tenant", handler.Requests[0].Header("xero-tenant-id"));
    }

    [Fact]
    public async Task GetAsync_TwoHundredWithUnreadableBody_IsARemoteFailure()
    {
        var api = TestConnector.Api(new StubHttpHandler(_ => Responses.Text("<html>proxy</html>", HttpStatusCode.OK)));

        var (envelope, failure) = await api.GetAsync(TestConnector.Tenant, "Invoices");

        Assert.Null(envelope);
        Assert.Equal(SyncKit.Errors.FailureSource.Remote, failure!.Source);
    }

    [Fact]
    public async Task GetAsync_TransportFailure_IsATransportFailureBecauseNothingWasWritten()
    {
        var api = TestConnector.Api(new StubHttpHandler(_ => throw new HttpRequestException("Connection refused")));

        var (_, failure) = await api.GetAsync(TestConnector.Tenant, "Invoices");

        Assert.Equal(SyncKit.Errors.FailureSource.Transport, failure!.Source);
        Assert.False(failure.WriteMayHaveLanded);
    }

    [Fact]
    public async Task WriteAsync_TwoHundredWithUnreadableBody_ThrowsBecauseTheOutcomeIsUnknown()
    {
        var api = TestConnector.Api(new StubHttpHandler(_ => Responses.Text("<html>proxy</html>", HttpStatusCode.OK)));

        await Assert.ThrowsAsync<InvalidDataException>(() => api.WriteAsync(TestConnector.Tenant, HttpMethod.Put, "Invoices", new XeroEnvelope(), "key", SyncKit.Records.RecordKind.Invoice));
    }

    [Fact]
    public async Task LoadReferenceData_Unreachable_ThrowsAConnectorExceptionTheEngineClassifies()
    {
        var connector = TestConnector.Create(new StubHttpHandler(_ => throw new HttpRequestException("Connection refused")));

        var ex = await Assert.ThrowsAsync<SyncKit.Connectors.ConnectorException>(() => connector.LoadReferenceDataAsync(TestConnector.Tenant));

        Assert.Equal(SyncKit.Errors.FailureSource.Transport, ex.Failure.Source);
    }
}
