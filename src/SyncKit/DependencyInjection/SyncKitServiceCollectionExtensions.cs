using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SyncKit;
using SyncKit.Connectors;
using SyncKit.Engine;
using SyncKit.Errors;
using SyncKit.Mapping;
using SyncKit.Sources;
using SyncKit.Storage;
using SyncKit.Telemetry;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SyncKit engine.</summary>
public static class SyncKitServiceCollectionExtensions
{
    /// <summary>Adds the SyncKit engine. Add a store (<c>UseSqliteStorage</c>), a connector and sources on the returned builder.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the engine's options.</param>
    /// <returns>The builder.</returns>
    /// <remarks>Calling it more than once is harmless; each call may configure options further.</remarks>
    public static ISyncKitBuilder AddSyncKit(this IServiceCollection services, Action<SyncOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<SyncOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SyncOptions>, SyncOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SyncOptions>, SyncKitRegistrationValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new SyncMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton<MappingProvider, StoreMappingProvider>();
        services.TryAddSingleton<StoreMappingProvider>();
        if (!services.Any(d => d.ServiceType == typeof(ErrorRuleRegistration) && d.ImplementationInstance is ErrorRuleRegistration { Order: ErrorRuleRegistration.EngineOrder }))
        {
            services.AddSingleton(new ErrorRuleRegistration(EngineErrorRules.All, ErrorRuleRegistration.EngineOrder));
        }

        services.TryAddSingleton<ErrorClassifier>();
        services.TryAddSingleton(sp => new RecordPreparer(
            sp.GetRequiredService<MappingProvider>(),
            sp.GetRequiredService<ErrorClassifier>(),
            sp.GetService<ApprovalPolicy>(),
            sp));
        services.TryAddSingleton(sp => new EngineServices(
            sp.GetRequiredService<LedgerStore>(),
            sp.GetRequiredService<TenantStore>(),
            sp.GetRequiredService<RunLog>(),
            sp.GetRequiredService<ReferenceDataCache>(),
            sp.GetRequiredService<LedgerConnector>(),
            sp.GetServices<SyncSource>(),
            sp.GetRequiredService<RecordPreparer>(),
            sp.GetRequiredService<ErrorClassifier>(),
            sp.GetRequiredService<SyncMetrics>(),
            sp.GetRequiredService<IOptions<SyncOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            (ILogger?)sp.GetService<ILoggerFactory>()?.CreateLogger("SyncKit") ?? NullLogger.Instance));
        // The host's authorizer wins whenever it is registered, before or after this call (the last registration is resolved).
        services.AddOptions<SyncKit.Authorization.SyncAuthorizationOptions>();
        services.TryAddSingleton<SyncKit.Authorization.ISyncAuthorizer, SyncKit.Authorization.DefaultSyncAuthorizer>();
        services.TryAddSingleton(sp => new SyncKit.Offboarding.TenantOffboarding(
            sp.GetRequiredService<TenantStore>(),
            sp.GetRequiredService<LedgerStore>(),
            sp.GetRequiredService<MappingStore>(),
            sp.GetRequiredService<RunLog>(),
            sp.GetRequiredService<ReferenceDataCache>(),
            sp.GetService<InboundStore>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ISyncEngine>(sp => new SyncEngine(
            sp.GetRequiredService<EngineServices>(),
            sp.GetRequiredService<MappingStore>(),
            new SyncKit.Inbound.InboundServices(sp.GetService<InboundStore>(), sp.GetServices<SyncKit.Inbound.SyncTarget>(), sp.GetService<TenantSettingsStore>(), sp.GetService<SyncKit.Settings.TenantSettingsProvider>())));
        return new SyncKitBuilder(services);
    }

    /// <summary>Registers the host's target for one inbound kind (resolved from the container).</summary>
    /// <typeparam name="TTarget">The target type.</typeparam>
    /// <param name="builder">The SyncKit builder.</param>
    /// <returns>The builder.</returns>
    public static ISyncKitBuilder AddTarget<TTarget>(this ISyncKitBuilder builder)
        where TTarget : SyncKit.Inbound.SyncTarget
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<TTarget>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<SyncKit.Inbound.SyncTarget, TTarget>(sp => sp.GetRequiredService<TTarget>()));
        return builder;
    }

