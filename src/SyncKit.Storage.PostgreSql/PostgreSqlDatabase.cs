using System.Globalization;
using Npgsql;
using SyncKit.Storage.Internal;

namespace SyncKit.Storage.PostgreSql;

/// <summary>
/// One PostgreSQL schema shared by the provider's stores: a pooled data source (one connection per operation)
/// and migrations from the embedded scripts under an advisory lock.
/// </summary>
internal sealed class PostgreSqlDatabase : IAsyncDisposable, IDisposable
{
    private static readonly IReadOnlyList<(int Version, string Resource)> Scripts = FindScripts();

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _autoMigrate;
    private readonly SemaphoreSlim _readyGate = new(1, 1);
    private volatile bool _ready;

    public PostgreSqlDatabase(PostgreSqlStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString, nameof(options));
        Sql = new PostgreSqlSql(StoreIdentifiers.Require(options.Schema, nameof(PostgreSqlStorageOptions.Schema)));
        _dataSource = NpgsqlDataSource.Create(options.ConnectionString);
        _autoMigrate = options.AutoMigrate;
    }

    public PostgreSqlSql Sql { get; }

    public static int LatestVersion => Scripts.Count == 0 ? 0 : Scripts[^1].Version;

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> GetVersionAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using (var exists = new NpgsqlCommand(Sql.SchemaVersionTableExists, connection))
            {
                if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
                {
                    return 0;
                }
            }

            using var read = new NpgsqlCommand(Sql.SchemaVersionReadExisting, connection);
            return Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }
    }

    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await LockAsync(connection, Sql.MigrationLock, cancellationToken).ConfigureAwait(false);
            try
            {
                using (var create = new NpgsqlCommand(Sql.SchemaVersionCreate, connection))
                {
                    await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                int version;
                using (var read = new NpgsqlCommand(Sql.SchemaVersionReadExisting, connection))
                {
                    version = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
                }

                foreach (var (scriptVersion, resource) in Scripts)
                {
                    if (scriptVersion <= version)
                    {
                        continue;
                    }

                    var script = Sql.ApplySchema(await ReadScriptAsync(resource, cancellationToken).ConfigureAwait(false));
                    var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                    await using (transaction.ConfigureAwait(false))
                    {
                        using (var apply = new NpgsqlCommand(script, connection, transaction))
                        {
                            await apply.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                        }

                        using (var record = new NpgsqlCommand(Sql.SchemaVersionInsert, connection, transaction))
                        {
                            record.Parameters.AddWithValue("version", scriptVersion);
                            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                        }

                        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    }

                    version = scriptVersion;
                }

                _ready = true;
                return version;
            }
            finally
            {
                await LockAsync(connection, Sql.MigrationUnlock, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    public void Dispose()
    {
        _dataSource.Dispose();
        _readyGate.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _readyGate.Dispose();
    }

    private async Task LockAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("lock_class", PostgreSqlSql.MigrationLockClass);
        command.Parameters.AddWithValue("schema", Sql.Schema);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        if (_ready)
        {
            return;
        }

        await _readyGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_ready)
            {
                return;
            }

            if (_autoMigrate)
            {
                await MigrateAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            var version = await GetVersionAsync(cancellationToken).ConfigureAwait(false);
            if (version < LatestVersion)
            {
                throw new InvalidOperationException(
                    $"The SyncKit PostgreSQL schema '{Sql.Schema}' is at version {version}; this build needs version {LatestVersion}. " +
                    "Run StoreSchema.MigrateAsync() at deploy time, or set PostgreSqlStorageOptions.AutoMigrate = true.");
            }

            _ready = true;
        }
        finally
        {
            _readyGate.Release();
        }
    }

    private static async Task<string> ReadScriptAsync(string resource, CancellationToken cancellationToken)
    {
        var stream = typeof(PostgreSqlDatabase).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded schema script '{resource}' is missing.");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }

    private static List<(int Version, string Resource)> FindScripts() =>
        [.. typeof(PostgreSqlDatabase).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Schema/", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => (Version: int.Parse(n.AsSpan("Schema/".Length, 3), NumberStyles.None, CultureInfo.InvariantCulture), Resource: n))
            .OrderBy(s => s.Version)];
}
