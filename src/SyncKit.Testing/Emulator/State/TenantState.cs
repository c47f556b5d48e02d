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

    public EntitySet Accounts { get; } = new("AccountID", "Code");

    public EntitySet TaxRates { get; } = new("TaxType");

    public EntitySet TrackingCategories { get; } = new("TrackingCategoryID");

    public EntitySet Contacts { get; } = new("ContactID", "Name", "ContactNumber");

    public EntitySet Items { get; } = new("ItemID", "Code");

    public EntitySet Invoices { get; } = new("InvoiceID", "InvoiceNumber");

    public EntitySet CreditNotes { get; } = new("CreditNoteID", "CreditNoteNumber");

    public EntitySet PurchaseOrders { get; } = new("PurchaseOrderID", "PurchaseOrderNumber");

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
            : Accounts.WithField("Code", code).FirstOrDefault();
    }

    public JsonObject? FindTaxRate(string? taxType) => taxType is null
        ? null
        : TaxRates.All.FirstOrDefault(t => string.Equals(XeroJson.GetString(t, "TaxType"), taxType, StringComparison.OrdinalIgnoreCase));

    internal sealed record Snapshot(JsonObject[][] Sets, Dictionary<string, int> NumberSequences, int TaxTypeSequence, string[] Currencies);
}

/// <summary>An ordered collection of entities stored in Xero's wire shape, indexed by id and by the fields it looks up.</summary>
/// <remarks>
/// Entities are never changed in place (a change replaces the entity), so an index stays right by following
/// <see cref="Add"/>, <see cref="Replace"/>, <see cref="Remove"/> and <see cref="Restore"/>. A tenant holding 100,000
/// documents then costs no more per lookup than one holding 100.
/// </remarks>
internal sealed class EntitySet
{
    private readonly List<JsonObject> _items = [];
    private readonly Dictionary<string, JsonObject> _byId = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Dictionary<string, List<JsonObject>>> _byField = new(StringComparer.Ordinal);

    public EntitySet(string idField, params string[] indexedFields)
    {
        IdField = idField;
        foreach (var field in indexedFields)
        {
            _byField[field] = new Dictionary<string, List<JsonObject>>(StringComparer.OrdinalIgnoreCase);
        }
    }

    public string IdField { get; }

    public IReadOnlyList<JsonObject> All => _items;

    public JsonObject? Find(Guid id) => _byId.GetValueOrDefault(id.ToString());

    public JsonObject? FindByKey(string key) => _byId.GetValueOrDefault(IdKey(key));

    /// <summary>
    /// The entities whose <paramref name="field"/> equals <paramref name="value"/> ignoring case and surrounding spaces,
    /// in the set's order: the candidates a caller then checks with its own, exact rule.
    /// </summary>
    public IReadOnlyList<JsonObject> WithField(string field, string? value)
    {
        value = value?.Trim();
        if (!_byField.TryGetValue(field, out var index))
        {
            throw new InvalidOperationException($"The {IdField} set has no index on {field}.");
        }

        if (string.IsNullOrEmpty(value) || !index.TryGetValue(value, out var matches))
        {
            return [];
        }

        // Several only where Xero allows repeats (bill numbers, archived contacts' names): put them in the set's order.
        return matches.Count == 1 ? matches : matches.OrderBy(_items.IndexOf).ToArray();
    }

    public void Add(JsonObject item)
    {
        _items.Add(item);
        Index(item);
    }

    public bool Remove(JsonObject item)
    {
        if (!_items.Remove(item))
        {
            return false;
        }

        Unindex(item);
        return true;
    }

    public JsonObject[] Capture() => _items.ToArray();

    public void Restore(JsonObject[] items)
    {
        _items.Clear();
        _items.AddRange(items);
        _byId.Clear();
        foreach (var index in _byField.Values)
        {
            index.Clear();
        }

        foreach (var item in _items)
        {
            Index(item);
        }
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
            Unindex(existing);
        }

        Index(replacement);
    }

    // Ids that are GUIDs are looked up whatever their spelling; others (a tax type) as they are, ignoring case.
    private static string IdKey(string id) => Guid.TryParse(id, out var guid) ? guid.ToString() : id;

    private void Index(JsonObject item)
    {
        if (XeroJson.GetString(item, IdField) is { Length: > 0 } id)
        {
            _byId[IdKey(id)] = item;
        }

        foreach (var (field, index) in _byField)
        {
            if (XeroJson.GetString(item, field)?.Trim() is { Length: > 0 } value)
            {
                if (!index.TryGetValue(value, out var list))
                {
                    index[value] = list = [];
                }

                list.Add(item);
            }
        }
    }

    private void Unindex(JsonObject item)
    {
        if (XeroJson.GetString(item, IdField) is { Length: > 0 } id && ReferenceEquals(_byId.GetValueOrDefault(IdKey(id)), item))
        {
            _byId.Remove(IdKey(id));
        }

        foreach (var (field, index) in _byField)
        {
            if (XeroJson.GetString(item, field)?.Trim() is { Length: > 0 } value && index.TryGetValue(value, out var list))
            {
                list.Remove(item);
                if (list.Count == 0)
                {
                    index.Remove(value);
                }
            }
        }
    }
}
