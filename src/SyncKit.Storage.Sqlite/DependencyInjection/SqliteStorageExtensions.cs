using Microsoft.Extensions.Options;
using SyncKit.Storage;
using SyncKit.Storage.Internal;
using SyncKit.Storage.Relational;
using SyncKit.Storage.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers SyncKit's SQLite storage.</summary>
public static class SqliteStorageExtensions
{
    /// <summary>Stores SyncKit's data in one SQLite file (WAL mode), creating the file and schema at first use.</summary>
    /// <param name="builder">The SyncKit builder.</param>
    /// <param name="path">The database file's path, for example <c>App_Data/synckit.db</c>.</param>
    /// <returns>The builder.</returns>
    /// <remarks>For one node. The last storage registered wins. Use <c>UsePostgreSqlStorage</c> when several nodes sync.</remarks>
    public static ISyncKitBuilder UseSqliteStorage(this ISyncKitBuilder builder, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return builder.UseSqliteStorage(options => options.DatabasePath = path);
    }

    /// <summary>Stores SyncKit's data in SQLite, configured by <paramref name="configure"/>.</summary>
    /// <param name="builder">The SyncKit builder.</param>
    /// <param name="configure">Sets the path or connection string, table prefix and migration behaviour.</param>
    /// <returns>The builder.</returns>
    /// <remarks>Options are validated when the host starts. The last storage registered wins.</remarks>
    public static ISyncKitBuilder UseSqliteStorage(this ISyncKitBuilder builder, Action<SqliteStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<SqliteStorageOptions>()
            .Configure(configure)
            .Validate(
                o => string.IsNullOrWhiteSpace(o.DatabasePath) != string.IsNullOrWhiteSpace(o.ConnectionString),
                "SyncKit SQLite storage needs exactly one of DatabasePath or ConnectionString: call UseSqliteStorage(\"path/to/synckit.db\") or set one of them in UseSqliteStorage(options => ...).")
            .Validate(
                o => StoreIdentifiers.IsValid(o.TablePrefix),
                "SqliteStorageOptions.TablePrefix must match ^[a-z_][a-z0-9_]*$ (lower-case letters, digits, underscores; at most 48 characters), for example \"synckit_\".")
            .Validate(
                o => o.BusyTimeout > TimeSpan.Zero,
                "SqliteStorageOptions.BusyTimeout must be positive, for example TimeSpan.FromSeconds(30).")
            .ValidateOnStart();

        RelationalRegistration.ReplaceStores<SqliteDatabase, SqliteLedgerStore, SqliteMappingStore, SqliteRunLog, SqliteTenantStore, SqliteTokenStore, SqliteReferenceDataCache, SqliteStoreSchema>(
            services, sp => new SqliteDatabase(sp.GetRequiredService<IOptions<SqliteStorageOptions>>().Value));
        RelationalRegistration.Replace<InboundStore, SqliteInboundStore>(services);
        RelationalRegistration.Replace<WebhookInbox, SqliteWebhookInbox>(services);
        RelationalRegistration.Replace<TenantSettingsStore, SqliteTenantSettingsStore>(services);
        RelationalRegistration.Replace<UsageStore, SqliteUsageStore>(services);
        return builder;
    }
}
