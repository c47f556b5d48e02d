using System.Data.Common;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace SyncKit.Storage.Sqlite;

/// <summary>
/// One statement prepared on a connection's native handle and run once per row, with its parameters bound by the index
/// found once at prepare: the ledger's hot writes (thousands of rows of 23 values) skip the per-execution name lookups,
/// name marshalling and reader set-up that a <see cref="SqliteCommand"/> does on every run. It runs inside whatever
/// transaction the connection has open.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _statement;
    private readonly int[] _indexes;

    /// <param name="connection">An open connection.</param>
    /// <param name="sql">One statement with <c>@name</c> parameters.</param>
    /// <param name="parameterNames">The names of the values <see cref="Execute"/> is given, in that order.</param>
    public SqliteStatement(SqliteConnection connection, string sql, IReadOnlyList<(string Name, Relational.RelationalType Type)> parameterNames)
    {
        _database = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(_database, sql, out _statement), _database);
        _indexes = new int[parameterNames.Count];
        for (var i = 0; i < _indexes.Length; i++)
        {
            _indexes[i] = raw.sqlite3_bind_parameter_index(_statement, "@" + parameterNames[i].Name);
        }
    }

    /// <summary>Binds <paramref name="values"/> (by position: the parameter names' order) and runs the statement.</summary>
    /// <returns>The rows it changed.</returns>
    public int Execute(DbParameter[] values)
    {
        try
        {
            for (var i = 0; i < _indexes.Length; i++)
            {
                // 0: a value the statement does not use.
                if (_indexes[i] != 0)
                {
                    SqliteException.ThrowExceptionForRC(Bind(_indexes[i], values[i].Value), _database);
                }
            }

            var rc = raw.sqlite3_step(_statement);
            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, _database);
            }

            return raw.sqlite3_changes(_database);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    private int Bind(int index, object? value) => value switch
    {
        null or DBNull => raw.sqlite3_bind_null(_statement, index),

        // An empty span has no address, which SQLite would bind as NULL: empty text goes through the terminated form.
        string { Length: 0 } => raw.sqlite3_bind_text(_statement, index, string.Empty),
        string text => raw.sqlite3_bind_text16(_statement, index, text.AsSpan()),
        int number => raw.sqlite3_bind_int64(_statement, index, number),
        long number => raw.sqlite3_bind_int64(_statement, index, number),
        bool flag => raw.sqlite3_bind_int64(_statement, index, flag ? 1 : 0),
        _ => throw new NotSupportedException($"A ledger value of type {value.GetType().Name} has no SQLite binding."),
    };

    public void Dispose() => _statement.Dispose();
}
