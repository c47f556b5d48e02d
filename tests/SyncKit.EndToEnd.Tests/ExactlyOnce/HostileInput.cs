using System.Runtime.CompilerServices;
using SyncKit.Records;
using SyncKit.Sources;

namespace SyncKit.EndToEnd.Tests.ExactlyOnce;

/// <summary>A host source that yields exactly its list, duplicate and empty ids included (as a careless host query would).</summary>
internal sealed class ListSource<TRecord>(RecordKind kind) : SyncSource<TRecord>
    where TRecord : SyncRecord
{
    public List<TRecord> Records { get; } = [];

    public override RecordKind Kind => kind;

    public override async IAsyncEnumerable<TRecord> GetChangedAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var record in Records)
        {
            await Task.Yield();
            yield return record;
        }
    }

    public override Task<TRecord?> GetAsync(string tenantId, string sourceId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Records.LastOrDefault(r => r.SourceId == sourceId));
}

/// <summary>Generated hostile records, each with what it must become, mixed into valid ones.</summary>
internal static class HostileInput
{
    public const string FilterInjection = "r\" OR Reference!=null OR Reference==\"s";
    public const string SqlInjection = "'; DROP TABLE ledger; --";
    public static readonly string Long = new('x', 10_000);
    public const string Control = "a\u0000b\u0001c\u0007d\u001be\r\nf\t";
    public const string LoneSurrogate = "broken \ud800 text \udc00";
    public const string Emoji = "Café 🧾💸 👩🏽‍💼";
    public static readonly DateOnly Day = new(2026, 11, 20);

    public static ContactRecord ValidContact(int i) => new() { SourceId = $"cust-v-{i:D3}", Name = $"Valid Customer {i:D3}", Email = $"valid{i}@example.com" };

    public static InvoiceRecord ValidInvoice(int i, int customers) => new()
    {
        SourceId = $"inv-v-{i:D4}",
        Number = $"V-{i:D4}",
        ContactSourceId = $"cust-v-{(i % customers) + 1:D3}",
        Date = Day,
        DueDate = Day.AddDays(30),
        CurrencyCode = "AUD",
        Reference = "Valid " + i,
        Lines = [new DocumentLine { Description = "Services", Quantity = 1m, UnitPrice = 100m, AccountKey = "200", TaxKey = "OUTPUT" }],
    };

    /// <summary>Hostile contacts: every string field attacked once.</summary>
    public static IEnumerable<(ContactRecord Record, Expectation Must)> Contacts()
    {
        var i = 0;
        ContactRecord C(string name) => new() { SourceId = $"cust-h-{++i:D3}", Name = name };
        yield return (C(FilterInjection), Expectation.Synced);
        yield return (C(SqlInjection), Expectation.Synced);
        yield return (C(Emoji), Expectation.Synced);
        yield return (C(string.Empty), Expectation.Refused);
        yield return (C("   "), Expectation.Refused);
        yield return (C(null!), Expectation.Refused);
        yield return (C(Long), Expectation.SyncedOrRefused);
        yield return (C(Control), Expectation.SyncedOrRefused);
        yield return (C(LoneSurrogate), Expectation.SyncedOrRefused);
        yield return (C("Injected Email") with { Email = FilterInjection }, Expectation.SyncedOrRefused);
        yield return (C("Injected Account") with { AccountNumber = SqlInjection, Phone = Long, TaxNumber = Control }, Expectation.SyncedOrRefused);
        yield return (C("Hostile Address") with { Address = new PostalAddress { Line1 = Long, City = LoneSurrogate, Country = FilterInjection } }, Expectation.SyncedOrRefused);
        yield return (C("Hostile Person") with { BillingContact = new ContactPerson { FirstName = null, LastName = Emoji, Email = SqlInjection } }, Expectation.SyncedOrRefused);
        yield return (C("Unknown terms") with { PaymentTermsKey = FilterInjection }, Expectation.SyncedOrRefused);
        yield return (C("Currency?") with { DefaultCurrency = "XXX" }, Expectation.SyncedOrRefused);
    }

