using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SyncKit.Connectors;
using SyncKit.Records;
using SyncKit.Storage;
using SyncKit.Xero.Connector;
using SyncKit.Xero.RateLimits;
using SyncKit.Xero.Tests.Identity;
using SyncKit.Xero.Tests.Infrastructure;

namespace SyncKit.Xero.Tests.DependencyInjection;

public sealed class RegistrationTests
{
    private sealed class Builder(IServiceCollection services) : ISyncKitBuilder
    {
        public IServiceCollection Services { get; } = services;
    }

    private static void Valid(XeroOptions o)
    {
        o.ClientId = "client-id";
        o.ClientSecret = "client-secret";
        o.TokenEncryptionKey = Convert.ToBase64String(new byte[32]);
        o.ApiBaseUrl = new Uri("http://xero.test/");
        o.IdentityBaseUrl = new Uri("http://xero.test/");
        o.LoginBaseUrl = new Uri("http://xero.test/");
        o.RetryBaseDelay = TimeSpan.Zero;
    }

    private static ServiceProvider Build(StubHttpHandler handler, Action<XeroOptions>? configure = null, bool twice = false, bool metrics = false)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        if (metrics)
        {
            services.AddMetrics();
        }

        services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2025, 3, 14, 9, 0, 0, TimeSpan.Zero)));
        services.AddSingleton<TokenStore, InMemoryTokenStore>();
        var builder = new Builder(services);
        builder.AddXeroConnector(configure ?? Valid, http => http.ConfigurePrimaryHttpMessageHandler(() => handler));
        if (twice)
        {
            builder.AddXeroConnector(Valid);
        }

        services.ConfigureAll<HttpClientFactoryOptions>(o => o.HttpMessageHandlerBuilderActions.Add(b => b.PrimaryHandler = handler));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    private static async Task StoreTokenAsync(ServiceProvider provider)
    {
        var authorization = provider.GetRequiredService<XeroAuthorization>();
        await authorization.SaveTokensAsync(TestConnector.Tenant, new XeroTokenSet { AccessToken = "access-1", RefreshToken = "refresh-1", ExpiresAt = new DateTimeOffset(2025, 3, 14, 10, 0, 0, TimeSpan.Zero) });
    }

    [Fact]
    public void AddXeroConnector_RegistersTheConnectorAsTheLedgerConnector()
    {
        using var provider = Build(new StubHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.OK)));

        Assert.IsType<XeroLedgerConnector>(provider.GetRequiredService<LedgerConnector>());
        Assert.NotNull(provider.GetRequiredService<XeroAuthorization>());
    }

    [Fact]
    public void MissingClientIdAndKey_FailValidationWithMessagesThatSayWhatToSet()
    {
        using var provider = Build(new StubHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.OK)), o => o.ApiBaseUrl = new Uri("/relative", UriKind.Relative));

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<XeroOptions>>().Value);

        Assert.Contains(ex.Failures, f => f.Contains("XeroOptions.ClientId is required", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("XeroOptions.TokenEncryptionKey", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("XeroOptions.ApiBaseUrl must be an absolute URL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ThroughDi_ACallPassesTheGovernorOnceAndReachesTheConfiguredBaseUrl()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("invoices-put-1.json"));
        using var provider = Build(handler);
        await StoreTokenAsync(provider);

        var result = await provider.GetRequiredService<LedgerConnector>().PushAsync(TestRecords.Batch(RecordKind.Invoice, TestRecords.InvoiceElement("1")));

        Assert.True(Assert.Single(result.Outcomes).Succeeded);
        Assert.Equal("http://xero.test/api.xro/2.0/Invoices?summarizeErrors=false&unitdp=4", Assert.Single(handler.Requests).Uri.ToString());
        Assert.Equal(1, provider.GetRequiredService<XeroRateGovernor>().CallsMade);
    }

    [Fact]
    public async Task CallsAndEgress_AreMeasuredOnTheContainersMeterFactory()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("invoices-put-1.json"));
        using var provider = Build(handler, metrics: true);
        await StoreTokenAsync(provider);
        var factory = provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var requests = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long>(factory, XeroTelemetry.Name, "synckit.xero.requests");
        using var egress = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long>(factory, XeroTelemetry.Name, "synckit.xero.egress");

        await provider.GetRequiredService<LedgerConnector>().PushAsync(TestRecords.Batch(RecordKind.Invoice, TestRecords.InvoiceElement("1")));

        Assert.Equal(1, Assert.Single(requests.GetMeasurementSnapshot()).Value);
        Assert.True(egress.GetMeasurementSnapshot().Sum(m => m.Value) > 0);
    }

    [Fact]
    public async Task CalledTwice_AddsNoSecondGovernorOrResilienceHandler()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("invoices-put-1.json"));
        using var provider = Build(handler, twice: true);
        await StoreTokenAsync(provider);

        await provider.GetRequiredService<LedgerConnector>().PushAsync(TestRecords.Batch(RecordKind.Invoice, TestRecords.InvoiceElement("1")));

        Assert.Single(handler.Requests);
        Assert.Equal(1, provider.GetRequiredService<XeroRateGovernor>().CallsMade);
        Assert.Single(provider.GetServices<LedgerConnector>());
    }

    [Fact]
    public async Task GetAnswered503_IsRetriedByTheResiliencePipeline()
    {
        var handler = StubHttpHandler.Sequence(() => Responses.Text("The Organisation is offline", HttpStatusCode.ServiceUnavailable), () => Responses.Fixture("invoices-found.json"));
        using var provider = Build(handler);
        await StoreTokenAsync(provider);

        var match = (await provider.GetRequiredService<LedgerConnector>().FindCandidatesAsync(TestConnector.Tenant, TestRecords.InvoiceElement("1", "INV-1"))).SingleOrDefault();

        Assert.NotNull(match);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task WriteWithIdempotencyKeyAnswered503_IsRetriedWithTheSameKey()
    {
        var handler = StubHttpHandler.Sequence(() => Responses.Text("The Xero API is temporarily unavailable", HttpStatusCode.ServiceUnavailable), () => Responses.Fixture("invoices-put-1.json"));
        using var provider = Build(handler);
        await StoreTokenAsync(provider);

        var result = await provider.GetRequiredService<LedgerConnector>().PushAsync(TestRecords.Batch(RecordKind.Invoice, TestRecords.InvoiceElement("1")));

        Assert.True(Assert.Single(result.Outcomes).Succeeded);
        Assert.Equal(2, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.Equal("key-Invoice", r.Header("Idempotency-Key")));
    }

    [Fact]
    public async Task WriteAnswered400_IsNotRetried()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("error-400-validation.json", HttpStatusCode.BadRequest));
        using var provider = Build(handler);
        await StoreTokenAsync(provider);

        var result = await provider.GetRequiredService<LedgerConnector>().PushAsync(TestRecords.Batch(RecordKind.Invoice, TestRecords.InvoiceElement("1")));

        Assert.NotNull(result.BatchFailure);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public void RetryPolicy_NeverRetriesAWriteWithoutAnIdempotencyKey()
    {
        using var post = new HttpRequestMessage(HttpMethod.Post, "http://xero.test/api.xro/2.0/Invoices");
        using var answer = new HttpResponseMessage(HttpStatusCode.InternalServerError);

        Assert.False(XeroRetryPolicy.ShouldRetry(post, answer, null));
        Assert.False(XeroRetryPolicy.ShouldRetry(post, null, new Polly.Timeout.TimeoutRejectedException()));
    }

    [Fact]
    public void RetryPolicy_NeverRetries429BecauseTheGovernorHandlesIt()
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, "http://xero.test/api.xro/2.0/Invoices");
        using var answer = new HttpResponseMessage((HttpStatusCode)429);

        Assert.False(XeroRetryPolicy.ShouldRetry(get, answer, null));
    }
}

