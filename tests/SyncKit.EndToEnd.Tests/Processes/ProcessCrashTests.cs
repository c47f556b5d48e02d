using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SyncKit.Testing.Storage;
using Xunit.Abstractions;

namespace SyncKit.EndToEnd.Tests.Processes;

/// <summary>The process crash tests on a SQLite file the host processes share.</summary>
public sealed class SqliteProcessCrashTests(ITestOutputHelper output) : ProcessCrashContract(output)
{
    private protected override Task<ProcessStore> CreateStoreAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), $"synckit-process-{Guid.NewGuid():N}.db");
        return Task.FromResult(new ProcessStore("sqlite", path, null, b => b.UseSqliteStorage(path), () =>
        {
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }

            return Task.CompletedTask;
        }));
    }
}

/// <summary>The process crash tests on a PostgreSQL schema of their own in the server named by <c>SYNCKIT_TEST_POSTGRES</c>.</summary>
[RequiresPostgreSqlServer]
public sealed class PostgreSqlProcessCrashTests(ITestOutputHelper output) : ProcessCrashContract(output)
{
    private const string EnvironmentVariable = "SYNCKIT_TEST_POSTGRES";

    private static string? ConnectionString => Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value ? value : null;

    private protected override Task<ProcessStore> CreateStoreAsync()
    {
        var connectionString = ConnectionString!;
        var schema = "synckit_p_" + Guid.NewGuid().ToString("N")[..12];
        return Task.FromResult(new ProcessStore(
            "postgres",
            connectionString,
            schema,
            b => b.UsePostgreSqlStorage(o =>
            {
                o.ConnectionString = connectionString;
                o.Schema = schema;
            }),
            async () =>
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();

                // The schema name is generated above (synckit_p_ + hex), never input.
                await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE;", connection);
                await drop.ExecuteNonQueryAsync();
            }));
    }

    /// <summary>Skips the class when no PostgreSQL server is configured; when one is, a dead server fails the tests.</summary>
    [AttributeUsage(AttributeTargets.Class)]
    private sealed class RequiresPostgreSqlServerAttribute : StoreTestConditionAttribute
    {
        public override string? GetSkipReason() => ConnectionString is null
            ? $"PostgreSQL process tests skipped: {EnvironmentVariable} is not set (.ci/run sets up a local server)."
            : null;
    }
}
