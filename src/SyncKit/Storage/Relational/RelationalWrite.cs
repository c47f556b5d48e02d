using System.Data.Common;

namespace SyncKit.Storage.Relational;

/// <summary>
/// A write in progress: a connection, its transaction when the write has one, and what to release when it ends
/// (SQLite's in-process write gate). Disposing without <see cref="CommitAsync"/> rolls the transaction back.
/// </summary>
internal sealed class RelationalWrite(DbConnection connection, DbTransaction? transaction, SemaphoreSlim? gate) : IAsyncDisposable
{
    private int _disposed;

    public DbConnection Connection { get; } = connection;

    public DbTransaction? Transaction { get; } = transaction;

    public DbCommand CreateCommand(string sql)
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        return command;
    }

    public Task CommitAsync(CancellationToken cancellationToken) =>
        Transaction is null ? Task.CompletedTask : Transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            if (Transaction is not null)
            {
                await Transaction.DisposeAsync().ConfigureAwait(false);
            }

            await Connection.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            gate?.Release();
        }
    }
}
