using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SyncKit;
using SyncKit.Hosting;
using SyncKit.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers SyncKit's scheduled background sync and health check.</summary>
public static class SyncKitHostingExtensions
{
    /// <summary>The default name of the SyncKit health check.</summary>
    public const string HealthCheckName = "synckit";

    /// <summary>Syncs every connected, unpaused tenant in the background, once per <paramref name="every"/>.</summary>
    /// <param name="builder">The SyncKit builder.</param>
    /// <param name="every">How often each tenant is synced (for example <c>TimeSpan.FromHours(3)</c>).</param>
    /// <returns>The builder.</returns>
    /// <remarks>See <see cref="AddScheduledSync(ISyncKitBuilder, Action{ScheduledSyncOptions})"/>.</remarks>
    public static ISyncKitBuilder AddScheduledSync(this ISyncKitBuilder builder, TimeSpan every) =>
        builder.AddScheduledSync(options => options.Every = every);

    /// <summary>Syncs every connected, unpaused tenant in the background, on a schedule.</summary>
    /// <param name="builder">The SyncKit builder.</param>
    /// <param name="configure">Configures the schedule: period, jitter, first delay, concurrency, kinds, tenants.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// <para>
    /// Registers a hosted service: it needs a host (<c>Host.CreateApplicationBuilder</c>, ASP.NET Core or a worker).
    /// Each period it lists the tenants in the <see cref="TenantStore"/> and syncs each one that is connected (or not
    /// yet known) and not paused, with <see cref="SyncKit.Runs.SyncTrigger.Scheduled"/>. Disconnected tenants wait for
    /// a user to reconnect them; paused tenants run on their first scheduled time after the pause ends.
    /// </para>
    /// <para>
    /// The options are validated when the host starts. Calling this more than once registers one scheduler; each
    /// call configures its options further. On shutdown runs in flight are cancelled and records not yet sent stay
    /// Pending for the next run.
    /// </para>
    /// </remarks>
    public static ISyncKitBuilder AddScheduledSync(this ISyncKitBuilder builder, Action<ScheduledSyncOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<ScheduledSyncOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ScheduledSyncOptions>, ScheduledSyncOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ScheduledSyncService>(sp => new ScheduledSyncService(
            sp.GetRequiredService<ISyncEngine>(),
            sp.GetRequiredService<TenantStore>(),
            sp.GetRequiredService<IOptions<ScheduledSyncOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            LoggerFor<ScheduledSyncService>(sp))));
        return builder;
    }

    /// <summary>Adds the SyncKit health check (named <c>synckit</c>) to the host's health checks.</summary>
    /// <param name="builder">The SyncKit builder.</param>
    /// <param name="configure">Configures the failed-record threshold and which tenants count.</param>
    /// <returns>The builder.</returns>
    /// <remarks>The same as <c>services.AddHealthChecks().AddSyncKit(configure)</c>.</remarks>
    public static ISyncKitBuilder AddSyncKitHealthCheck(this ISyncKitBuilder builder, Action<SyncKitHealthCheckOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHealthChecks().AddSyncKit(configure);
        return builder;
    }

    /// <summary>Adds a health check over every SyncKit tenant.</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="configure">Configures the failed-record threshold and which tenants count.</param>
    /// <param name="name">The check's name; <see cref="HealthCheckName"/> by default.</param>
    /// <param name="failureStatus">The status reported when a tenant is disconnected; <see cref="HealthStatus.Unhealthy"/> by default.</param>
    /// <param name="tags">Tags to filter the check by (for example <c>ready</c>).</param>
    /// <returns>The health checks builder.</returns>
    /// <remarks>
    /// Healthy when every tenant is connected, not paused and has fewer Failed records than
    /// <see cref="SyncKitHealthCheckOptions.FailedRecordThreshold"/>; Degraded when a tenant is paused or over the
    /// threshold; <paramref name="failureStatus"/> when a tenant is disconnected. The description names each problem
    /// tenant and why ("Sync paused until 2026-11-24 15:00 UTC", "Disconnected: reconnect Xero"); the result's data
    /// holds the details of every tenant, keyed by tenant id. Adding the same name twice is harmless.
    /// </remarks>
    public static IHealthChecksBuilder AddSyncKit(
        this IHealthChecksBuilder builder,
        Action<SyncKitHealthCheckOptions>? configure = null,
        string name = HealthCheckName,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var options = builder.Services.AddOptions<SyncKitHealthCheckOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SyncKitHealthCheckOptions>, SyncKitHealthCheckOptionsValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.Configure<HealthCheckServiceOptions>(o =>
        {
            if (o.Registrations.Any(r => string.Equals(r.Name, name, StringComparison.Ordinal)))
            {
                return;
            }

            o.Registrations.Add(new HealthCheckRegistration(
                name,
                sp => new SyncKitHealthCheck(
                    sp.GetRequiredService<ISyncEngine>(),
                    sp.GetRequiredService<TenantStore>(),
                    sp.GetRequiredService<IOptionsMonitor<SyncKitHealthCheckOptions>>(),
                    sp.GetRequiredService<TimeProvider>(),
                    LoggerFor<SyncKitHealthCheck>(sp),
                    sp.GetService<WebhookInbox>()),
                failureStatus,
                tags));
        });
        return builder;
    }

    private static ILogger LoggerFor<T>(IServiceProvider services) =>
        services.GetService<ILoggerFactory>()?.CreateLogger(typeof(T).FullName ?? typeof(T).Name) ?? NullLogger.Instance;
}
