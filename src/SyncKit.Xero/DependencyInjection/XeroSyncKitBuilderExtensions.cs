using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;
using SyncKit.Connectors;
using SyncKit.Xero;
using SyncKit.Xero.Api;
using SyncKit.Xero.Connector;
using SyncKit.Xero.DependencyInjection;
using SyncKit.Xero.Identity;
using SyncKit.Xero.RateLimits;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Xero connector on a SyncKit builder.</summary>
public static class XeroSyncKitBuilderExtensions
{
    /// <summary>The name of the resilience pipeline on the Xero API client.</summary>
    public const string ResiliencePipelineName = "synckit-xero";

    /// <summary>Adds the Xero connector: options, OAuth2 token management, the rate governor, the typed API client and the connector.</summary>
    /// <param name="builder">The SyncKit builder.</param>
    /// <param name="configure">Sets the options (at least <see cref="XeroOptions.ClientId"/> and <see cref="XeroOptions.TokenEncryptionKey"/>).</param>
    /// <returns>The builder.</returns>
    /// <remarks>Calling it again only adds <paramref name="configure"/>. Xero's error rules are in <see cref="XeroErrorRules.All"/>.</remarks>
    public static ISyncKitBuilder AddXeroConnector(this ISyncKitBuilder builder, Action<XeroOptions> configure) =>
        AddXeroConnector(builder, configure, configureHttpClient: null);

    /// <summary>Adds the Xero connector and lets the host configure its HTTP client further (handlers, proxy, logging).</summary>
    /// <param name="builder">The SyncKit builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <param name="configureHttpClient">
    /// Configures the Xero API client's builder. Its pipeline is: retries → rate governor → per-attempt timeout →
    /// handlers you add → the primary handler (the governor's waits are not part of an attempt's time). To run against the emulator in-process, set its handler
    /// with <c>ConfigurePrimaryHttpMessageHandler</c>.
    /// </param>
    /// <returns>The builder.</returns>
    public static ISyncKitBuilder AddXeroConnector(this ISyncKitBuilder builder, Action<XeroOptions> configure, Action<IHttpClientBuilder>? configureHttpClient)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;

        services.AddOptions<XeroOptions>().Configure(configure).ValidateOnStart();
        var apiClient = services.AddHttpClient<XeroApiClient>();
        var identityClient = services.AddHttpClient(XeroHttpClientNames.Identity);

