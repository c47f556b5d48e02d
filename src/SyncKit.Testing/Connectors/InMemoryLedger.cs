using SyncKit.Connectors;
using SyncKit.Records;

namespace SyncKit.Testing.Connectors;

/// <summary>A record the in-memory ledger holds.</summary>
public sealed record InMemoryLedgerRecord
{
    /// <summary>The ledger's id.</summary>
    public required string RemoteId { get; init; }

    /// <summary>The kind it was pushed as.</summary>
    public required RecordKind Kind { get; init; }

    /// <summary>The number, name or code it is found by.</summary>
    public required string Reference { get; init; }

    /// <summary>The record as last pushed (ledger codes).</summary>
    public required SyncRecord Record { get; init; }

    /// <summary>The total of a document or payment, computed the ledger's way.</summary>
    public decimal Total { get; init; }

    /// <summary>What has been paid against a document.</summary>
    public decimal AmountPaid { get; init; }

    /// <summary>How many times it was written.</summary>
    public int Writes { get; init; } = 1;
}

/// <summary>One tenant's books in the in-memory ledger: reference data and the records pushed.</summary>
public sealed class InMemoryLedger
{
    private readonly object _gate = new();
    private readonly Dictionary<string, InMemoryLedgerRecord> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<(RecordKind, string), List<string>> _byReference = [];
    private int _nextId;

    /// <summary>Creates a ledger with a standard chart of accounts and tax rates.</summary>
    /// <param name="tenantId">The tenant.</param>
    public InMemoryLedger(string tenantId)
    {
        TenantId = tenantId;
        Reference = new ReferenceData
        {
            BaseCurrency = "AUD",
            Currencies = ["AUD", "USD", "NZD"],
            Accounts =
            [
                new LedgerAccount { AccountId = "acc-090", Code = "090", Name = "Business Bank Account", Type = "BANK", IsBank = true, EnablePayments = true },
                new LedgerAccount { AccountId = "acc-200", Code = "200", Name = "Sales", Type = "REVENUE" },
                new LedgerAccount { AccountId = "acc-260", Code = "260", Name = "Other Revenue", Type = "REVENUE" },
                new LedgerAccount { AccountId = "acc-310", Code = "310", Name = "Cost of Goods Sold", Type = "DIRECTCOSTS" },
                new LedgerAccount { AccountId = "acc-400", Code = "400", Name = "Advertising", Type = "EXPENSE" },
                new LedgerAccount { AccountId = "acc-610", Code = "610", Name = "Accounts Receivable", Type = "CURRENT", EnablePayments = false },
                new LedgerAccount { AccountId = "acc-860", Code = "860", Name = "Rounding", Type = "CURRLIAB" },
                new LedgerAccount { AccountId = "acc-trust", Code = null, Name = "Trust Liability", Type = "CURRLIAB" },
            ],
            TaxRates =
            [
                new LedgerTaxRate { TaxType = "OUTPUT", Name = "GST on Income", Rate = 10m },
                new LedgerTaxRate { TaxType = "INPUT", Name = "GST on Expenses", Rate = 10m },
                new LedgerTaxRate { TaxType = "NONE", Name = "BAS Excluded", Rate = 0m },
                new LedgerTaxRate { TaxType = "EXEMPTOUTPUT", Name = "GST Free Income", Rate = 0m },
            ],
            TrackingCategories = [new LedgerTrackingCategory { Id = "trk-region", Name = "Region", Options = ["North", "South"] }],
        };
    }

    /// <summary>The tenant.</summary>
    public string TenantId { get; }

    /// <summary>The reference data the ledger enforces; replace it to change lock dates or archive accounts.</summary>
    public ReferenceData Reference { get; set; }

    /// <summary>Every record held.</summary>
    public IReadOnlyList<InMemoryLedgerRecord> Records
    {
        get
        {
            lock (_gate)
            {
                return [.. _records.Values];
            }
        }
    }

    /// <summary>The records of one kind.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The records.</returns>
    public IReadOnlyList<InMemoryLedgerRecord> RecordsOf(RecordKind kind) => Records.Where(r => r.Kind == kind).ToArray();

    /// <summary>Archives an account by code.</summary>
    /// <param name="code">The account code.</param>
    public void ArchiveAccount(string code) =>
        Reference = Reference with { Accounts = Reference.Accounts.Select(a => a.Code == code ? a with { IsArchived = true } : a).ToArray() };

    internal T Locked<T>(Func<InMemoryLedger, Func<string>, T> action)
    {
        lock (_gate)
        {
            return action(this, () => $"{TenantId[..Math.Min(4, TenantId.Length)]}-{++_nextId:D6}");
        }
    }

    internal InMemoryLedgerRecord? Get(string remoteId) => _records.GetValueOrDefault(remoteId);

    internal InMemoryLedgerRecord? Find(RecordKind kind, string reference) => FindAll(kind, reference).FirstOrDefault();

    // References need not be unique (two identical part-payments): every record with the reference, oldest first.
    internal IReadOnlyList<InMemoryLedgerRecord> FindAll(RecordKind kind, string reference) =>
        _byReference.TryGetValue((kind, reference.ToUpperInvariant()), out var ids) ? [.. ids.Select(id => _records[id])] : [];

    internal void Put(InMemoryLedgerRecord record)
    {
        if (_records.TryGetValue(record.RemoteId, out var previous) && _byReference.TryGetValue((previous.Kind, previous.Reference.ToUpperInvariant()), out var previousIds))
        {
            previousIds.Remove(record.RemoteId);
        }

        _records[record.RemoteId] = record;
        var key = (record.Kind, record.Reference.ToUpperInvariant());
        if (!_byReference.TryGetValue(key, out var ids))
        {
            _byReference[key] = ids = [];
        }

        ids.Add(record.RemoteId);
    }
}
