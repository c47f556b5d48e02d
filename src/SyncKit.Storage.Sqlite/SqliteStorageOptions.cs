namespace SyncKit.Storage.Sqlite;

/// <summary>Options of SyncKit's SQLite storage.</summary>
public sealed class SqliteStorageOptions
{
    /// <summary>The database file's path (created when missing). Set this or <see cref="ConnectionString"/>.</summary>
    public string? DatabasePath { get; set; }

    /// <summary>A full Microsoft.Data.Sqlite connection string, for hosts that need more than a path. Set this or <see cref="DatabasePath"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The prefix of SyncKit's table names, so the tables can live in the host's own database. Default <c>synckit_</c>.</summary>
    /// <remarks>Lower-case letters, digits and underscores only, starting with a letter or underscore.</remarks>
    public string TablePrefix { get; set; } = "synckit_";

    /// <summary>Whether the schema is created or migrated at first use. Default true.</summary>
    /// <remarks>Set false to migrate explicitly (for example at deploy time) with <see cref="StoreSchema.MigrateAsync"/>; stores then refuse to run on an older schema.</remarks>
    public bool AutoMigrate { get; set; } = true;

    /// <summary>How long a write waits for another process's lock on the file before failing. Default 30 seconds.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
