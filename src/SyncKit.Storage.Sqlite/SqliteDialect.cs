using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using SyncKit.Storage.Internal;
using SyncKit.Storage.Relational;

namespace SyncKit.Storage.Sqlite;

/// <summary>
/// Values in SQLite columns: parameters are <c>@name</c> and typed by their values; times are ISO-8601 UTC text with
/// seven fractional digits (so text order is time order); booleans are 0 or 1; arrays are JSON text read with <c>json_each</c>.
/// </summary>
internal sealed class SqliteDialect : RelationalDialect
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static SqliteDialect Instance { get; } = new();

    public static string ToText(DateTimeOffset value) => value.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public override DbParameter CreateParameter(string name, RelationalType type) => new SqliteParameter { ParameterName = "@" + name };

    public override object ToDb(DateTimeOffset value) => ToText(value);

    public override object ToDb(IReadOnlyCollection<int> values) => StorageJson.IntArray(values);

    public override object ToDb(IReadOnlyCollection<string> values) => StorageJson.StringArray(values);

    public override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) =>
        new(DateTime.SpecifyKind(DateTime.ParseExact(reader.GetString(ordinal), TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), DateTimeKind.Utc));
}
