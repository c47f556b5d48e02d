using System.Text.Json.Nodes;
using SyncKit.Testing.Emulator.PracticeManager;

namespace SyncKit.Testing.Emulator.State;

/// <summary>One organisation's data. Every read and write of it happens under <see cref="Gate"/>.</summary>
internal sealed class TenantState
{
    public TenantState(Guid tenantId, string name, string baseCurrency, DateTimeOffset createdUtc)
    {
        TenantId = tenantId;
        Name = name;
        BaseCurrency = baseCurrency.ToUpperInvariant();
        CreatedUtc = createdUtc;
        Currencies.Add(BaseCurrency);
    }

    public Lock Gate { get; } = new();

    public Guid TenantId { get; }

    public string Name { get; set; }

    public string BaseCurrency { get; }

    public DateTimeOffset CreatedUtc { get; }

    /// <summary>The organisation's id: Xero's connections give it as the tenant id (its SDKs join the two).</summary>
    public Guid OrganisationId => TenantId;

    public string ShortCode { get; set; } = "!emu01";

    public DateOnly? PeriodLockDate { get; set; }

    public DateOnly? EndOfYearLockDate { get; set; }

    public bool Offline { get; set; }

    public required int MinuteLimit { get; set; }

    public required int DayLimit { get; set; }

    public required int ConcurrentLimit { get; set; }

    public HashSet<string> Currencies { get; } = new(StringComparer.OrdinalIgnoreCase);

    public EntitySet Accounts { get; } = new("AccountID");

    public EntitySet TaxRates { get; } = new("TaxType");

    public EntitySet TrackingCategories { get; } = new("TrackingCategoryID");

    public EntitySet Contacts { get; } = new("ContactID");

    public EntitySet Items { get; } = new("ItemID");

    public EntitySet Invoices { get; } = new("InvoiceID");

    public EntitySet CreditNotes { get; } = new("CreditNoteID");

    public EntitySet PurchaseOrders { get; } = new("PurchaseOrderID");

    public EntitySet Payments { get; } = new("PaymentID");

    public Dictionary<string, int> NumberSequences { get; } = new(StringComparer.Ordinal);

    public int TaxTypeSequence { get; set; }

    public IdempotencyStore Idempotency { get; } = new();

    public PracticeState? Practice { get; set; }

    public bool IsPractice => Practice is not null;

    /// <summary>
    /// What the Accounting API can change, captured cheaply: the sets' membership (entities are never changed in
    /// place — a change replaces the entity), number sequences and currencies. <see cref="Restore"/> undoes a
    /// request that failed part-way, so a 500 commits nothing.
    /// </summary>
    public Snapshot Capture() => new(
        AllSets.Select(s => s.Capture()).ToArray(),
        new Dictionary<string, int>(NumberSequences, StringComparer.Ordinal),
        TaxTypeSequence,
        Currencies.ToArray());

    /// <summary>Puts back what <see cref="Capture"/> saw.</summary>
    public void Restore(Snapshot snapshot)
    {
        var sets = AllSets;
        for (var i = 0; i < sets.Length; i++)
        {
            sets[i].Restore(snapshot.Sets[i]);
        }

        NumberSequences.Clear();
        foreach (var (prefix, next) in snapshot.NumberSequences)
        {
            NumberSequences[prefix] = next;
        }

        TaxTypeSequence = snapshot.TaxTypeSequence;
        Currencies.Clear();
        Currencies.UnionWith(snapshot.Currencies);
    }

    private EntitySet[] AllSets => [Accounts, TaxRates, TrackingCategories, Contacts, Items, Invoices, CreditNotes, PurchaseOrders, Payments];

    public EntitySet Set(string collection) => collection switch
    {
        "Accounts" => Accounts,
        "TaxRates" => TaxRates,
        "TrackingCategories" => TrackingCategories,
        "Contacts" => Contacts,
        "Items" => Items,
        "Invoices" => Invoices,
        "CreditNotes" => CreditNotes,
        "PurchaseOrders" => PurchaseOrders,
        "Payments" => Payments,
        _ => throw new ArgumentOutOfRangeException(nameof(collection), collection, "Unknown collection."),
    };

    public JsonObject? FindAccount(string? code, Guid? id)
    {
        if (id is { } accountId)
        {
            return Accounts.Find(accountId);
        }

        return code is null
            ? null
            : Accounts.All.FirstOrDefault(a => string.Equals(XeroJson.GetString(a, "Code"), code, StringComparison.OrdinalIgnoreCase));
    }

    public JsonObject? FindTaxRate(string? taxType) => taxType is null
        ? null
        : TaxRates.All.FirstOrDefault(t => string.Equals(XeroJson.GetString(t, "TaxType"), taxType, StringComparison.OrdinalIgnoreCase));

    internal sealed record Snapshot(JsonObject[][] Sets, Dictionary<string, int> NumberSequences, int TaxTypeSequence, string[] Currencies);
}

/// <summary>An ordered collection of entities stored in Xero's wire shape.</summary>
internal sealed class EntitySet
{
    private readonly List<JsonObject> _items = [];

    public EntitySet(string idField) => IdField = idField;

    public string IdField { get; }

    public IReadOnlyList<JsonObject> All => _items;

    public JsonObject? Find(Guid id) => _items.FirstOrDefault(i => XeroJson.GetGuid(i, IdField) == id);

    public JsonObject? FindByKey(string key) => _items.FirstOrDefault(i => string.Equals(XeroJson.GetString(i, IdField), key, StringComparison.OrdinalIgnoreCase));

    public void Add(JsonObject item) => _items.Add(item);

    public bool Remove(JsonObject item) => _items.Remove(item);

    public JsonObject[] Capture() => _items.ToArray();

    public void Restore(JsonObject[] items)
    {
        _items.Clear();
        _items.AddRange(items);
    }

    public void Replace(JsonObject existing, JsonObject replacement)
    {
        var index = _items.IndexOf(existing);
        if (index < 0)
        {
            _items.Add(replacement);
        }
        else
        {
            _items[index] = replacement;
        }
    }
}
