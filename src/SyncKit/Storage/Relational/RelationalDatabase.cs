using System.Data.Common;
using System.Globalization;
using System.Reflection;

namespace SyncKit.Storage.Relational;

/// <summary>
/// One relational database shared by a provider's stores: connections (one per operation), writes, readiness
/// (migrate at first use, or refuse an older schema) and migrations from the provider assembly's embedded
/// <c>Schema/NNN_*.sql</c> scripts. The provider supplies how it connects, writes and locks migrations.
/// </summary>
internal abstract class RelationalDatabase : IAsyncDisposable, IDisposable
{
    private readonly List<(int Version, string Resource)> _scripts;
    private readonly bool _autoMigrate;
    private readonly SemaphoreSlim _readyGate = new(1, 1);
    private volatile bool _ready;

    protected RelationalDatabase(RelationalSql sql, RelationalDialect dialect, bool autoMigrate)
    {
        Sql = sql;
        Dialect = dialect;
        _autoMigrate = autoMigrate;
        _scripts = FindScripts(GetType().Assembly);
    }

    public RelationalSql Sql { get; }

    public RelationalDialect Dialect { get; }

    public int LatestVersion => _scripts.Count == 0 ? 0 : _scripts[^1].Version;

    /// <summary>Opens a connection for reading, migrating first if needed.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        return await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts a write, migrating first if needed; <paramref name="atomic"/> asks for a transaction around several statements.</summary>
    public async Task<RelationalWrite> BeginWriteAsync(bool atomic, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        return await BeginWriteCoreAsync(atomic, cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> GetVersionAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await ReadVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a read of <paramref name="sql"/> (parameters added by <paramref name="bind"/>) and reads its first row, or null.</summary>
    public async Task<T?> ReadOneAsync<T>(string sql, Action<DbCommand> bind, Func<DbDataReader, T> read, CancellationToken cancellationToken)
        where T : class
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(connection, sql);
            bind(command);
            return await RelationalRows.ReadOneAsync(command, read, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a read of <paramref name="sql"/> (parameters added by <paramref name="bind"/>) and hands every row to <paramref name="row"/>.</summary>
    public async Task ReadAllAsync(string sql, Action<DbCommand> bind, Action<DbDataReader> row, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(connection, sql);
            bind(command);
            await RelationalRows.ReadAllAsync(command, row, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a read of <paramref name="sql"/> (parameters added by <paramref name="bind"/>) and returns its scalar.</summary>
    public async Task<object?> ReadScalarAsync(string sql, Action<DbCommand> bind, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(connection, sql);
            bind(command);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs <paramref name="sql"/> (parameters added by <paramref name="bind"/>) as one write; returns the rows it changed.</summary>
    public async Task<int> WriteAsync(string sql, Action<DbCommand> bind, CancellationToken cancellationToken)
    {
        var write = await BeginWriteAsync(atomic: false, cancellationToken).ConfigureAwait(false);
        await using (write.ConfigureAwait(false))
        {
            using var command = write.CreateCommand(sql);
            bind(command);
            var changed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await write.CommitAsync(cancellationToken).ConfigureAwait(false);
            return changed;
        }
    }

    /// <summary>Migrates to <see cref="LatestVersion"/> under the provider's migration lock; returns the version reached.</summary>
    public Task<int> MigrateAsync(CancellationToken cancellationToken) => MigrateAsync(LatestVersion, cancellationToken);

    /// <summary>
    /// Applies the scripts up to <paramref name="targetVersion"/> under the provider's migration lock; returns the version reached.
    /// The stores migrate to <see cref="LatestVersion"/>; an earlier target builds an old schema, to prove that it upgrades.
    /// </summary>
    public abstract Task<int> MigrateAsync(int targetVersion, CancellationToken cancellationToken);

    public void Dispose()
    {
        DisposeResources();
        _readyGate.Dispose();
        GC.SuppressFinalize(this);
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeResourcesAsync().ConfigureAwait(false);
        _readyGate.Dispose();
        GC.SuppressFinalize(this);
    }

    public static DbCommand Command(DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    public static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        using var command = Command(connection, sql, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens a connection without checking the schema.</summary>
    protected abstract Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    protected abstract Task<RelationalWrite> BeginWriteCoreAsync(bool atomic, CancellationToken cancellationToken);

    /// <summary>Why the stores refuse to run on schema <paramref name="version"/> when migrating at first use is off.</summary>
    protected abstract string NotMigratedMessage(int version);

    protected abstract void DisposeResources();

    protected virtual ValueTask DisposeResourcesAsync()
    {
        DisposeResources();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Applies the scripts newer than the recorded version, up to <paramref name="targetVersion"/>, on <paramref name="connection"/>,
    /// which holds the migration lock.
    /// </summary>
    protected async Task<int> MigrateOnAsync(DbConnection connection, int targetVersion, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, null, Sql.SchemaVersionCreate, cancellationToken).ConfigureAwait(false);
        var version = await ReadVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
        foreach (var (scriptVersion, resource) in _scripts)
        {
            if (scriptVersion <= version)
            {
                continue;
            }

            if (scriptVersion > targetVersion)
            {
                break;
            }

            var script = Sql.ApplyToScript(await ReadScriptAsync(resource, cancellationToken).ConfigureAwait(false));
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                // Another process may have migrated since we looked: check again under the write lock.
                if (await ReadVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false) < scriptVersion)
                {
                    await ExecuteAsync(connection, transaction, script, cancellationToken).ConfigureAwait(false);
                    using var record = Command(connection, Sql.SchemaVersionInsert, transaction);
                    Dialect.AddInteger(record, "version", scriptVersion);
                    await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            version = scriptVersion;
        }

        if (version >= LatestVersion)
        {
            _ready = true;
        }

        return version;
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
                throw new InvalidOperationException(NotMigratedMessage(version));
            }

            _ready = true;
        }
        finally
        {
            _readyGate.Release();
        }
    }

    private async Task<int> ReadVersionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        using (var exists = Command(connection, Sql.SchemaVersionTableExists, transaction))
        {
            Dialect.AddText(exists, "name", Sql.SchemaVersionTable);
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0)
            {
                return 0;
            }
        }

        using var read = Command(connection, Sql.SchemaVersionRead, transaction);
        return Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    private async Task<string> ReadScriptAsync(string resource, CancellationToken cancellationToken)
    {
        var stream = GetType().Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded schema script '{resource}' is missing.");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }

    private static List<(int Version, string Resource)> FindScripts(Assembly assembly) =>
        [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Schema/", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => (Version: int.Parse(n.AsSpan("Schema/".Length, 3), NumberStyles.None, CultureInfo.InvariantCulture), Resource: n))
            .OrderBy(s => s.Version)];
}
