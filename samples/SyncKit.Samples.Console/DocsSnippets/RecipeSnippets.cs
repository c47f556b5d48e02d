using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SyncKit.Records;
using SyncKit.Sources;
using SyncKit.Xero;
using SyncKit.Xero.Identity;

namespace SyncKit.Samples.Console.DocsSnippets;

// The recipes in docs/recipes.md, compiled here.

internal sealed class PsaInvoice
{
    public required string Id { get; init; }
    public required string TenantId { get; init; }
    public required string CustomerId { get; init; }
    public required string Number { get; init; }
    public DateOnly Date { get; init; }
    public required string Currency { get; init; }
    public decimal Amount { get; init; }
    public required string GlCode { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? PostedAt { get; set; }
    public string? XeroId { get; set; }

    public InvoiceRecord ToRecord() => new()
    {
        SourceId = Id,
        ContactSourceId = CustomerId,
        Number = Number,
        Date = Date,
        CurrencyCode = Currency,
        Lines = [new DocumentLine { Description = "Services", UnitPrice = Amount, AccountKey = GlCode }],
    };
}

internal sealed class PsaDbContext(DbContextOptions<PsaDbContext> options) : DbContext(options)
{
    public DbSet<PsaInvoice> Invoices => Set<PsaInvoice>();
}

// A source is a singleton (AddSource<T> registers one); a DbContext is scoped and not thread-safe. So the source takes
// IDbContextFactory and makes a short-lived context per call.
internal sealed class EfInvoiceSource(IDbContextFactory<PsaDbContext> contexts) : SyncSource<InvoiceRecord>
{
    public override RecordKind Kind => RecordKind.Invoice;

    public override async IAsyncEnumerable<InvoiceRecord> GetChangedAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var changed = db.Invoices.AsNoTracking()
            .Where(i => i.TenantId == tenantId && (i.PostedAt == null || i.UpdatedAt > i.PostedAt))
            .OrderBy(i => i.Id)
            .AsAsyncEnumerable();   // streams: a million rows are never in memory at once
        await foreach (var row in changed.WithCancellation(cancellationToken))
        {
            yield return row.ToRecord();
        }
    }

    public override async Task<InvoiceRecord?> GetAsync(string tenantId, string sourceId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Invoices.AsNoTracking().SingleOrDefaultAsync(i => i.TenantId == tenantId && i.Id == sourceId, cancellationToken);
        return row?.ToRecord();
    }

    public override async Task OnOutcomesAsync(string tenantId, IReadOnlyList<RecordOutcome> outcomes, CancellationToken cancellationToken = default)
    {
        var posted = outcomes.Where(o => o.Posted).ToDictionary(o => o.Key.SourceId, o => o.RemoteId);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ids = posted.Keys.ToList();
        foreach (var row in await db.Invoices.Where(i => i.TenantId == tenantId && ids.Contains(i.Id)).ToListAsync(cancellationToken))
        {
            row.PostedAt = row.UpdatedAt;
            row.XeroId = posted[row.Id];
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}

// Dapper: the same source over plain SQL; one connection per call, from the host's own factory.
internal sealed class DapperInvoiceSource(Func<DbConnection> openConnection) : SyncSource<InvoiceRecord>
{
    private const string Changed = """
        SELECT Id, TenantId, CustomerId, Number, Date, Currency, Amount, GlCode, UpdatedAt, PostedAt, XeroId
        FROM Invoices WHERE TenantId = @tenantId AND (PostedAt IS NULL OR UpdatedAt > PostedAt) ORDER BY Id
        """;

    public override RecordKind Kind => RecordKind.Invoice;

    public override async IAsyncEnumerable<InvoiceRecord> GetChangedAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = openConnection();
        await foreach (var row in connection.QueryUnbufferedAsync<PsaInvoice>(Changed, new { tenantId }).WithCancellation(cancellationToken))
        {
            yield return row.ToRecord();
        }
    }

    public override async Task<InvoiceRecord?> GetAsync(string tenantId, string sourceId, CancellationToken cancellationToken = default)
    {
        await using var connection = openConnection();
        var row = await connection.QuerySingleOrDefaultAsync<PsaInvoice>(new CommandDefinition(
            "SELECT * FROM Invoices WHERE TenantId = @tenantId AND Id = @sourceId", new { tenantId, sourceId }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public override async Task OnOutcomesAsync(string tenantId, IReadOnlyList<RecordOutcome> outcomes, CancellationToken cancellationToken = default)
    {
        await using var connection = openConnection();
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE Invoices SET PostedAt = UpdatedAt, XeroId = @RemoteId WHERE TenantId = @TenantId AND Id = @SourceId",
            outcomes.Where(o => o.Posted).Select(o => new { o.RemoteId, TenantId = tenantId, o.Key.SourceId }),
            cancellationToken: cancellationToken));
    }
}

internal static class RecipeSnippets
{
    public static void RegisterEfCore(IServiceCollection services, string connectionString, string tokenKey)
    {
        services.AddDbContextFactory<PsaDbContext>(o => o.UseSqlite(connectionString));
        services.AddXeroSync(o =>
            {
                o.ClientId = "your-client-id";
                o.TokenEncryptionKey = tokenKey;
            })
            .UseSqliteStorage("synckit.db")
            .AddSource<EfInvoiceSource>();
    }

    public static void RegisterDapper(IServiceCollection services, string connectionString, string tokenKey)
    {
        services.AddXeroSync(o =>
            {
                o.ClientId = "your-client-id";
                o.TokenEncryptionKey = tokenKey;
            })
            .UseSqliteStorage("synckit.db")
            .AddSource(new DapperInvoiceSource(() => new SqliteConnection(connectionString)));
    }

    public static void OneConsentManyOrganisations(XeroOptions o, IReadOnlyDictionary<string, (string UserId, string XeroTenantId)> tenants)
    {
        // SyncKit tenant "acme-au" is Xero organisation 7a1c... reached through user u-17's connection.
        o.ConnectionKeyForTenant = tenant => tenants[tenant].UserId;
        o.XeroTenantIdForTenant = tenant => tenants[tenant].XeroTenantId;
    }

    public static void RotateStep1(XeroOptions o, string newKey, string oldKey)
    {
        o.TokenEncryptionKey = newKey;              // writes use the new key
        o.PreviousTokenEncryptionKeys.Add(oldKey);  // reads still accept the old one
    }

    public static async Task RotateStep2Async(IServiceProvider services, CancellationToken cancellationToken)
    {
        var reEncryptor = services.GetRequiredService<XeroTokenReEncryptor>();
        var result = await reEncryptor.ReEncryptAllAsync(cancellationToken);
        System.Console.WriteLine($"{result.ReEncrypted.Count} re-encrypted, {result.NotFound.Count} without a token, {result.Unreadable.Count} unreadable");
    }
}