        if (!services.Any(d => d.ServiceType == typeof(XeroConnectorMarker)))
        {
            services.AddSingleton<XeroConnectorMarker>();
            services.TryAddSingleton(TimeProvider.System);
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<XeroOptions>, XeroOptionsValidator>());
            // Options are read lazily: the options validator takes the protectors, so resolving IOptions here would be a cycle.
            services.TryAddSingleton<ITokenProtector>(static sp => new AesGcmTokenProtector(
                () => sp.GetRequiredService<IOptions<XeroOptions>>().Value.TokenEncryptionKey,
                () => sp.GetRequiredService<IOptions<XeroOptions>>().Value.PreviousTokenEncryptionKeys));
            services.TryAddSingleton(static sp => new XeroTokenReEncryptor(
                sp.GetRequiredService<SyncKit.Storage.TokenStore>(),
                sp.GetRequiredService<ITokenProtector>(),
                sp.GetRequiredService<IOptions<XeroOptions>>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<SyncKit.Storage.TenantStore>()));
            services.TryAddSingleton(sp => new XeroRateGovernor(sp.GetRequiredService<IOptions<XeroOptions>>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<SyncKit.Storage.UsageStore>()));
            services.TryAddSingleton(sp => new XeroMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
            services.TryAddSingleton(sp => new XeroUsage(sp.GetRequiredService<XeroRateGovernor>(), sp.GetRequiredService<IOptions<XeroOptions>>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<SyncKit.Storage.UsageStore>(), sp.GetRequiredService<XeroMetrics>()));
            services.TryAddTransient<XeroRateLimitHandler>();
            services.TryAddSingleton<XeroScopePlan>();
            services.TryAddSingleton<XeroTokenClient>();
            services.TryAddSingleton<XeroTokenManager>();
            services.TryAddSingleton<IXeroAccessTokenSource>(sp => sp.GetRequiredService<XeroTokenManager>());
            services.TryAddSingleton(sp => new XeroAuthorization(
                sp.GetRequiredService<XeroTokenClient>(),
                sp.GetRequiredService<XeroTokenManager>(),
                sp.GetRequiredService<IHttpClientFactory>(),
                sp.GetRequiredService<IOptions<XeroOptions>>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<SyncKit.Storage.TenantStore>(),
                sp.GetRequiredService<XeroScopePlan>(),
                sp.GetService<SyncKit.Offboarding.TenantOffboarding>(),
                sp.GetService<SyncKit.Storage.RunLog>()));
            services.TryAddSingleton(sp => new SyncKit.Xero.Connections.XeroConnectionKeys(
                sp.GetRequiredService<IOptions<XeroOptions>>(),
                sp.GetService<SyncKit.Storage.TenantStore>()));
            services.TryAddSingleton<Func<XeroApiClient>>(static sp => sp.GetRequiredService<XeroApiClient>);
            services.Replace(ServiceDescriptor.Singleton<LedgerConnector, XeroLedgerConnector>());
            services.AddSingleton(new SyncKit.Errors.ErrorRuleRegistration(XeroErrorRules.All, SyncKit.Errors.ErrorRuleRegistration.ConnectorOrder));

            identityClient.ConfigureHttpClient(static c => c.Timeout = TimeSpan.FromSeconds(60));
            // The Xero API client's HTTP pipeline, outermost first. This is the one place its order is declared
            // (docs/operations.md, "HTTP pipeline", describes it):
            //  1. HttpClient: no overall timeout (each attempt has its own; the engine's token bounds the whole).
            //  2. Resilience "synckit-xero": retries GETs and keyed writes after a 5xx, a dropped connection or an
            //     attempt timeout. Each retry goes back through the governor below for a new slot.
            //  3. XeroRateLimitHandler (the rate governor): waits for a slot (5 in flight, 60/min, 5,000/day per tenant,
            //     10,000/min per app) and waits out minute 429s. Its waits are OUTSIDE the attempt timeout, so a write
            //     that is still queued can never time out as if it had been sent. It marks the request as handed on
            //     (XeroSendState) just before passing it down.
            //  4. Resilience "synckit-xero-attempt": the per-attempt timeout (XeroOptions.AttemptTimeout), which starts
            //     only when the call holds a slot and is about to be sent.
            //  5. Handlers the host adds (configureHttpClient), then the primary handler.
            apiClient
                .ConfigureHttpClient(static c => c.Timeout = Timeout.InfiniteTimeSpan)
                .AddResilienceHandler(ResiliencePipelineName, ConfigureRetries);
            apiClient.AddHttpMessageHandler<XeroRateLimitHandler>();
            apiClient.AddResilienceHandler(AttemptPipelineName, ConfigureAttemptTimeout);
        }

        configureHttpClient?.Invoke(apiClient);
        return builder;
    }

    /// <summary>The inner pipeline: the per-attempt timeout, below the rate governor.</summary>
    private const string AttemptPipelineName = "synckit-xero-attempt";

    private static void ConfigureAttemptTimeout(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var options = context.ServiceProvider.GetRequiredService<IOptions<XeroOptions>>().Value;
        pipeline.TimeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>();
        pipeline.AddTimeout(options.AttemptTimeout);
    }

    private static void ConfigureRetries(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var options = context.ServiceProvider.GetRequiredService<IOptions<XeroOptions>>().Value;
        pipeline.TimeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>();
        if (options.MaxRetryAttempts > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,

                // A long Retry-After (an organisation offline for an hour) is the engine's to wait out, not a push's.
                MaxDelay = TimeSpan.FromSeconds(30),
                ShouldHandle = static args => ValueTask.FromResult(XeroRetryPolicy.ShouldRetry(args.Context.GetRequestMessage(), args.Outcome.Result, args.Outcome.Exception)),
            });
        }
    }
}

/// <summary>Marks that the connector's services and handlers are registered (so a second call adds no handlers).</summary>
internal sealed class XeroConnectorMarker;

/// <summary>Which failures the resilience pipeline retries.</summary>
internal static class XeroRetryPolicy
{
    /// <summary>
    /// GETs, and writes carrying an Idempotency-Key (Xero replays their first answer), after a 5xx, a dropped
    /// connection or an attempt timeout. Never 4xx: 400/401/403/404 are answers, and 429 is the governor's.
    /// A write without a key is never retried blindly: its timeout surfaces and the engine reconciles.
    /// </summary>
    public static bool ShouldRetry(HttpRequestMessage? request, HttpResponseMessage? response, Exception? exception)
    {
        if (request is null)
        {
            return false;
        }

        var safe = request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Headers.Contains("Idempotency-Key");
        if (!safe)
        {
            return false;
        }

        if (exception is not null)
        {
            return exception is HttpRequestException or TimeoutRejectedException;
        }

        return response?.StatusCode is HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
    }
}
