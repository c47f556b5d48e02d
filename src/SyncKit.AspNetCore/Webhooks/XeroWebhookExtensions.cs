using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SyncKit;
using SyncKit.AspNetCore.Webhooks;
using SyncKit.Connectors;
using SyncKit.Inbound;
using SyncKit.Storage;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Registers and maps SyncKit's Xero webhook receiver.</summary>
public static class XeroWebhookExtensions
{
    /// <summary>The path <see cref="MapXeroWebhooks"/> maps by default.</summary>
    public const string DefaultPattern = "/xero/webhooks";

    /// <summary>
    /// Adds the Xero webhook receiver's services: the receiver, the processor that turns stored events into targeted pulls
    /// (<see cref="XeroWebhookProcessor"/>), and a hosted service that runs it and the periodic reconciliation pull.
    /// </summary>
    /// <param name="builder">The SyncKit builder (after <c>AddXeroSync</c>); its storage keeps the webhook inbox.</param>
    /// <param name="configure">Sets the webhook key (required) and the timings.</param>
    /// <returns>The builder.</returns>
    public static ISyncKitBuilder AddXeroWebhooks(this ISyncKitBuilder builder, Action<XeroWebhookOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<XeroWebhookOptions>()
            .Configure(configure)
            .Validate(o => !string.IsNullOrWhiteSpace(o.WebhookKey), "XeroWebhookOptions.WebhookKey is required: copy it from the app's Webhooks tab in the Xero developer portal.")
            .Validate(o => o.Debounce >= TimeSpan.Zero && o.PollInterval > TimeSpan.Zero && o.ClaimFor > TimeSpan.Zero && o.ReconcileEvery >= TimeSpan.Zero, "XeroWebhookOptions: Debounce and ReconcileEvery must not be negative; PollInterval and ClaimFor must be positive.")
            .Validate(o => o.BatchSize > 0 && o.MaxBodyBytes > 0, "XeroWebhookOptions: BatchSize and MaxBodyBytes must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new WebhookReceiver(
            Inbox(sp),
            sp.GetRequiredService<IOptionsMonitor<XeroWebhookOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<WebhookReceiver>>() ?? NullLogger<WebhookReceiver>.Instance));
        services.TryAddSingleton(sp => new XeroWebhookProcessor(
            sp.GetRequiredService<ISyncEngine>(),
            Inbox(sp),
            sp.GetRequiredService<TenantStore>(),
            sp.GetRequiredService<LedgerConnector>(),
            sp.GetServices<SyncTarget>(),
            sp.GetRequiredService<IOptionsMonitor<XeroWebhookOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<XeroWebhookProcessor>>() ?? NullLogger<XeroWebhookProcessor>.Instance));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, WebhookBackgroundService>(sp => new WebhookBackgroundService(
            sp.GetRequiredService<XeroWebhookProcessor>(),
            sp.GetRequiredService<IOptionsMonitor<XeroWebhookOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<WebhookBackgroundService>>() ?? NullLogger<WebhookBackgroundService>.Instance)));
        return builder;
    }

    /// <summary>
    /// Maps the endpoint Xero posts webhooks to (<c>POST</c>): 401 on a missing or wrong <c>x-xero-signature</c>, else the
    /// events are stored in the inbox and the answer is 200 with an empty body. It also answers Xero's intent-to-receive check.
    /// </summary>
    /// <param name="endpoints">The app's routes.</param>
    /// <param name="pattern">The path; <see cref="DefaultPattern"/> by default. Give Xero the full URL of it.</param>
    /// <returns>The endpoint's builder. It allows anonymous callers: the signature is Xero's proof.</returns>
    /// <remarks>Needs <see cref="AddXeroWebhooks"/>.</remarks>
    public static RouteHandlerBuilder MapXeroWebhooks(this IEndpointRouteBuilder endpoints, string pattern = DefaultPattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        if (endpoints.ServiceProvider.GetService<WebhookReceiver>() is null)
        {
            throw new InvalidOperationException("MapXeroWebhooks needs the webhook services: call AddXeroSync(...).AddXeroWebhooks(...) first.");
        }

        return endpoints
            .MapPost(pattern, (HttpRequest request, WebhookReceiver receiver, CancellationToken cancellationToken) => receiver.ReceiveAsync(request, cancellationToken))
            .AllowAnonymous()
            .ExcludeFromDescription();
    }

    private static WebhookInbox Inbox(IServiceProvider services) =>
        services.GetService<WebhookInbox>() ?? throw new InvalidOperationException(
            "The registered storage keeps no webhook inbox; use UseInMemoryStorage, UseSqliteStorage or UsePostgreSqlStorage, or register a WebhookInbox.");
}
