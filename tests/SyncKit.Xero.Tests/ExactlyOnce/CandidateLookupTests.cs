using SyncKit.Records;
using static SyncKit.Xero.Tests.ExactlyOnce.EmulatorConnector;

namespace SyncKit.Xero.Tests.ExactlyOnce;

/// <summary>Reconciliation lookups against the emulator: every candidate, only true candidates, whatever the host's text.</summary>
public sealed class CandidateLookupTests
{
    private static readonly DateOnly s_date = new(2026, 11, 2);

    private static InvoiceRecord Invoice(string sourceId, string contactSourceId, string accountCode, string? number = null, string? reference = null) => new()
    {
        SourceId = sourceId,
        ContactSourceId = contactSourceId,
        Number = number,
        Reference = reference,
        Date = s_date,
        DueDate = s_date.AddDays(30),
        CurrencyCode = "AUD",
        Lines = [new DocumentLine { Description = "Work", Quantity = 1, UnitPrice = 100m, AccountKey = accountCode, TaxKey = "OUTPUT" }],
    };

    private static async Task<string> SalesCodeAsync(EmulatorConnector x) =>
        (await x.Connector.LoadReferenceDataAsync(x.T)).Accounts.First(a => a.Type == "REVENUE" && a.Code is not null).Code!;

