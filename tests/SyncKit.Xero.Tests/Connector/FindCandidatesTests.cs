using System.Net;
using SyncKit.Records;
using SyncKit.Xero.Tests.Infrastructure;

namespace SyncKit.Xero.Tests.Connector;

public sealed class FindCandidatesTests
{
    private static readonly (RecordKind, string, string) s_contactLink = (RecordKind.Contact, "c-1", TestRecords.ContactId);

    [Fact]
    public async Task Invoice_IsFoundByInvoiceNumber()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("invoices-found.json"));
        var connector = TestConnector.Create(handler);

        var match = (await connector.FindCandidatesAsync(TestConnector.Tenant, TestRecords.InvoiceElement("1", "INV-1"))).SingleOrDefault();

        Assert.Equal("aaaaaaaa-0000-0000-0000-000000000001", match!.RemoteId);
        Assert.Equal("INV-1", match.RemoteReference);
        Assert.Equal("INV-1", handler.Requests[0].Query("InvoiceNumbers"));
        Assert.Equal("/api.xro/2.0/Invoices", handler.Requests[0].Path);
    }

    [Fact]
    public async Task Invoice_NotInXero_IsNull()
    {
        var handler = new StubHttpHandler(_ => Responses.Json("""{"Invoices":[]}"""));
        var connector = TestConnector.Create(handler);

        Assert.Null((await connector.FindCandidatesAsync(TestConnector.Tenant, TestRecords.InvoiceElement("1", "INV-1"))).SingleOrDefault());
    }

    [Fact]
    public async Task Bill_IsFoundBySupplierAndReferenceBecauseBillNumbersAreNotUnique()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("bills-found.json"));
        var connector = TestConnector.Create(handler);
        var bill = new BillRecord { SourceId = "b-1", ContactSourceId = "c-1", Number = "SUP-77", Reference = "PO-1", Date = new DateOnly(2025, 3, 14), CurrencyCode = "AUD", Lines = [] };

        var match = (await connector.FindCandidatesAsync(TestConnector.Tenant, TestRecords.Element(bill, null, s_contactLink))).SingleOrDefault();

        Assert.Equal("bbbbbbbb-0000-0000-0000-000000000001", match!.RemoteId);
        Assert.Null(handler.Requests[0].Query("InvoiceNumbers"));
        Assert.Equal(TestRecords.ContactId, handler.Requests[0].Query("ContactIDs"));
        Assert.Equal("Type==\"ACCPAY\" AND Date==DateTime(2025,03,14)", handler.Requests[0].Query("where"));
    }

    [Fact]
    public async Task CreditNote_IsFoundByNumber()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("creditnotes-found.json"));
        var connector = TestConnector.Create(handler);
        var note = new CreditNoteRecord { SourceId = "cn-1", ContactSourceId = "c-1", Number = "CN-1", Date = new DateOnly(2025, 3, 14), CurrencyCode = "AUD", Lines = [] };

        var match = (await connector.FindCandidatesAsync(TestConnector.Tenant, TestRecords.Element(note, null, s_contactLink))).SingleOrDefault();

        Assert.Equal("7c6b5a49-3827-4165-9f8e-7d6c5b4a3928", match!.RemoteId);
        Assert.Equal("CreditNoteNumber==\"CN-1\"", handler.Requests[0].Query("where"));
    }

    [Fact]
    public async Task Contact_IsFoundByExactName()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("contacts-found-acme.json"));
        var connector = TestConnector.Create(handler);

        var match = (await connector.FindCandidatesAsync(TestConnector.Tenant, TestRecords.Element(new ContactRecord { SourceId = "c-1", Name = "Acme Pty Ltd" }))).SingleOrDefault();

        Assert.Equal(TestRecords.ContactId, match!.RemoteId);
        Assert.Equal("Name==\"Acme Pty Ltd\"", handler.Requests[0].Query("where"));
    }

    [Fact]
    public async Task Item_IsFoundByCode()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("items-found.json"));
        var connector = TestConnector.Create(handler);

        var match = (await connector.FindCandidatesAsync(TestConnector.Tenant, TestRecords.Element(new ItemRecord { SourceId = "i-1", Code = "CONSULT", Name = "Consulting" }))).SingleOrDefault();

        Assert.Equal("5f1d2e3c-4b5a-4968-8776-655443322110", match!.RemoteId);
        Assert.Equal("Code==\"CONSULT\"", handler.Requests[0].Query("where"));
    }

    [Fact]
    public async Task PurchaseOrder_IsFoundByNumber()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("purchaseorder-found.json"));
        var connector = TestConnector.Create(handler);
        var order = new PurchaseOrderRecord { SourceId = "po-1", ContactSourceId = "c-1", Number = "PO-1", Date = new DateOnly(2025, 3, 14), CurrencyCode = "AUD", Lines = [] };

        var match = (await connector.FindCandidatesAsync(TestConnector.Tenant, TestRecords.Element(order, null, s_contactLink))).SingleOrDefault();

        Assert.Equal("1a2b3c4d-5e6f-4789-9abc-def012345678", match!.RemoteId);
        Assert.Equal("/api.xro/2.0/PurchaseOrders/PO-1", handler.Requests[0].Path);
    }

    [Fact]
    public async Task PurchaseOrder_NotFound404_IsNull()
    {
        var connector = TestConnector.Create(new StubHttpHandler(_ => Responses.Text("The resource you're looking for cannot be found", HttpStatusCode.NotFound)));
        var order = new PurchaseOrderRecord { SourceId = "po-1", ContactSourceId = "c-1", Number = "PO-9", Date = new DateOnly(2025, 3, 14), CurrencyCode = "AUD", Lines = [] };

        Assert.Null((await connector.FindCandidatesAsync(TestConnector.Tenant, TestRecords.Element(order, null, s_contactLink))).SingleOrDefault());
    }

    [Fact]
    public async Task Payment_WithAnotherAmount_IsNotFound()
    {
        var connector = TestConnector.Create(new StubHttpHandler(_ => Responses.Fixture("invoice-with-payments.json")));
        var payment = new PaymentRecord { SourceId = "p-1", DocumentSourceId = "i-1", Date = new DateOnly(2025, 3, 14), Amount = 1m, CurrencyCode = "AUD", AccountKey = "090" };

        Assert.Null((await connector.FindCandidatesAsync(TestConnector.Tenant, TestRecords.Element(payment, null, (RecordKind.Invoice, "i-1", "aaaaaaaa-0000-0000-0000-000000000001")))).SingleOrDefault());
    }

    [Fact]
    public async Task FailedLookup_ThrowsWithTheFailure()
    {
        var connector = TestConnector.Create(new StubHttpHandler(_ => Responses.Text("The Organisation is offline", HttpStatusCode.ServiceUnavailable)));

        var ex = await Assert.ThrowsAsync<SyncKit.Connectors.ConnectorException>(() => connector.FindCandidatesAsync(TestConnector.Tenant, TestRecords.InvoiceElement("1")));

        Assert.Equal(503, ex.Failure.StatusCode);
    }
}
