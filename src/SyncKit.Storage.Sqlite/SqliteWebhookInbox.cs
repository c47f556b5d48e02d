using SyncKit.Storage.Relational;

namespace SyncKit.Storage.Sqlite;

/// <summary>The webhook inbox in Sqlite.</summary>
internal sealed class SqliteWebhookInbox(SqliteDatabase database) : RelationalWebhookInbox(database);
