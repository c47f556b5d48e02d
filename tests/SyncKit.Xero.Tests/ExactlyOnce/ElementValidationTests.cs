using SyncKit.Errors;
using SyncKit.Records;
using static SyncKit.Xero.Tests.ExactlyOnce.EmulatorConnector;

namespace SyncKit.Xero.Tests.ExactlyOnce;

/// <summary>What Xero cannot take fails per element, in plain words, before sending; never coerced; neighbours still go.</summary>
public sealed class ElementValidationTests
{
    private static readonly DateOnly s_date = new(2026, 11, 2);

    private static async Task<(EmulatorConnector X, string ContactId, string Sales)> SetUpAsync()
    {
        var x = await CreateAsync();
        var (_, contactId) = await x.BankAndContactAsync();
        var sales = (await x.Connector.LoadReferenceDataAsync(x.T)).Accounts.First(a => a.Type == "REVENUE" && a.Code is not null).Code!;
        return (x, contactId, sales);
    }

    private static InvoiceRecord Invoice(string sourceId, string sales, DocumentStatus status = DocumentStatus.Authorised, LineAmountType amounts = LineAmountType.Exclusive, string? reference = null) => new()
    {
        SourceId = sourceId,
        ContactSourceId = "c-1",
        Number = "INV-" + sourceId,
        Reference = reference,
        Date = s_date,
        DueDate = s_date.AddDays(30),
        CurrencyCode = "AUD",
        Status = status,
        LineAmountType = amounts,
        Lines = [new DocumentLine { Description = "Work", Quantity = 1, UnitPrice = 100m, AccountKey = sales, TaxKey = "OUTPUT" }],
    };

    [Fact]
    public async Task InvoiceWithAnUnknownStatus_FailsAsInvalidDataInsteadOfBeingSentAuthorised()
    {
        var (x, contactId, sales) = await SetUpAsync();
        await using var _ = x;

        var result = await x.PushAsync(RecordKind.Invoice, "k", El(Invoice("1", sales, status: (DocumentStatus)7), null, (RecordKind.Contact, "c-1", contactId)));

        var failure = Assert.Single(result.Outcomes).Failure!;
        Assert.Equal(FailureCodes.InvalidData, failure.Code);
        Assert.Contains("status", failure.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvoiceWithAnUnknownLineAmountType_FailsAsInvalidDataInsteadOfBeingSentExclusive()
    {
        var (x, contactId, sales) = await SetUpAsync();
        await using var _ = x;

        var result = await x.PushAsync(RecordKind.Invoice, "k", El(Invoice("1", sales, amounts: (LineAmountType)9), null, (RecordKind.Contact, "c-1", contactId)));

        Assert.Equal(FailureCodes.InvalidData, Assert.Single(result.Outcomes).Failure?.Code);
    }

    [Fact]
    public async Task InvoiceWithAReferenceOverXerosLimit_FailsAloneNamingTheFieldAndTheLimit()
    {
        var (x, contactId, sales) = await SetUpAsync();
        await using var _ = x;
        var link = (RecordKind.Contact, "c-1", contactId);

        var result = await x.PushAsync(RecordKind.Invoice, "k", El(Invoice("1", sales, reference: new string('r', 256)), null, link), El(Invoice("2", sales), null, link));

        var failure = Assert.Single(result.Outcomes, o => o.SourceId == "1").Failure!;
        Assert.Equal(FailureCodes.InvalidData, failure.Code);
        Assert.Contains("invoice reference", failure.MessageText, StringComparison.Ordinal);
        Assert.Contains("255", failure.MessageText, StringComparison.Ordinal);
        Assert.True(Assert.Single(result.Outcomes, o => o.SourceId == "2").Succeeded);
    }

    [Fact]
    public async Task ContactWithANameOverXerosLimit_FailsAloneNamingTheFieldAndTheLimit()
    {
        await using var x = await CreateAsync();

        var result = await x.PushAsync(RecordKind.Contact, "k", El(new ContactRecord { SourceId = "c-long", Name = new string('n', 256) }), El(new ContactRecord { SourceId = "c-ok", Name = "Fine Ltd" }));

        var failure = Assert.Single(result.Outcomes, o => o.SourceId == "c-long").Failure!;
        Assert.Contains("contact name", failure.MessageText, StringComparison.Ordinal);
        Assert.Contains("at most 255", failure.MessageText, StringComparison.Ordinal);
        Assert.True(Assert.Single(result.Outcomes, o => o.SourceId == "c-ok").Succeeded);
    }

    [Fact]
    public async Task ItemWithACodeOverXerosLimit_FailsNamingTheFieldAndTheLimit()
    {
        await using var x = await CreateAsync();

        var result = await x.PushAsync(RecordKind.Item, "k", El(new ItemRecord { SourceId = "it", Code = new string('C', 31), Name = "Item" }));

        var failure = Assert.Single(result.Outcomes).Failure!;
        Assert.Contains("item code", failure.MessageText, StringComparison.Ordinal);
        Assert.Contains("at most 30", failure.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvoiceDatedBeforeXerosRange_FailsNamingTheDate()
    {
        var (x, contactId, sales) = await SetUpAsync();
        await using var _ = x;

        var result = await x.PushAsync(RecordKind.Invoice, "k", El(Invoice("1", sales) with { Date = new DateOnly(1, 1, 1), DueDate = null }, null, (RecordKind.Contact, "c-1", contactId)));

        var failure = Assert.Single(result.Outcomes).Failure!;
        Assert.Contains("invoice date", failure.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContactNameWithALoneSurrogate_GetsTheAnswerAtItsPosition()
    {
        await using var x = await CreateAsync();

        var result = await x.PushAsync(RecordKind.Contact, "k", El(new ContactRecord { SourceId = "c-s", Name = "Caf\uD800 Ltd" }), El(new ContactRecord { SourceId = "c-ok", Name = "Fine Ltd" }));

        Assert.All(result.Outcomes, o => Assert.True(o.Succeeded, o.Failure?.MessageText));
        Assert.Equal(2, result.Outcomes.Count);
    }

    [Fact]
    public async Task ContactLookup_NameWithALoneSurrogate_FindsTheContactXeroStored()
    {
        await using var x = await CreateAsync();
        var result = await x.PushAsync(RecordKind.Contact, "k", El(new ContactRecord { SourceId = "c-s", Name = "Caf\uD800 Ltd" }));
        var outcome = Assert.Single(result.Outcomes);

        var candidates = await x.Connector.FindCandidatesAsync(x.T, El(new ContactRecord { SourceId = "c-s", Name = "Caf\uD800 Ltd" }));

        Assert.Equal(outcome.RemoteId, Assert.Single(candidates).RemoteId);
    }
}