    /// <summary>Registers a target instance for one inbound kind.</summary>
    /// <param name="builder">The SyncKit builder.</param>
    /// <param name="target">The target.</param>
    /// <returns>The builder.</returns>
    public static ISyncKitBuilder AddTarget(this ISyncKitBuilder builder, SyncKit.Inbound.SyncTarget target)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(target);
        builder.Services.AddSingleton(target);
        return builder;
    }

    /// <summary>Adds the host's source of records of one kind, as a singleton.</summary>
    /// <typeparam name="TSource">The source type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// The source is resolved once and called from background runs, sometimes for several tenants at once, so it must
    /// not hold a scoped service such as an EF Core <c>DbContext</c>: take <c>IDbContextFactory&lt;T&gt;</c> (or
    /// <see cref="IServiceScopeFactory"/>) and create what it needs per call (docs/recipes.md).
    /// </remarks>
    public static ISyncKitBuilder AddSource<TSource>(this ISyncKitBuilder builder)
        where TSource : SyncSource
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<TSource>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<SyncSource, TSource>(sp => sp.GetRequiredService<TSource>()));
        return builder;
    }

    /// <summary>Adds a source instance.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="source">The source.</param>
    /// <returns>The builder.</returns>
    public static ISyncKitBuilder AddSource(this ISyncKitBuilder builder, SyncSource source)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(source);
        builder.Services.AddSingleton(source);
        return builder;
    }

    /// <summary>Uses a connector to reach the ledger (the Xero package registers its own).</summary>
    /// <typeparam name="TConnector">The connector type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ISyncKitBuilder UseConnector<TConnector>(this ISyncKitBuilder builder)
        where TConnector : LedgerConnector
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<LedgerConnector, TConnector>());
        return builder;
    }

    /// <summary>Uses a connector instance.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connector">The connector.</param>
    /// <returns>The builder.</returns>
    public static ISyncKitBuilder UseConnector(this ISyncKitBuilder builder, LedgerConnector connector)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connector);
        builder.Services.Replace(ServiceDescriptor.Singleton(connector));
        return builder;
    }

    /// <summary>Adds the host's error rules (consulted before the built-in ones; a rule with a built-in rule's id replaces it).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Adds rules in code or from JSON.</param>
    /// <returns>The builder.</returns>
    public static ISyncKitBuilder AddErrorRules(this ISyncKitBuilder builder, Action<ErrorRulesBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var rules = new ErrorRulesBuilder();
        configure(rules);
        builder.Services.AddSingleton(new ErrorRuleRegistration(rules.Rules, ErrorRuleRegistration.HostOrder));
        return builder;
    }

    /// <summary>Holds records matching a policy until a user releases them.</summary>
    /// <typeparam name="TPolicy">The policy type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ISyncKitBuilder UseApprovalPolicy<TPolicy>(this ISyncKitBuilder builder)
        where TPolicy : ApprovalPolicy
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<ApprovalPolicy, TPolicy>());
        return builder;
    }

    /// <summary>Reads each tenant's settings from the host (its settings screen, its database) instead of SyncKit's store alone.</summary>
    /// <typeparam name="TProvider">The provider type; it is given the stored settings and may return null to keep them.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ISyncKitBuilder UseTenantSettingsProvider<TProvider>(this ISyncKitBuilder builder)
        where TProvider : SyncKit.Settings.TenantSettingsProvider
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<SyncKit.Settings.TenantSettingsProvider, TProvider>());
        return builder;
    }

    /// <summary>Replaces how host keys are mapped to the ledger's (decorate <see cref="StoreMappingProvider"/> to keep the stored mappings).</summary>
    /// <typeparam name="TProvider">The provider type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ISyncKitBuilder UseMappingProvider<TProvider>(this ISyncKitBuilder builder)
        where TProvider : MappingProvider
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<MappingProvider, TProvider>());
        return builder;
    }

    private sealed class SyncKitBuilder(IServiceCollection services) : ISyncKitBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
