using System.Globalization;
using System.Reflection;
using Microsoft.Data.Sqlite;
using SyncKit.Storage.Internal;

namespace SyncKit.Storage.Sqlite;

/// <summary>
/// One SQLite database file shared by the provider's stores: opens pooled connections (one per operation),
/// serialises this process's writers on an async gate (other processes wait on <c>busy_timeout</c>),
/// and migrates the schema from the embedded scripts.
/// </summary>
internal sealed class SqliteDatabase : IAsyncDisposable, IDisposable
{
    private static readonly IReadOnlyList<(int Version, string Resource)> Scripts = FindScripts();

    private readonly string _connectionString;
    private readonly string _pragmas;
    private readonly bool _autoMigrate;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly SemaphoreSlim _readyGate = new(1, 1);
    private volatile bool _ready;

    public SqliteDatabase(SqliteStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = options.ConnectionString is { Length: > 0 } cs
            ? new SqliteConnectionStringBuilder(cs)
            : new SqliteConnectionStringBuilder { DataSource = options.DatabasePath, Mode = SqliteOpenMode.ReadWriteCreate };
        builder.Pooling = true;
        if (builder.DefaultTimeout < (int)options.BusyTimeout.TotalSeconds)
        {
            builder.DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds);
        }

        _connectionString = builder.ToString();
        _pragmas = string.Format(CultureInfo.InvariantCulture, SqliteSql.ConnectionPragmas, (long)options.BusyTimeout.TotalMilliseconds);
        _autoMigrate = options.AutoMigrate;
        Sql = new SqliteSql(StoreIdentifiers.Require(options.TablePrefix, nameof(SqliteStorageOptions.TablePrefix)));
    }

    public SqliteSql Sql { get; }

    public static int LatestVersion => Scripts.Count == 0 ? 0 : Scripts[^1].Version;

    /// <summary>Opens a connection for reading, migrating first if needed.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        return await OpenRawAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens a connection and an immediate (write-locking) transaction, after this process's other writers.</summary>
    public async Task<SqliteWrite> BeginWriteAsync(CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        return await BeginWriteRawAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> GetVersionAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenRawAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await ReadVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await OpenRawAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await ExecuteAsync(connection, null, SqliteSql.EnableWal, cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, null, Sql.SchemaVersionCreate, cancellationToken).ConfigureAwait(false);
                var version = await ReadVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
                foreach (var (scriptVersion, resource) in Scripts)
                {
                    if (scriptVersion <= version)
                    {
                        continue;
                    }

                    var script = Sql.ApplyPrefix(await ReadScriptAsync(resource, cancellationToken).ConfigureAwait(false));
                    var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                    await using (transaction.ConfigureAwait(false))
                    {
                        // Another process may have migrated since we looked: check again under the write lock.
                        if (await ReadVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false) < scriptVersion)
                        {
                            await ExecuteAsync(connection, transaction, script, cancellationToken).ConfigureAwait(false);
                            using var record = connection.CreateCommand();
                            record.Transaction = transaction;
                            record.CommandText = Sql.SchemaVersionInsert;
                            record.Parameters.AddWithValue("@version", scriptVersion);
                            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                        }

                        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    }

                    version = scriptVersion;
                }

                _ready = true;
                return version;
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        _writeGate.Dispose();
        _readyGate.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
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
                    $"The SyncKit SQLite schema is at version {version}; this build needs version {LatestVersion}. " +
                    "Run StoreSchema.MigrateAsync() at deploy time, or set SqliteStorageOptions.AutoMigrate = true.");
            }

            _ready = true;
        }
        finally
        {
            _readyGate.Release();
        }
    }

    private async Task<SqliteWrite> BeginWriteRawAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        SqliteConnection? connection = null;
        try
        {
            connection = await OpenRawAsync(cancellationToken).ConfigureAwait(false);
            var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            return new SqliteWrite(connection, transaction, _writeGate);
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            _writeGate.Release();
            throw;
        }
    }

    private async Task<SqliteConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, null, _pragmas, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<int> ReadVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        using var exists = connection.CreateCommand();
        exists.Transaction = transaction;
        exists.CommandText = Sql.SchemaVersionTableExists;
        exists.Parameters.AddWithValue("@name", Sql.Prefix + "schema_version");
        if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0)
        {
            return 0;
        }

        using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = Sql.SchemaVersionRead;
        return Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<string> ReadScriptAsync(string resource, CancellationToken cancellationToken)
    {
        var stream = typeof(SqliteDatabase).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded schema script '{resource}' is missing.");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }

    private static List<(int Version, string Resource)> FindScripts() =>
        [.. typeof(SqliteDatabase).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Schema/", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => (Version: int.Parse(n.AsSpan("Schema/".Length, 3), NumberStyles.None, CultureInfo.InvariantCulture), Resource: n))
            .OrderBy(s => s.Version)];
}

/// <summary>A write in progress: a connection, its immediate transaction, and this process's write gate.</summary>
internal sealed class SqliteWrite(SqliteConnection connection, SqliteTransaction transaction, SemaphoreSlim gate) : IAsyncDisposable
{
    private int _disposed;

    public SqliteConnection Connection { get; } = connection;

    public SqliteTransaction Transaction { get; } = transaction;

    public SqliteCommand CreateCommand(string sql)
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        return command;
    }

    public Task CommitAsync(CancellationToken cancellationToken) => Transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await Transaction.DisposeAsync().ConfigureAwait(false);
            await Connection.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }
}
