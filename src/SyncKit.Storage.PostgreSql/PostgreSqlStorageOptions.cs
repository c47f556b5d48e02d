using Npgsql;

namespace SyncKit.Storage.PostgreSql;

/// <summary>Options of SyncKit's PostgreSQL storage.</summary>
public sealed class PostgreSqlStorageOptions
{
    /// <summary>The Npgsql connection string, for example <c>Host=db;Database=app;Username=synckit;Password=...</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The host's own data source — its pool, logging, multiple hosts or password provider — used instead of
    /// <see cref="ConnectionString"/>. SyncKit opens connections from it and never disposes it: it is the host's.
    /// </summary>
    /// <remarks>
    /// When neither this nor <see cref="ConnectionString"/> is set, an <see cref="NpgsqlDataSource"/> registered in the
    /// container (for example by Npgsql's <c>AddNpgsqlDataSource</c>) is used.
    /// </remarks>
    public NpgsqlDataSource? DataSource { get; set; }

    /// <summary>The schema holding SyncKit's tables, so they can live in the host's own database. Default <c>synckit</c>.</summary>
    /// <remarks>Lower-case letters, digits and underscores only, starting with a letter or underscore.</remarks>
    public string Schema { get; set; } = "synckit";

    /// <summary>Whether the schema is created or migrated at first use (under an advisory lock, so nodes may start together). Default true.</summary>
    /// <remarks>Set false to migrate explicitly (for example at deploy time) with <see cref="StoreSchema.MigrateAsync"/>; stores then refuse to run on an older schema.</remarks>
    public bool AutoMigrate { get; set; } = true;
}
