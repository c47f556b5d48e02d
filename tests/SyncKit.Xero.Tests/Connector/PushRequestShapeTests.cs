using System.Net;
using System.Text.Json;
using SyncKit.Records;
using SyncKit.Xero.Tests.Infrastructure;

namespace SyncKit.Xero.Tests.Connector;

public sealed class PushRequestShapeTests
{
    [Fact]
    public async Task PushAsync_NewInvoices_PutsToInvoicesWithSummarizeErrorsFalseAndUnitdp4()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("invoices-put-1.json"));
        var connector = TestConnector.Create(handler);

        await connector.PushAsync(TestRecords.Batch(RecordKind.Invoice, TestRecords.InvoiceElement("1")));

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Put, request.Method);
        Assert.Equal("/api.xro/2.0/Invoices", request.Path);
        Assert.Equal("false", request.Query("summarizeErrors"));
        Assert.Equal("4", request.Query("unitdp"));
    }

    [Fact]
    public async Task PushAsync_ForeignCurrencyInvoice_SendsNoCurrencyRate_SoXeroAppliesItsOwn()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("invoices-put-1.json"));
        var connector = TestConnector.Create(handler);
        var element = TestRecords.InvoiceElement("1");
        element = element with { Record = ((InvoiceRecord)element.Record) with { CurrencyCode = "USD" } };

        await connector.PushAsync(TestRecords.Batch(RecordKind.Invoice, element));

        using var body = JsonDocument.Parse(handler.Requests[0].Body!);
        var invoice = body.RootElement.GetProperty("Invoices")[0];
        Assert.Equal("USD", invoice.GetProperty("CurrencyCode").GetString());
        Assert.False(invoice.TryGetProperty("CurrencyRate", out _));
    }

    [Fact]
    public async Task PushAsync_SendsBearerTokenTenantIdAcceptJsonAndTheBatchIdempotencyKey()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("invoices-put-1.json"));
        var connector = TestConnector.Create(handler, tokens: new StaticTokenSource("token-abc"));

        await connector.PushAsync(TestRecords.Batch(RecordKind.Invoice, TestRecords.InvoiceElement("1")));

        var request = Assert.Single(handler.Requests);
        Assert.Equal("Bearer token-abc", request.Header("Authorization"));
        Assert.Equal(TestConnector.Tenant, request.Header("xero-tenant-id"));
        Assert.Equal("application/json", request.Header("Accept"));
        Assert.Equal("key-Invoice", request.Header("Idempotency-Key"));
        Assert.Equal("application/json", request.ContentType);
    }

    [Fact]
    public async Task PushAsync_InvoiceBody_IsPascalCaseWithPlainDatesAndFourDecimalUnitAmountsAndNoNulls()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("invoices-put-1.json"));
        var connector = TestConnector.Create(handler);

        await connector.PushAsync(TestRecords.Batch(RecordKind.Invoice, TestRecords.InvoiceElement("1")));

        using var body = JsonDocument.Parse(handler.Requests[0].Body!);
        var invoice = body.RootElement.GetProperty("Invoices")[0];
        Assert.Equal("ACCREC", invoice.GetProperty("Type").GetString());
        Assert.Equal("INV-1", invoice.GetProperty("InvoiceNumber").GetString());
        Assert.Equal(TestRecords.ContactId, invoice.GetProperty("Contact").GetProperty("ContactID").GetString());
        Assert.Equal("2025-03-14", invoice.GetProperty("Date").GetString());
        Assert.Equal("2025-04-13", invoice.GetProperty("DueDate").GetString());
        Assert.Equal("Exclusive", invoice.GetProperty("LineAmountTypes").GetString());
        Assert.Equal("AUTHORISED", invoice.GetProperty("Status").GetString());
        Assert.Equal("AUD", invoice.GetProperty("CurrencyCode").GetString());
        Assert.False(invoice.TryGetProperty("InvoiceID", out _));
        Assert.False(invoice.TryGetProperty("HasErrors", out _));
        var line = invoice.GetProperty("LineItems")[0];
        Assert.Equal(150.1234m, line.GetProperty("UnitAmount").GetDecimal());
        Assert.Equal(2m, line.GetProperty("Quantity").GetDecimal());
        Assert.Equal("200", line.GetProperty("AccountCode").GetString());
        Assert.Equal("OUTPUT", line.GetProperty("TaxType").GetString());
        Assert.Equal("CONSULT", line.GetProperty("ItemCode").GetString());
        Assert.Equal("Region", line.GetProperty("Tracking")[0].GetProperty("Name").GetString());
        Assert.Equal("North", line.GetProperty("Tracking")[0].GetProperty("Option").GetString());
    }

    [Fact]
    public async Task PushAsync_ElementWithRemoteId_PostsAnUpdateCarryingTheInvoiceId()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("invoices-put-1.json"));
        var connector = TestConnector.Create(handler);

        await connector.PushAsync(TestRecords.Batch(RecordKind.Invoice, TestRecords.InvoiceElement("1", remoteId: "aaaaaaaa-0000-0000-0000-000000000001")));

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        using var body = JsonDocument.Parse(request.Body!);
        Assert.Equal("aaaaaaaa-0000-0000-0000-000000000001", body.RootElement.GetProperty("Invoices")[0].GetProperty("InvoiceID").GetString());
    }

    [Fact]
    public async Task PushAsync_CreatesAndUpdatesInOneBatch_SendsTwoCallsWithDistinctIdempotencyKeys()
    {
        var handler = new StubHttpHandler(r => Responses.Fixture(r.Method == HttpMethod.Put ? "invoices-put-1.json" : "invoices-put-2-reordered.json"));
        var connector = TestConnector.Create(handler);

        await connector.PushAsync(TestRecords.Batch(RecordKind.Invoice, TestRecords.InvoiceElement("1"), TestRecords.InvoiceElement("2", remoteId: "aaaaaaaa-0000-0000-0000-000000000002")));

        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal("key-Invoice:create", handler.Requests.Single(r => r.Method == HttpMethod.Put).Header("Idempotency-Key"));
        Assert.Equal("key-Invoice:update", handler.Requests.Single(r => r.Method == HttpMethod.Post).Header("Idempotency-Key"));
    }

    [Fact]
    public async Task PushAsync_Bills_AreInvoicesOfTypeAccpay()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("invoices-put-1.json"));
        var connector = TestConnector.Create(handler);
        var bill = new BillRecord
        {
            SourceId = "b-1",
            ContactSourceId = "c-1",
            Number = "SUP-77",
            Reference = "PO-1",
            Date = new DateOnly(2025, 3, 14),
            CurrencyCode = "AUD",
            Lines = [new DocumentLine { Description = "Parts", UnitPrice = 10m, AccountKey = "310", TaxKey = "INPUT" }],
        };

        await connector.PushAsync(TestRecords.Batch(RecordKind.Bill, TestRecords.Element(bill, null, (RecordKind.Contact, "c-1", TestRecords.ContactId))));

        using var body = JsonDocument.Parse(handler.Requests[0].Body!);
        Assert.Equal("ACCPAY", body.RootElement.GetProperty("Invoices")[0].GetProperty("Type").GetString());
        Assert.Equal("/api.xro/2.0/Invoices", handler.Requests[0].Path);
    }

    [Fact]
    public async Task PushAsync_IdempotencyKeyLongerThan128Characters_IsSentAsItsStableHash()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("invoices-put-1.json"));
        var connector = TestConnector.Create(handler);
        var batch = TestRecords.Batch(RecordKind.Invoice, TestRecords.InvoiceElement("1")) with { IdempotencyKey = new string('k', 200) };

        await connector.PushAsync(batch);
        await connector.PushAsync(batch);

        var keys = handler.Requests.Select(r => r.Header("Idempotency-Key")!).ToArray();
        Assert.True(keys[0].Length <= 128);
        Assert.Equal(keys[0], keys[1]);
    }

    [Fact]
    public async Task PushAsync_CreditNotes_PutToCreditNotesAsAccrecCredit()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("creditnotes-write.json"));
        var connector = TestConnector.Create(handler);
        var note = new CreditNoteRecord
        {
            SourceId = "cn-1",
            ContactSourceId = "c-1",
            Number = "CN-1",
            Date = new DateOnly(2025, 3, 14),
            CurrencyCode = "AUD",
            Lines = [new DocumentLine { Description = "Refund", UnitPrice = 50m, AccountKey = "200", TaxKey = "OUTPUT" }],
        };

        var result = await connector.PushAsync(TestRecords.Batch(RecordKind.CreditNote, TestRecords.Element(note, null, (RecordKind.Contact, "c-1", TestRecords.ContactId))));

        Assert.Equal("/api.xro/2.0/CreditNotes", handler.Requests[0].Path);
        using var body = JsonDocument.Parse(handler.Requests[0].Body!);
        Assert.Equal("ACCRECCREDIT", body.RootElement.GetProperty("CreditNotes")[0].GetProperty("Type").GetString());
        Assert.Equal("7c6b5a49-3827-4165-9f8e-7d6c5b4a3928", Assert.Single(result.Outcomes).RemoteId);
        Assert.Equal("CN-1", result.Outcomes[0].RemoteReference);
    }

    [Fact]
    public async Task PushAsync_PurchaseOrders_PutToPurchaseOrdersWithDeliveryDate()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("purchaseorders-write.json"));
        var connector = TestConnector.Create(handler);
        var order = new PurchaseOrderRecord
        {
            SourceId = "po-1",
            ContactSourceId = "c-1",
            Number = "PO-1",
            Date = new DateOnly(2025, 3, 14),
            DeliveryDate = new DateOnly(2025, 3, 21),
            CurrencyCode = "AUD",
            Lines = [new DocumentLine { Description = "Parts", Quantity = 3m, UnitPrice = 10m, AccountKey = "310" }],
        };

        var result = await connector.PushAsync(TestRecords.Batch(RecordKind.PurchaseOrder, TestRecords.Element(order, null, (RecordKind.Contact, "c-1", TestRecords.ContactId))));

        Assert.Equal("/api.xro/2.0/PurchaseOrders", handler.Requests[0].Path);
        using var body = JsonDocument.Parse(handler.Requests[0].Body!);
        var po = body.RootElement.GetProperty("PurchaseOrders")[0];
        Assert.Equal("PO-1", po.GetProperty("PurchaseOrderNumber").GetString());
        Assert.Equal("2025-03-21", po.GetProperty("DeliveryDate").GetString());
        Assert.Equal("1a2b3c4d-5e6f-4789-9abc-def012345678", Assert.Single(result.Outcomes).RemoteId);
    }

    [Fact]
    public async Task PushAsync_Items_PutToItemsWithSalesAndPurchaseDetails()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("items-write.json"));
        var connector = TestConnector.Create(handler);
        var item = new ItemRecord { SourceId = "i-1", Code = "CONSULT", Name = "Consulting", SalePrice = 150.1234m, SalesAccountKey = "200", SalesTaxKey = "OUTPUT" };

        var result = await connector.PushAsync(TestRecords.Batch(RecordKind.Item, TestRecords.Element(item)));

        Assert.Equal("/api.xro/2.0/Items", handler.Requests[0].Path);
        using var body = JsonDocument.Parse(handler.Requests[0].Body!);
        var sent = body.RootElement.GetProperty("Items")[0];
        Assert.Equal("CONSULT", sent.GetProperty("Code").GetString());
        Assert.Equal(150.1234m, sent.GetProperty("SalesDetails").GetProperty("UnitPrice").GetDecimal());
        Assert.Equal("5f1d2e3c-4b5a-4968-8776-655443322110", Assert.Single(result.Outcomes).RemoteId);
    }

    [Fact]
    public async Task PushAsync_Payments_PutToPaymentsLinkingTheInvoiceAndTheAccountCode()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("payments-write.json"));
        var connector = TestConnector.Create(handler);
        var paid = new PaymentRecord { SourceId = "p-1", DocumentSourceId = "i-1", Date = new DateOnly(2025, 3, 14), Amount = 330.28m, CurrencyCode = "AUD", AccountKey = "090", Reference = "EFT 1" };
        var over = new PaymentRecord { SourceId = "p-2", DocumentSourceId = "i-2", Date = new DateOnly(2025, 3, 14), Amount = 999m, CurrencyCode = "AUD", AccountKey = "090", Reference = "EFT 2" };

        var result = await connector.PushAsync(TestRecords.Batch(
            RecordKind.Payment,
            TestRecords.Element(paid, null, (RecordKind.Invoice, "i-1", "aaaaaaaa-0000-0000-0000-000000000001")),
            TestRecords.Element(over, null, (RecordKind.Invoice, "i-2", "aaaaaaaa-0000-0000-0000-000000000002"))));

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Put, request.Method);
        Assert.Equal("/api.xro/2.0/Payments", request.Path);
        using var body = JsonDocument.Parse(request.Body!);
        var first = body.RootElement.GetProperty("Payments")[0];
        Assert.Equal("aaaaaaaa-0000-0000-0000-000000000001", first.GetProperty("Invoice").GetProperty("InvoiceID").GetString());
        Assert.Equal("090", first.GetProperty("Account").GetProperty("Code").GetString());
        Assert.Equal(330.28m, first.GetProperty("Amount").GetDecimal());
        Assert.Equal("b26fd49a-cbae-470a-a8f8-bcbc119e0379", result.Outcomes[0].RemoteId);
        Assert.Contains("exceeds the amount outstanding", result.Outcomes[1].Failure!.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PushAsync_PaymentToCreditNote_LinksTheCreditNote()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("payments-write.json"));
        var connector = TestConnector.Create(handler);
        var refund = new PaymentRecord { SourceId = "p-1", DocumentKind = RecordKind.CreditNote, DocumentSourceId = "cn-1", Date = new DateOnly(2025, 3, 14), Amount = 5m, CurrencyCode = "AUD", AccountKey = "090" };

        await connector.PushAsync(TestRecords.Batch(RecordKind.Payment, TestRecords.Element(refund, null, (RecordKind.CreditNote, "cn-1", "7c6b5a49-3827-4165-9f8e-7d6c5b4a3928"))));

        using var body = JsonDocument.Parse(handler.Requests[0].Body!);
        var payment = body.RootElement.GetProperty("Payments")[0];
        Assert.Equal("7c6b5a49-3827-4165-9f8e-7d6c5b4a3928", payment.GetProperty("CreditNote").GetProperty("CreditNoteID").GetString());
        Assert.False(payment.TryGetProperty("Invoice", out _));
    }

    [Fact]
    public async Task PushAsync_ChangedPaymentThatStillExists_IsNotSentBecauseXeroPaymentsCannotBeEdited()
    {
        var handler = new StubHttpHandler(r => r.Method == HttpMethod.Get
            ? Responses.Json("""{"Payments":[{"PaymentID":"b26fd49a-cbae-470a-a8f8-bcbc119e0379","Status":"AUTHORISED"}]}""")
            : Responses.Fixture("payments-write.json"));
        var connector = TestConnector.Create(handler);
        var payment = new PaymentRecord { SourceId = "p-1", DocumentSourceId = "i-1", Date = new DateOnly(2025, 3, 14), Amount = 1m, CurrencyCode = "AUD", AccountKey = "090" };

        var result = await connector.PushAsync(TestRecords.Batch(RecordKind.Payment, TestRecords.Element(payment, "b26fd49a-cbae-470a-a8f8-bcbc119e0379", (RecordKind.Invoice, "i-1", "aaaaaaaa-0000-0000-0000-000000000001"))));

        Assert.DoesNotContain(handler.Requests, r => r.Method != HttpMethod.Get);
        var failure = Assert.Single(result.Outcomes).Failure!;
        Assert.Equal("PaymentChanged", failure.Code);
        Assert.Equal(SyncKit.Errors.FailureSource.Validation, failure.Source);
    }

    [Fact]
    public async Task PushAsync_DocumentWhoseContactHasNoXeroId_FailsAloneWithoutACall()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("invoices-put-1.json"));
        var connector = TestConnector.Create(handler);
        var unlinked = TestRecords.Element(TestRecords.Invoice("9", contact: "c-unknown"));

        var result = await connector.PushAsync(TestRecords.Batch(RecordKind.Invoice, unlinked));

        Assert.Empty(handler.Requests);
        var failure = Assert.Single(result.Outcomes).Failure!;
        Assert.Equal("DependencyNotSynced", failure.Code);
        Assert.Equal(SyncKit.Errors.FailureSource.Mapping, failure.Source);
        Assert.Contains("c-unknown", failure.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PushAsync_ContactWithRemoteId_PostsTheContactWithItsPaymentTermsAndPerson()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("contacts-write.json"));
        var connector = TestConnector.Create(handler);
        var contact = new ContactRecord
        {
            SourceId = "c-1",
            Name = "Acme Pty Ltd",
            Email = "accounts@acme.test",
            PaymentTermsKey = "DAYSAFTERBILLDATE:30",
            BillingContact = new ContactPerson { FirstName = "Ada", LastName = "Lovelace" },
            Address = new PostalAddress { Line1 = "1 Main St", City = "Sydney", Country = "Australia" },
        };

        await connector.PushAsync(TestRecords.Batch(RecordKind.Contact, TestRecords.Element(contact, TestRecords.ContactId)));

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        using var body = JsonDocument.Parse(request.Body!);
        var sent = body.RootElement.GetProperty("Contacts")[0];
        Assert.Equal(TestRecords.ContactId, sent.GetProperty("ContactID").GetString());
        Assert.Equal("DAYSAFTERBILLDATE", sent.GetProperty("PaymentTerms").GetProperty("Sales").GetProperty("Type").GetString());
        Assert.Equal(30, sent.GetProperty("PaymentTerms").GetProperty("Sales").GetProperty("Day").GetInt32());
        Assert.Equal("Ada", sent.GetProperty("FirstName").GetString());
        Assert.Equal("POBOX", sent.GetProperty("Addresses")[0].GetProperty("AddressType").GetString());
    }

    [Fact]
    public void MaxBatchSize_IsFiftyForDocumentsConfigurableForItemsAndOneForPracticeManager()
    {
        var connector = TestConnector.Create(new StubHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.OK)), TestConnector.Options(o => o.ItemBatchSize = 200));

        Assert.Equal(50, connector.MaxBatchSize(RecordKind.Invoice));
        Assert.Equal(200, connector.MaxBatchSize(RecordKind.Item));
        Assert.Equal(1, connector.MaxBatchSize(RecordKind.Cost));
    }
}
