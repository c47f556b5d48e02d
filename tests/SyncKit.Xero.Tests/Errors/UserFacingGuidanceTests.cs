using SyncKit.Errors;
using SyncKit.Records;
using SyncKit.Xero.Api;
using SyncKit.Xero.DependencyInjection;
using SyncKit.Xero.Errors;

namespace SyncKit.Xero.Tests.Errors;

/// <summary>The exact words a user reads on the error tab for causes whose guidance used to mislead.</summary>
public sealed class UserFacingGuidanceTests
{
    private static ErrorRule RuleFor(SyncFailure failure) => XeroErrorRules.All.First(r => r.Matches(failure));

    private static SyncFailure Validation(string message, RecordKind kind) => new()
    {
        Source = FailureSource.Remote,
        StatusCode = 400,
        ErrorType = "ValidationException",
        Messages = [message],
        Kind = kind,
    };

    [Fact]
    public void PaymentOnAnAlreadyPaidInvoice_IsExplainedAsPossiblyPaid_NotOnlyAsADraft()
    {
        // Xero (and the emulator) give this one message for a paid invoice as for a draft one.
        var rule = RuleFor(Validation("Payments can only be made against Authorised documents", RecordKind.Payment));

        Assert.Equal("Document is already paid, or not approved, in Xero", rule.Reason);
        Assert.Equal(
            [
                "Xero takes a payment only on an approved (Authorised) document that still has an amount due. Xero gives the same message when the document is already fully paid (or voided) as when it is a draft.",
                "Open the document in Xero. If it is already paid, the payment was most likely recorded there by hand: if this payment is among its payments, skip this record so it is not sent again.",
                "If it is a draft or awaiting approval, approve it in Xero (or send it from your system as approved), then retry the payment.",
            ],
            rule.Resolution);
    }

