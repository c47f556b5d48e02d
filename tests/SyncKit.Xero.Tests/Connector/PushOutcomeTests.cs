using SyncKit.Errors;
using SyncKit.Records;
using SyncKit.Xero.Tests.Infrastructure;

namespace SyncKit.Xero.Tests.Connector;

public sealed class PushOutcomeTests
{
    [Fact]
    public async Task PushAsync_OneBadInvoiceInABatchOfFifty_FailsAloneAndTheOthersSucceed()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("invoices-put-50-one-failed.json"));
        var connector = TestConnector.Create(handler);
        var elements = Enumerable.Range(1, 50).Select(i => TestRecords.InvoiceElement(i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();

        var result = await connector.PushAsync(TestRecords.Batch(RecordKind.Invoice, elements));

        Assert.Single(handler.Requests);
        Assert.Null(result.BatchFailure);
        Assert.Equal(50, result.Outcomes.Count);
        var failed = Assert.Single(result.Outcomes, o => !o.Succeeded);
        Assert.Equal("17", failed.SourceId);
        Assert.Equal(49, result.Outcomes.Count(o => o.Succeeded));
        Assert.Equal("aaaaaaaa-0000-0000-0000-000000000001", result.Outcomes.Single(o => o.SourceId == "1").RemoteId);
        Assert.Equal("INV-50", result.Outcomes.Single(o => o.SourceId == "50").RemoteReference);
    }

    [Fact]
    public async Task PushAsync_RefusedElement_BecomesAValidationFailureWithXerosMessages()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("invoices-put-3-mixed.json"));
        var connector = TestConnector.Create(handler);

        var result = await connector.PushAsync(TestRecords.Batch(RecordKind.Invoice, TestRecords.InvoiceElement("1"), TestRecords.InvoiceElement("2"), TestRecords.InvoiceElement("3")));

        var failure = result.Outcomes.Single(o => o.SourceId == "2").Failure!;
        Assert.Equal(FailureSource.Remote, failure.Source);
        Assert.Equal(400, failure.StatusCode);
        Assert.Equal("ValidationException", failure.ErrorType);
        Assert.Equal(RecordKind.Invoice, failure.Kind);
        Assert.Equal(
            // Xero does not say which line carries the code; the lines as sent do.
            ["Account code '200' is not a valid code for this document (line 1 'Consulting').", "The TaxType code 'OUTPUT' cannot be used with account code '200' (line 1 'Consulting')."],
            failure.Messages);
        Assert.Equal("200", failure.Details["AccountCode"]);
    }

    [Fact]
    public async Task PushAsync_SuccessWithWarnings_CarriesXerosWarnings()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("invoices-put-3-mixed.json"));
        var connector = TestConnector.Create(handler);

        var result = await connector.PushAsync(TestRecords.Batch(RecordKind.Invoice, TestRecords.InvoiceElement("1"), TestRecords.InvoiceElement("2"), TestRecords.InvoiceElement("3")));

        var warned = result.Outcomes.Single(o => o.SourceId == "3");
        Assert.True(warned.Succeeded);
        var warning = Assert.Single(warned.Warnings);
        Assert.Contains("476", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PushAsync_AnswerInAnotherOrder_IsMatchedByInvoiceNumber()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("invoices-put-2-reordered.json"));
        var connector = TestConnector.Create(handler);

        var result = await connector.PushAsync(TestRecords.Batch(RecordKind.Invoice, TestRecords.InvoiceElement("1"), TestRecords.InvoiceElement("2")));

        Assert.Equal("aaaaaaaa-0000-0000-0000-000000000001", result.Outcomes.Single(o => o.SourceId == "1").RemoteId);
        Assert.Equal("aaaaaaaa-0000-0000-0000-000000000002", result.Outcomes.Single(o => o.SourceId == "2").RemoteId);
    }

    [Fact]
    public async Task PushAsync_ElementMissingFromTheAnswer_IsReportedAsPossiblyWritten()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("invoices-put-1.json"));
        var connector = TestConnector.Create(handler);

        var result = await connector.PushAsync(TestRecords.Batch(RecordKind.Invoice, TestRecords.InvoiceElement("1"), TestRecords.InvoiceElement("2")));

        Assert.True(result.Outcomes.Single(o => o.SourceId == "1").Succeeded);
        var missing = result.Outcomes.Single(o => o.SourceId == "2").Failure!;
        Assert.True(missing.WriteMayHaveLanded);
        Assert.Equal("xero.write-may-have-landed", XeroErrorRules.All.First(r => r.Matches(missing)).Id);
    }

    [Fact]
    public async Task PushAsync_FailedElement_IsClassifiedByTheXeroRules()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("invoices-put-50-one-failed.json"));
        var connector = TestConnector.Create(handler);
        var elements = Enumerable.Range(1, 50).Select(i => TestRecords.InvoiceElement(i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();

        var result = await connector.PushAsync(TestRecords.Batch(RecordKind.Invoice, elements));

        var failure = result.Outcomes.Single(o => !o.Succeeded).Failure!;
        var rule = XeroErrorRules.All.First(r => r.Matches(failure));
        Assert.Equal("xero.lock-date", rule.Id);
        Assert.Equal("2018-11-30", failure.Details["LockDate"]);
    }
}
