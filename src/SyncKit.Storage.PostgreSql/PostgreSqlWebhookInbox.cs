using SyncKit.Storage.Relational;

namespace SyncKit.Storage.PostgreSql;

/// <summary>The webhook inbox in PostgreSQL.</summary>
internal sealed class PostgreSqlWebhookInbox(PostgreSqlDatabase database) : RelationalWebhookInbox(database);
