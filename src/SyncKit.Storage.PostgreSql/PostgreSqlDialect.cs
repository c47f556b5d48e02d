using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using SyncKit.Storage.Relational;

namespace SyncKit.Storage.PostgreSql;

/// <summary>
/// Values in PostgreSQL columns: parameters are typed (so a null still has a type); times are <c>timestamptz</c>
/// (UTC, microseconds); JSON is <c>jsonb</c> (selected as text); arrays are PostgreSQL arrays.
/// </summary>
internal sealed class PostgreSqlDialect : RelationalDialect
{
    public static PostgreSqlDialect Instance { get; } = new();

    public override DbParameter CreateParameter(string name, RelationalType type) => new NpgsqlParameter
    {
        ParameterName = name,
        NpgsqlDbType = type switch
        {
            RelationalType.Text => NpgsqlDbType.Text,
            RelationalType.Integer => NpgsqlDbType.Integer,
            RelationalType.BigInt => NpgsqlDbType.Bigint,
            RelationalType.Boolean => NpgsqlDbType.Boolean,
            RelationalType.Time => NpgsqlDbType.TimestampTz,
            RelationalType.Json => NpgsqlDbType.Jsonb,
            RelationalType.IntegerArray => NpgsqlDbType.Array | NpgsqlDbType.Integer,
            RelationalType.TextArray => NpgsqlDbType.Array | NpgsqlDbType.Text,
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
        },
    };

    public override object ToDb(DateTimeOffset value) => value.ToUniversalTime();

    public override object ToDb(IReadOnlyCollection<int> values) => values as int[] ?? [.. values];

    public override object ToDb(IReadOnlyCollection<string> values) => values as string[] ?? [.. values];

    public override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);
}
