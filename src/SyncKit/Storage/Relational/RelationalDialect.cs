using System.Data.Common;

namespace SyncKit.Storage.Relational;

/// <summary>
/// What differs between relational providers in values: how a parameter is named and typed, and how times and arrays
/// are written and read. Everything else about a row is in <see cref="RelationalRows"/>.
/// </summary>
internal abstract class RelationalDialect
{
    /// <summary>A parameter of <paramref name="type"/> without a value; an empty <paramref name="name"/> is positional.</summary>
    public abstract DbParameter CreateParameter(string name, RelationalType type);

    /// <summary>A time as the provider stores it.</summary>
    public abstract object ToDb(DateTimeOffset value);

    /// <summary>Integers as the provider takes an array parameter.</summary>
    public abstract object ToDb(IReadOnlyCollection<int> values);

    /// <summary>Strings as the provider takes an array parameter.</summary>
    public abstract object ToDb(IReadOnlyCollection<string> values);

    public abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    public DateTimeOffset? ReadNullableTime(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : ReadTime(reader, ordinal);

    public static string? ReadNullableString(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static object ToDb(string? value) => (object?)value ?? DBNull.Value;

    public object ToDb(DateTimeOffset? value) => value is { } v ? ToDb(v) : DBNull.Value;

    public DbParameter Add(DbCommand command, string name, RelationalType type, object value)
    {
        var parameter = CreateParameter(name, type);
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    public void AddText(DbCommand command, string name, string? value) => Add(command, name, RelationalType.Text, ToDb(value));

    public void AddJson(DbCommand command, string name, string? value) => Add(command, name, RelationalType.Json, ToDb(value));

    public void AddInteger(DbCommand command, string name, int value) => Add(command, name, RelationalType.Integer, value);

    public void AddBoolean(DbCommand command, string name, bool value) => Add(command, name, RelationalType.Boolean, value);

    public void AddBigInt(DbCommand command, string name, long value) => Add(command, name, RelationalType.BigInt, value);

    public void AddTime(DbCommand command, string name, DateTimeOffset? value) => Add(command, name, RelationalType.Time, ToDb(value));

    public void AddIntegers(DbCommand command, string name, IReadOnlyCollection<int> values) => Add(command, name, RelationalType.IntegerArray, ToDb(values));

    public void AddTexts(DbCommand command, string name, IReadOnlyCollection<string> values) => Add(command, name, RelationalType.TextArray, ToDb(values));
}