public sealed class ResilienceTimeoutTests
{
    private sealed class Builder(IServiceCollection services) : ISyncKitBuilder
    {
        public IServiceCollection Services { get; } = services;
    }

    [Fact]
    public async Task WriteWithoutIdempotencyKeyThatTimesOut_IsNotRetriedAndThrowsSoTheEngineReconciles()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 14, 9, 0, 0, TimeSpan.Zero));
        var handler = new StubHttpHandler(async (_, ct) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<TokenStore, InMemoryTokenStore>();
        new Builder(services).AddXeroConnector(
            o =>
            {
                o.ClientId = "client-id";
                o.TokenEncryptionKey = Convert.ToBase64String(new byte[32]);
                o.ApiBaseUrl = new Uri("http://xero.test/");
                o.AttemptTimeout = TimeSpan.FromSeconds(30);
                o.RetryBaseDelay = TimeSpan.Zero;
            },
            http => http.ConfigurePrimaryHttpMessageHandler(() => handler));
        using var provider = services.BuildServiceProvider(validateScopes: true);
        await provider.GetRequiredService<XeroAuthorization>().SaveTokensAsync(TestConnector.Tenant, new XeroTokenSet { AccessToken = "a", RefreshToken = "r", ExpiresAt = time.GetUtcNow().AddHours(1) });
        var cost = new CostRecord { SourceId = "cost-1", OrganisationKey = "org-7", Date = new DateOnly(2025, 3, 14), Description = "Courier" };
        var element = TestRecords.Element(cost, null, (RecordKind.Job, "org-7", "J000309"));

        var push = provider.GetRequiredService<LedgerConnector>().PushAsync(TestRecords.Batch(RecordKind.Cost, element));
        while (handler.Requests.Count == 0)
        {
            await Task.Yield();
        }

        time.Advance(TimeSpan.FromSeconds(30));

        await Assert.ThrowsAsync<Polly.Timeout.TimeoutRejectedException>(() => push.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Single(handler.Requests);
    }
}