    /// <summary>The hostile invoice number <paramref name="i"/> (cycling through every attack), against valid contact cust-v-001.</summary>
    public static (InvoiceRecord Record, Expectation Must) Invoice(int i)
    {
        var valid = new InvoiceRecord
        {
            SourceId = $"inv-h-{i:D4}",
            Number = $"H-{i:D4}",
            ContactSourceId = "cust-v-001",
            Date = Day,
            DueDate = Day.AddDays(30),
            CurrencyCode = "AUD",
            Reference = "Hostile " + i,
            Lines = [new DocumentLine { Description = "Services", Quantity = 1m, UnitPrice = 100m, AccountKey = "200", TaxKey = "OUTPUT" }],
        };
        DocumentLine Line(DocumentLine? with = null) => with ?? valid.Lines[0];
        return (i % 30) switch
        {
            0 => (valid with { Reference = FilterInjection }, Expectation.Synced),
            1 => (valid with { Reference = SqlInjection, Lines = [Line() with { Description = SqlInjection }] }, Expectation.Synced),
            2 => (valid with { Reference = Emoji, Lines = [Line() with { Description = Emoji }] }, Expectation.Synced),
            3 => (valid with { Number = FilterInjection + i }, Expectation.SyncedOrRefused),
            4 => (valid with { Reference = Long }, Expectation.SyncedOrRefused),
            5 => (valid with { Number = string.Empty }, Expectation.SyncedOrRefused),
            6 => (valid with { Reference = Control, Lines = [Line() with { Description = Control }] }, Expectation.SyncedOrRefused),
            7 => (valid with { Lines = [Line() with { Description = LoneSurrogate }] }, Expectation.SyncedOrRefused),
            8 => (valid with { Lines = [Line() with { UnitPrice = decimal.MaxValue, Quantity = 2m }] }, Expectation.Refused),
            9 => (valid with { Lines = [Line() with { Quantity = -1m }] }, Expectation.SyncedOrRefused),
            10 => (valid with { Lines = [Line() with { Quantity = 1.123456m }] }, Expectation.SyncedOrRefused),
            11 => (valid with { Date = DateOnly.MinValue, DueDate = DateOnly.MinValue }, Expectation.SyncedOrRefused),
            12 => (valid with { Date = new DateOnly(9999, 12, 31), DueDate = DateOnly.MaxValue }, Expectation.SyncedOrRefused),
            13 => (valid with { Lines = [Line() with { AccountKey = null }] }, Expectation.Refused),
            14 => (valid with { Lines = [Line() with { AccountKey = "999" }] }, Expectation.Refused),
            15 => (valid with { ContactSourceId = "cust-nobody" }, Expectation.Refused),
            16 => (valid with { ContactSourceId = null! }, Expectation.Refused),
            17 => (valid with { Lines = null! }, Expectation.Refused),
            18 => (valid with { Lines = [] }, Expectation.Refused),
            19 => (valid with { CurrencyCode = null! }, Expectation.Refused),
            20 => (valid with { CurrencyCode = "XXX" }, Expectation.Refused),
            21 => (valid with { Lines = [Line() with { Description = null }] }, Expectation.SyncedOrRefused),
            22 => (valid with { Reference = string.Empty, Lines = [Line() with { Description = string.Empty }] }, Expectation.SyncedOrRefused),
            23 => (valid with { Number = Long }, Expectation.SyncedOrRefused),
            24 => (valid with { Lines = [Line() with { TaxKey = null }] }, Expectation.SyncedOrRefused),
            25 => (valid with { Lines = [null!] }, Expectation.Refused),
            26 => (valid with { Lines = [Line() with { TaxKey = FilterInjection, ItemKey = SqlInjection }] }, Expectation.Refused),
            27 => (valid with { Lines = [Line() with { DiscountRate = -50m }] }, Expectation.SyncedOrRefused),
            28 => (valid with { Total = decimal.MinValue }, Expectation.SyncedOrRefused),
            _ => (valid with { Lines = [Line() with { Tracking = [new TrackingAssignment { CategoryKey = FilterInjection, OptionKey = null! }] }] }, Expectation.SyncedOrRefused),
        };
    }

    /// <summary>Hostile payments against valid invoices (and one that does not exist).</summary>
    public static IEnumerable<(PaymentRecord Record, Expectation Must)> Payments()
    {
        var i = 0;
        PaymentRecord P(decimal amount, string invoice = "inv-v-0001") => new()
        {
            SourceId = $"pay-h-{++i:D3}",
            DocumentSourceId = invoice,
            Date = Day.AddDays(1),
            Amount = amount,
            CurrencyCode = "AUD",
            AccountKey = "090",
            Reference = "Hostile payment " + i,
        };
        yield return (P(0m, "inv-v-0002"), Expectation.Refused);
        yield return (P(-10m, "inv-v-0003"), Expectation.Refused);
        yield return (P(decimal.MaxValue, "inv-v-0004"), Expectation.Refused);
        yield return (P(10m, "inv-nobody"), Expectation.Refused);
        yield return (P(10m, null!), Expectation.Refused);
        yield return (P(10m, "inv-v-0005") with { AccountKey = null! }, Expectation.Refused);
        yield return (P(10m, "inv-v-0006") with { AccountKey = "999" }, Expectation.Refused);
        yield return (P(10m, "inv-v-0007") with { Reference = FilterInjection }, Expectation.Synced);
        yield return (P(10m, "inv-v-0008") with { Reference = SqlInjection }, Expectation.Synced);
        yield return (P(10m, "inv-v-0009") with { Reference = Long }, Expectation.SyncedOrRefused);
        yield return (P(10m, "inv-v-0010") with { Date = DateOnly.MinValue }, Expectation.SyncedOrRefused);
        yield return (P(10m, "inv-v-0011") with { CurrencyCode = null! }, Expectation.SyncedOrRefused);
        yield return (P(0.000001m, "inv-v-0012"), Expectation.SyncedOrRefused);
        yield return (P(10m, "inv-h-0008"), Expectation.Refused);
    }
}