    [Fact]
    public void NotFound_NamesAWrongApiAddressFirst_NotOnlyADeletedRecord()
    {
        var rule = RuleFor(new SyncFailure { Source = FailureSource.Remote, StatusCode = 404, ErrorType = "NotFound", Messages = ["The resource you're looking for cannot be found"], Kind = RecordKind.Invoice });

        Assert.Equal("Not found in Xero: a wrong API address, or a record deleted there", rule.Reason);
        Assert.StartsWith(
            "Xero answered \"not found\". When every record fails this way, the API address is wrong: XeroOptions.ApiBaseUrl must be the host only (https://api.xero.com/)",
            rule.Resolution[0],
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://api.xero.com/api.xro/2.0/", "api.xro/2.0/", "https://api.xero.com/")]
    [InlineData("https://api.xero.com/practicemanager/3.1/", "practicemanager/3.1/", "https://api.xero.com/")]
    [InlineData("http://127.0.0.1:5080/api.xro/2.0/Invoices", "api.xro/2.0/Invoices", "http://127.0.0.1:5080/")]
    public void ApiBaseUrl_CopiedWithXerosPath_FailsAtStart_SayingWhatToSet(string configured, string path, string fix)
    {
        var options = new XeroOptions
        {
            ClientId = "client",
            TokenEncryptionKey = Convert.ToBase64String(new byte[32]),
            ApiBaseUrl = new Uri(configured),
        };

        var result = new XeroOptionsValidator([]).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(
            [$"XeroOptions.ApiBaseUrl must be the API's host only, without '{path}': SyncKit adds the API's path itself. Set it to {fix} (it is {configured})."],
            result.Failures);
    }

    [Fact]
    public void ApiBaseUrl_WithAProxyPath_IsAccepted()
    {
        var options = new XeroOptions { ClientId = "client", TokenEncryptionKey = Convert.ToBase64String(new byte[32]), ApiBaseUrl = new Uri("https://proxy.example/xero/") };

        Assert.True(new XeroOptionsValidator([]).Validate(null, options).Succeeded);
    }

    [Fact]
    public void NoResolution_AsksForAnActionSyncKitDoesNotHave()
    {
        // There is no API that clears a record's link to Xero, so no rule may tell a user to do it.
        var steps = XeroErrorRules.All.Concat(EngineErrorRules.All).SelectMany(r => r.Resolution.Select(step => (r.Id, Step: step)));

        Assert.DoesNotContain(steps, s => s.Step.Contains("clear its link", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void AccountCodeMustBeSpecified_NamesTheLinesWithoutAnAccount()
    {
        XeroLineItem[] lines =
        [
            new() { Description = "Consulting", AccountCode = "200" },
            new() { Description = "Travel" },
            new() { Description = "Photocopying, colour, A3, double-sided, stapled and bound" },
        ];

        var failure = XeroErrorParser.FromElement(new XeroInvoice { ValidationErrors = [new() { Message = "Account code must be specified" }] }, RecordKind.Invoice, lines);

        Assert.Equal(["Account code must be specified (line 2 'Travel'; line 3 'Photocopying, colour, A3, double-sided,…')."], failure.Messages);
        Assert.Equal("xero.account-code-missing", RuleFor(failure).Id);
    }

    [Fact]
    public void AccountCodeNamedByXero_NamesTheLineThatCarriesIt()
    {
        XeroLineItem[] lines = [new() { Description = "Consulting", AccountCode = "200" }, new() { Description = "Advertising", AccountCode = "400" }];

        var failure = XeroErrorParser.FromElement(
            new XeroInvoice { ValidationErrors = [new() { Message = "Account code '400' has been archived, or has been deleted. Each line item must reference a valid account." }] },
            RecordKind.Invoice,
            lines);

        Assert.Equal(["Account code '400' has been archived, or has been deleted. Each line item must reference a valid account (line 2 'Advertising')."], failure.Messages);
        Assert.Equal("xero.account-archived", RuleFor(failure).Id);
    }

    [Fact]
    public void PracticeManagerDates_AreShownInTheOneDateFormat()
    {
        var failure = XeroErrorParser.FromPracticeManager(200, "Cost date 20261102 is on or before the WIP lock date 20261103.", RecordKind.Cost);

        Assert.Equal(["Cost date 2026-11-02 is on or before the WIP lock date 2026-11-03."], failure.Messages);
        Assert.Equal("xpm.wip-lock-date", RuleFor(failure).Id);
    }

    [Fact]
    public void PracticeManagerNumbersThatAreNotDates_AreLeftAlone()
    {
        var failure = XeroErrorParser.FromPracticeManager(200, "Job J20261102 has been deleted (client 20261399).", RecordKind.Cost);

        Assert.Equal(["Job J20261102 has been deleted (client 20261399)."], failure.Messages);
    }

    [Fact]
    public void AccountingLockDates_AreShownInTheOneDateFormat_AndKeptAsTheLockDateDetail()
    {
        var failure = XeroErrorParser.FromElement(
            new XeroInvoice { ValidationErrors = [new() { Message = "The document date cannot be before the period lock date, currently set at 31-Oct-2026" }] },
            RecordKind.Invoice);

        Assert.Equal(["The document date cannot be before the period lock date, currently set at 2026-10-31"], failure.Messages);
        Assert.Equal("2026-10-31", failure.Details["LockDate"]);
        Assert.Equal("xero.lock-date", RuleFor(failure).Id);
    }

    [Fact]
    public void PracticeManagerWordedDates_AreShownInTheOneDateFormat()
    {
        var failure = XeroErrorParser.FromPracticeManager(200, "Cost date 15 Oct 2024 falls within a locked WIP period", RecordKind.Cost);

        Assert.Equal(["Cost date 2024-10-15 falls within a locked WIP period"], failure.Messages);
    }

    [Fact]
    public void TextThatOnlyLooksLikeADate_IsLeftAlone()
    {
        var failure = XeroErrorParser.FromElement(
            new XeroInvoice { ValidationErrors = [new() { Message = "Reference 31-Foo-2026 and 45-Oct-2026 are not dates" }] },
            RecordKind.Invoice);

        Assert.Equal(["Reference 31-Foo-2026 and 45-Oct-2026 are not dates"], failure.Messages);
    }
}
