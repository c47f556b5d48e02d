namespace SyncKit.Storage.Relational;

/// <summary>What a parameter holds, so that a provider can type it (PostgreSQL) or convert its value (SQLite).</summary>
internal enum RelationalType
{
    Text,
    Integer,
    BigInt,
    Boolean,
    Time,
    Json,
    IntegerArray,
    TextArray,
}
