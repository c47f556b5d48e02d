using Npgsql;
using NpgsqlTypes;

namespace SyncKit.Storage.PostgreSql;

/// <summary>Converts values to and from PostgreSQL columns. Times are <c>timestamptz</c> (UTC, microseconds).</summary>
internal static class PostgreSqlValues
{
    public static object ToDb(DateTimeOffset? value) => value is { } v ? v.ToUniversalTime() : DBNull.Value;

    public static DateTimeOffset ToDb(DateTimeOffset value) => value.ToUniversalTime();

    public static object ToDb(string? value) => (object?)value ?? DBNull.Value;

    public static NpgsqlParameter Time(string name, DateTimeOffset? value) =>
        new(name, NpgsqlDbType.TimestampTz) { Value = ToDb(value) };

    public static NpgsqlParameter Json(string name, string? value) =>
        new(name, NpgsqlDbType.Jsonb) { Value = ToDb(value) };

    public static NpgsqlParameter Text(string name, string? value) =>
        new(name, NpgsqlDbType.Text) { Value = ToDb(value) };

    public static DateTimeOffset ReadTime(NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    public static DateTimeOffset? ReadNullableTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    public static string? ReadNullableString(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
