using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SyncKit.Storage.Internal;
using SyncKit.Storage.Relational;

namespace SyncKit.Storage.Sqlite;

/// <summary>
/// One SQLite database file shared by the provider's stores: opens pooled connections (one per operation),
/// serialises this process's writers on an async gate (other processes wait on <c>busy_timeout</c>),
/// and migrates the schema from the embedded scripts.
/// </summary>
internal sealed class SqliteDatabase : RelationalDatabase
{
    private readonly string _connectionString;
    private readonly string _pragmas;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private static readonly object s_configuredMark = new();
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> _configured = [];

    public SqliteDatabase(SqliteStorageOptions options)
        : this(options ?? throw new ArgumentNullException(nameof(options)), SqliteSql.For(StoreIdentifiers.Require(options.TablePrefix, nameof(SqliteStorageOptions.TablePrefix))))
    {
    }

    private SqliteDatabase(SqliteStorageOptions options, SqliteSql sql)
        : base(sql, SqliteDialect.Instance, options.AutoMigrate)
    {
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
    }

    public override async Task<int> MigrateAsync(int targetVersion, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await ExecuteAsync(connection, null, SqliteSql.EnableWal, cancellationToken).ConfigureAwait(false);
                return await MigrateOnAsync(connection, targetVersion, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Every write takes this process's write gate, then an immediate (write-locking) transaction.</summary>
    protected override async Task<RelationalWrite> BeginWriteCoreAsync(bool atomic, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        DbConnection? connection = null;
        try
        {
            connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            return new RelationalWrite(connection, transaction, _writeGate);
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

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

            // The pragmas hold for the native connection's life, and a pooled connection keeps its native one: set them once.
            if (connection.Handle is { } handle && !_configured.TryGetValue(handle, out _))
            {
                await ExecuteAsync(connection, null, _pragmas, cancellationToken).ConfigureAwait(false);
                _configured.AddOrUpdate(handle, s_configuredMark);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    protected override string NotMigratedMessage(int version) =>
        $"The SyncKit SQLite schema is at version {version}; this build needs version {LatestVersion}. " +
        "Run StoreSchema.MigrateAsync() at deploy time, or set SqliteStorageOptions.AutoMigrate = true.";

    protected override void DisposeResources()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        _writeGate.Dispose();
    }
}
