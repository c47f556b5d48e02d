using Microsoft.Extensions.Configuration;
using SyncKit;
using SyncKit.Storage;
using SyncKit.Xero;
using SyncKit.Xero.Api;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The one call that makes a host sync to Xero.</summary>
public static class XeroSyncServiceCollectionExtensions
{
    /// <summary>
    /// Adds SyncKit with the Xero connector: the engine, Xero's error rules, the typed client with OAuth2,
    /// the rate governor and resilience. The store is the host's choice, made on the returned builder:
    /// <c>UseSqliteStorage</c> (package <c>SyncKit.Storage.Sqlite</c>), <c>UsePostgreSqlStorage</c>
    /// (<c>SyncKit.Storage.PostgreSql</c>) or <c>UseInMemoryStorage</c>; the host fails at start, naming them, without one.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the Xero options (<see cref="XeroOptions.ClientId"/> and <see cref="XeroOptions.TokenEncryptionKey"/> at least).</param>
    /// <param name="configureEngine">Sets the engine's options.</param>
    /// <returns>The builder, to add sources, rules, storage and scheduling.</returns>
    /// <remarks>
    /// Options are validated when the host starts; a message says what to set. There is no default store, so a host on
    /// PostgreSQL carries no SQLite: the store package is a dependency the host adds on purpose.
    /// </remarks>
    public static ISyncKitBuilder AddXeroSync(this IServiceCollection services, Action<XeroOptions> configure, Action<SyncOptions>? configureEngine = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddSyncKit(configureEngine).AddXeroConnector(configure);
    }

    /// <summary>Adds SyncKit with the Xero connector, its options read from configuration.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">
    /// SyncKit's section, for example <c>builder.Configuration.GetSection("SyncKit")</c>: its <c>Xero</c> section binds
    /// <see cref="XeroOptions"/> and its <c>Engine</c> section binds <see cref="SyncOptions"/> (both re-read when the
    /// configuration reloads, where the options are read per use).
    /// </param>
    /// <returns>The builder, to add sources, rules, storage and scheduling.</returns>
    /// <remarks>Options are validated when the host starts; a missing key fails start-up with a message that names it.</remarks>
    public static ISyncKitBuilder AddXeroSync(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<XeroOptions>().Bind(configuration.GetSection("Xero"));
        services.AddOptions<SyncOptions>().Bind(configuration.GetSection("Engine"));
        return services.AddXeroSync(static _ => { });
    }

    /// <summary>Configures both of SyncKit's Xero HTTP clients (the API and the token endpoint): a proxy, a handler, or the emulator's in-process handler.</summary>
    /// <param name="builder">The SyncKit builder.</param>
    /// <param name="configure">Configures each client's builder.</param>
    /// <returns>The builder.</returns>
    public static ISyncKitBuilder ConfigureXeroHttpClients(this ISyncKitBuilder builder, Action<IHttpClientBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        configure(builder.Services.AddHttpClient<XeroApiClient>());
        configure(builder.Services.AddHttpClient(XeroHttpClientNames.Identity));
        return builder;
    }
}
