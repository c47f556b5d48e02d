using System.Data.Common;
using Npgsql;
using SyncKit.Storage.Internal;
using SyncKit.Storage.Relational;

namespace SyncKit.Storage.PostgreSql;

/// <summary>
/// One PostgreSQL schema shared by the provider's stores: a pooled data source (one connection per operation)
/// and migrations from the embedded scripts under an advisory lock.
/// </summary>
internal sealed class PostgreSqlDatabase : RelationalDatabase
{
    private readonly PostgreSqlSql _sql;
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;

    /// <param name="options">The options.</param>
    /// <param name="registered">The data source the container holds, used when the options name neither a data source nor a connection string.</param>
    public PostgreSqlDatabase(PostgreSqlStorageOptions options, NpgsqlDataSource? registered = null)
        : this(options ?? throw new ArgumentNullException(nameof(options)), PostgreSqlSql.For(StoreIdentifiers.Require(options.Schema, nameof(PostgreSqlStorageOptions.Schema))), registered)
    {
    }

    private PostgreSqlDatabase(PostgreSqlStorageOptions options, PostgreSqlSql sql, NpgsqlDataSource? registered)
        : base(sql, PostgreSqlDialect.Instance, options.AutoMigrate)
    {
        _sql = sql;
        if (options.DataSource is { } hosts)
        {
            _dataSource = hosts;
        }
        else if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            _dataSource = NpgsqlDataSource.Create(options.ConnectionString);
            _ownsDataSource = true;
        }
        else
        {
            _dataSource = registered ?? throw new ArgumentException(
                "PostgreSQL storage needs a connection string or an NpgsqlDataSource.", nameof(options));
        }
    }

    public override async Task<int> MigrateAsync(int targetVersion, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await LockAsync(connection, PostgreSqlSql.MigrationLock, cancellationToken).ConfigureAwait(false);
            try
            {
                return await MigrateOnAsync(connection, targetVersion, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await LockAsync(connection, PostgreSqlSql.MigrationUnlock, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>A single statement runs on its own (autocommit); an atomic write has a transaction.</summary>
    protected override async Task<RelationalWrite> BeginWriteCoreAsync(bool atomic, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = atomic ? await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false) : null;
            return new RelationalWrite(connection, transaction, null);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    protected override string NotMigratedMessage(int version) =>
        $"The SyncKit PostgreSQL schema '{_sql.Schema}' is at version {version}; this build needs version {LatestVersion}. " +
        "Run StoreSchema.MigrateAsync() at deploy time, or set PostgreSqlStorageOptions.AutoMigrate = true.";

    protected override void DisposeResources()
    {
        // A data source the host gave (or registered) is the host's to dispose.
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }

    protected override ValueTask DisposeResourcesAsync() => _ownsDataSource ? _dataSource.DisposeAsync() : ValueTask.CompletedTask;

    private async Task LockAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("lock_class", PostgreSqlSql.MigrationLockClass);
        command.Parameters.AddWithValue("schema", _sql.Schema);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
