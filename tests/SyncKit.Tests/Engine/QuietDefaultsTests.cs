using SyncKit.Records;

namespace SyncKit.Tests.Engine;

/// <summary>Defaults that do not cry wolf, and names a user can tell apart.</summary>
public sealed class QuietDefaultsTests
{
    [Fact]
    public async Task ContactsWithoutABillingPerson_SyncWithoutWarnings_UnlessTheHostAsks()
    {
        await using var harness = new EngineHarness();
        await harness.LoadDemoAsync(customers: 50, invoices: 20);

        await harness.SyncAllAsync();

        var contacts = await harness.AllEntriesAsync();
        Assert.DoesNotContain(contacts.SelectMany(c => c.Warnings), w => w.Code == "MissingBillingContact");
    }

    [Fact]
    public async Task BillingContactWarning_WhenTheHostAsks_NamesTheContact()
    {
        await using var harness = new EngineHarness(o => o.WarnOnMissingBillingContact = true);
        await harness.LoadDemoAsync(customers: 5, invoices: 20);

        await harness.SyncAllAsync();

        var warned = (await harness.AllEntriesAsync()).Where(e => e.Warnings.Any(w => w.Code == "MissingBillingContact")).ToArray();
        Assert.NotEmpty(warned);
        Assert.All(warned, e => Assert.Equal(
            $"No Primary or Billing Contact for {e.DisplayName}; invoices will be sent without a billing contact person.",
            e.Warnings.Single(w => w.Code == "MissingBillingContact").Message));
    }

    [Fact]
    public void TwoPaymentsWithOneReference_AreNamedApart_ByAmountAndDate()
    {
        PaymentRecord Payment(string id, decimal amount, int day) => new()
        {
            SourceId = id,
            DocumentSourceId = "inv-17",
            Reference = "EFT I0017",
            Amount = amount,
            CurrencyCode = "AUD",
            Date = new DateOnly(2026, 11, day),
            AccountKey = "GL-BANK",
        };

        Assert.Equal("EFT I0017: 120.00 AUD on 2026-11-02", Payment("pay-1", 120m, 2).DisplayName);
        Assert.Equal("EFT I0017: 80.50 AUD on 2026-11-09", Payment("pay-2", 80.5m, 9).DisplayName);
    }
}

public sealed class LineErrorTests
{
    [Fact]
    public void AFailureAboutALine_NamesTheLineFirst()
    {
        var failure = new SyncKit.Errors.SyncFailure
        {
            Source = SyncKit.Errors.FailureSource.Validation,
            Messages = ["Account code '400' has been archived, or has been deleted. Each line item must reference a valid account."],
        };

        var named = SyncKit.Validation.ReferenceChecks.OnLine(failure, 1, new DocumentLine { Description = "Advertising", AccountKey = "400" })!;

        Assert.Equal(["Line 2 ('Advertising'): Account code '400' has been archived, or has been deleted. Each line item must reference a valid account."], named.Messages);
        Assert.Equal("2", named.Details["Line"]);
    }

    [Fact]
    public void ALineWithoutADescription_IsNamedByNumber()
    {
        var failure = new SyncKit.Errors.SyncFailure { Source = SyncKit.Errors.FailureSource.Validation, Messages = ["The TaxType code 'OUTPUT9' does not exist or is archived."] };

        var named = SyncKit.Validation.ReferenceChecks.OnLine(failure, 0, new DocumentLine { AccountKey = "200" })!;

        Assert.Equal(["Line 1: The TaxType code 'OUTPUT9' does not exist or is archived."], named.Messages);
    }
}
