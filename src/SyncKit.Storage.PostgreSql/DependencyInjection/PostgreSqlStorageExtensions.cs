using Microsoft.Extensions.Options;
using Npgsql;
using SyncKit.Storage;
using SyncKit.Storage.Internal;
using SyncKit.Storage.PostgreSql;
using SyncKit.Storage.Relational;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers SyncKit's PostgreSQL storage.</summary>
public static class PostgreSqlStorageExtensions
{
    /// <summary>Stores SyncKit's data in PostgreSQL, in the <c>synckit</c> schema, creating it at first use.</summary>
    /// <param name="builder">The SyncKit builder.</param>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <returns>The builder.</returns>
    /// <remarks>Many nodes may share the database: leases hand each tenant to one node at a time. The last storage registered wins.</remarks>
    public static ISyncKitBuilder UsePostgreSqlStorage(this ISyncKitBuilder builder, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UsePostgreSqlStorage(options => options.ConnectionString = connectionString);
    }

    /// <summary>Stores SyncKit's data in PostgreSQL through the host's own data source, in the <c>synckit</c> schema, creating it at first use.</summary>
    /// <param name="builder">The SyncKit builder.</param>
    /// <param name="dataSource">The host's data source (its pool, logging, password provider); SyncKit never disposes it.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// A data source the host registers in the container (Npgsql's <c>AddNpgsqlDataSource</c>) is used without this:
    /// <c>UsePostgreSqlStorage(o =&gt; o.Schema = "...")</c> with no connection string takes it.
    /// </remarks>
    public static ISyncKitBuilder UsePostgreSqlStorage(this ISyncKitBuilder builder, NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return builder.UsePostgreSqlStorage(options => options.DataSource = dataSource);
    }

    /// <summary>Stores SyncKit's data in PostgreSQL, configured by <paramref name="configure"/>.</summary>
    /// <param name="builder">The SyncKit builder.</param>
    /// <param name="configure">Sets the connection string (or data source), schema and migration behaviour.</param>
    /// <returns>The builder.</returns>
    /// <remarks>Options are validated when the host starts. The last storage registered wins.</remarks>
    public static ISyncKitBuilder UsePostgreSqlStorage(this ISyncKitBuilder builder, Action<PostgreSqlStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<PostgreSqlStorageOptions>()
            .Configure(configure)
            .Validate<IServiceProvider>(
                (o, sp) => o.DataSource is not null || !string.IsNullOrWhiteSpace(o.ConnectionString) || sp.GetService<NpgsqlDataSource>() is not null,
                "SyncKit PostgreSQL storage needs a connection string: call UsePostgreSqlStorage(\"Host=...;Database=...;Username=...;Password=...\"), " +
                "set ConnectionString in UsePostgreSqlStorage(options => ...), or give it your NpgsqlDataSource (UsePostgreSqlStorage(dataSource), or one registered with AddNpgsqlDataSource).")
            .Validate(
                o => StoreIdentifiers.IsValid(o.Schema),
                "PostgreSqlStorageOptions.Schema must match ^[a-z_][a-z0-9_]*$ (lower-case letters, digits, underscores; at most 48 characters), for example \"synckit\".")
            .ValidateOnStart();

        RelationalRegistration.ReplaceStores<PostgreSqlDatabase, PostgreSqlLedgerStore, PostgreSqlMappingStore, PostgreSqlRunLog, PostgreSqlTenantStore, PostgreSqlTokenStore, PostgreSqlReferenceDataCache, PostgreSqlStoreSchema>(
            services, sp => new PostgreSqlDatabase(sp.GetRequiredService<IOptions<PostgreSqlStorageOptions>>().Value, sp.GetService<NpgsqlDataSource>()));
        RelationalRegistration.Replace<InboundStore, PostgreSqlInboundStore>(services);
        RelationalRegistration.Replace<WebhookInbox, PostgreSqlWebhookInbox>(services);
        RelationalRegistration.Replace<TenantSettingsStore, PostgreSqlTenantSettingsStore>(services);
        RelationalRegistration.Replace<UsageStore, PostgreSqlUsageStore>(services);
        return builder;
    }
}
