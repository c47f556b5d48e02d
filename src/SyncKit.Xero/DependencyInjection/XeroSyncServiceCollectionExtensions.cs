using SyncKit;
using SyncKit.Storage;
using SyncKit.Xero;
using SyncKit.Xero.Api;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The one call that makes a host sync to Xero.</summary>
public static class XeroSyncServiceCollectionExtensions
{
    /// <summary>The SQLite file used when the host names no store.</summary>
    public const string DefaultDatabasePath = "synckit.db";

    /// <summary>
    /// Adds SyncKit with the Xero connector: the engine, Xero's error rules, the typed client with OAuth2,
    /// the rate governor and resilience, and the embedded SQLite store (<see cref="DefaultDatabasePath"/>)
    /// unless the host chooses another with <c>UseSqliteStorage</c>, <c>UsePostgreSqlStorage</c> or <c>UseInMemoryStorage</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the Xero options (<see cref="XeroOptions.ClientId"/> and <see cref="XeroOptions.TokenEncryptionKey"/> at least).</param>
    /// <param name="configureEngine">Sets the engine's options.</param>
    /// <returns>The builder, to add sources, rules, storage and scheduling.</returns>
    /// <remarks>Options are validated when the host starts; a message says what to set.</remarks>
    public static ISyncKitBuilder AddXeroSync(this IServiceCollection services, Action<XeroOptions> configure, Action<SyncOptions>? configureEngine = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var builder = services.AddSyncKit(configureEngine);
        if (!services.Any(d => d.ServiceType == typeof(LedgerStore)))
        {
            builder.UseSqliteStorage(DefaultDatabasePath);
        }

        return builder.AddXeroConnector(configure);
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