    [Fact]
    public async Task PaymentLookup_TwoPartPaymentsWithTheSameAmountDateAndReference_ReturnsBothWithDescriptions()
    {
        await using var x = await CreateAsync();
        var (bank, contactId) = await x.BankAndContactAsync();
        var invoiceId = await x.CreateAsync(Invoice("i-1", "c-1", await SalesCodeAsync(x), "INV-1"), (RecordKind.Contact, "c-1", contactId));
        var link = (RecordKind.Invoice, "i-1", invoiceId);
        PaymentRecord Payment(string id) => new() { SourceId = id, DocumentSourceId = "i-1", Date = s_date, Amount = 10m, CurrencyCode = "AUD", AccountKey = bank, Reference = "EFT" };
        await x.CreateAsync(Payment("p-1"), link);
        await x.CreateAsync(Payment("p-2"), link);

        var candidates = await x.Connector.FindCandidatesAsync(x.T, El(Payment("p-1"), null, link));

        Assert.Equal(2, candidates.Count);
        Assert.All(candidates, c => Assert.Contains("10.00", c.Description, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PaymentLookup_ManyPayments_AreOneRead()
    {
        await using var x = await CreateAsync();
        var (bank, contactId) = await x.BankAndContactAsync();
        var sales = await SalesCodeAsync(x);
        var first = await x.CreateAsync(Invoice("i-1", "c-1", sales, "INV-1"), (RecordKind.Contact, "c-1", contactId));
        var second = await x.CreateAsync(Invoice("i-2", "c-1", sales, "INV-2"), (RecordKind.Contact, "c-1", contactId));
        var elements = new[] { ("p-1", "i-1", first), ("p-2", "i-2", second) }
            .Select(p => El(new PaymentRecord { SourceId = p.Item1, DocumentSourceId = p.Item2, Date = s_date, Amount = 10m, CurrencyCode = "AUD", AccountKey = bank }, null, (RecordKind.Invoice, p.Item2, p.Item3)))
            .ToList();
        var before = x.Emulator.GetStats().TotalCalls;

        await x.Connector.FindCandidatesManyAsync(x.T, elements);

        Assert.Equal(1, x.Emulator.GetStats().TotalCalls - before);
    }

    [Fact]
    public async Task BillLookup_SameSupplierAndNumberOnAnotherDate_FindsNothing()
    {
        await using var x = await CreateAsync();
        var (_, contactId) = await x.BankAndContactAsync("Supplier Ltd");
        var expense = (await x.Connector.LoadReferenceDataAsync(x.T)).Accounts.First(a => a.Type is "EXPENSE" or "DIRECTCOSTS" && a.Code is not null).Code!;
        BillRecord Bill(DateOnly date) => new()
        {
            SourceId = "b-1", ContactSourceId = "s-1", Number = "SUP-1", Reference = "PO-1", Date = date, DueDate = date.AddDays(30), CurrencyCode = "AUD",
            Lines = [new DocumentLine { Description = "Parts", Quantity = 1, UnitPrice = 50m, AccountKey = expense, TaxKey = "INPUT" }],
        };
        var link = (RecordKind.Contact, "s-1", contactId);
        await x.CreateAsync(Bill(s_date), link);

        var candidates = await x.Connector.FindCandidatesAsync(x.T, El(Bill(s_date.AddDays(7)), null, link));

        Assert.Empty(candidates);
    }

    [Fact]
    public async Task InvoiceLookup_ByNumber_ReturnsEveryInvoiceWithThatNumber()
    {
        await using var x = await CreateAsync();
        var (_, contactId) = await x.BankAndContactAsync();
        var id = await x.CreateAsync(Invoice("i-1", "c-1", await SalesCodeAsync(x), "INV-7"), (RecordKind.Contact, "c-1", contactId));

        var candidates = await x.Connector.FindCandidatesManyAsync(x.T, [El(Invoice("i-1", "c-1", "200", "INV-7"), null, (RecordKind.Contact, "c-1", contactId)), El(Invoice("i-2", "c-1", "200", "INV-404"), null, (RecordKind.Contact, "c-1", contactId))]);

        var match = Assert.Single(Assert.Single(candidates).Value);
        Assert.Equal(id, match.RemoteId);
        Assert.Contains("Acme Pty Ltd", match.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvoiceLookupWithoutNumber_SameCustomerDateAndReferenceButOtherLines_FindsNothing()
    {
        await using var x = await CreateAsync();
        var (_, contactId) = await x.BankAndContactAsync();
        var sales = await SalesCodeAsync(x);
        var link = (RecordKind.Contact, "c-1", contactId);
        await x.CreateAsync(Invoice("i-1", "c-1", sales, reference: "Monthly") with { Lines = [new DocumentLine { Description = "Work", Quantity = 1, UnitPrice = 250m, AccountKey = sales, TaxKey = "OUTPUT" }] }, link);

        var candidates = await x.Connector.FindCandidatesAsync(x.T, El(Invoice("i-2", "c-1", sales, reference: "Monthly"), null, link));

        Assert.Empty(candidates);
    }

    [Fact]
    public async Task InvoiceLookupWithoutNumber_SameCustomerDateReferenceAndLines_FindsTheInvoiceXeroNumbered()
    {
        await using var x = await CreateAsync();
        var (_, contactId) = await x.BankAndContactAsync();
        var sales = await SalesCodeAsync(x);
        var link = (RecordKind.Contact, "c-1", contactId);
        var id = await x.CreateAsync(Invoice("i-1", "c-1", sales, reference: "Monthly"), link);

        var candidates = await x.Connector.FindCandidatesAsync(x.T, El(Invoice("i-1", "c-1", sales, reference: "Monthly"), null, link));

        Assert.Equal(id, Assert.Single(candidates).RemoteId);
    }

    [Theory]
    [InlineData("r\" OR Name!=null OR Name==\"s")]
    [InlineData("a\\\" OR 1==1 OR Name==\"\\")]
    [InlineData("x') OR (Name!=null")]
    public async Task ContactLookup_NameWithFilterInjection_ReturnsOnlyTrueMatches(string hostile)
    {
        await using var x = await CreateAsync();
        await x.BankAndContactAsync("Acme Pty Ltd");
        await x.CreateAsync(new ContactRecord { SourceId = "c-2", Name = "Bravo Ltd" });

        var candidates = await x.Connector.FindCandidatesAsync(x.T, El(new ContactRecord { SourceId = "c-9", Name = hostile }));

        Assert.Empty(candidates);
    }

    [Fact]
    public async Task BillLookup_ReferenceWithFilterInjection_ReturnsOnlyTheTrueMatch()
    {
        await using var x = await CreateAsync();
        var (_, contactId) = await x.BankAndContactAsync("Supplier Ltd");
        var expense = (await x.Connector.LoadReferenceDataAsync(x.T)).Accounts.First(a => a.Type is "EXPENSE" or "DIRECTCOSTS" && a.Code is not null).Code!;
        BillRecord Bill(string id, string reference) => new()
        {
            SourceId = id, ContactSourceId = "s-1", Reference = reference, Date = s_date, DueDate = s_date.AddDays(30), CurrencyCode = "AUD",
            Lines = [new DocumentLine { Description = "Parts", Quantity = 1, UnitPrice = 50m, AccountKey = expense, TaxKey = "INPUT" }],
        };
        var link = (RecordKind.Contact, "s-1", contactId);
        const string hostile = "r\" OR Reference!=null OR Reference==\"s";
        await x.CreateAsync(Bill("b-1", "GOOD-1"), link);
        var hostileId = await x.CreateAsync(Bill("b-2", hostile), link);

        var candidates = await x.Connector.FindCandidatesAsync(x.T, El(Bill("b-2", hostile), null, link));

        Assert.Equal(hostileId, Assert.Single(candidates).RemoteId);
    }

    [Fact]
    public async Task ItemLookup_CodeWithFilterInjection_ReturnsOnlyTrueMatches()
    {
        await using var x = await CreateAsync();
        await x.CreateAsync(new ItemRecord { SourceId = "it-1", Code = "CONSULT", Name = "Consulting" });

        var candidates = await x.Connector.FindCandidatesAsync(x.T, El(new ItemRecord { SourceId = "it-9", Code = "X\" OR Code!=null OR Code==\"Y", Name = "Hostile" }));

        Assert.Empty(candidates);
    }

    [Fact]
    public async Task ContactLookup_NameWithOtherCaseAndSpacing_FindsTheStoredContact()
    {
        await using var x = await CreateAsync();
        var (_, contactId) = await x.BankAndContactAsync("Acme Pty Ltd");

        var candidates = await x.Connector.FindCandidatesAsync(x.T, El(new ContactRecord { SourceId = "c-1", Name = "  ACME   pty ltd " }));

        Assert.Equal(contactId, Assert.Single(candidates).RemoteId);
    }
}
