using Microsoft.Extensions.DependencyInjection;
using SyncKit.Connectors;
using SyncKit.Errors;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Testing.Emulator;
using SyncKit.Xero;

namespace SyncKit.EndToEnd.Tests;

/// <summary>
/// Every seed cause and every Xero message, provoked in the emulator itself (pushed through the registered
/// <see cref="LedgerConnector"/>, past the engine's pre-flight checks) and classified by the engine's classifier.
/// </summary>
public sealed class EmulatorAnswerTests
{
    public static TheoryData<string> Causes => new(Cases.Keys);

    private static readonly DateOnly Day = Data.Day;

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["period lock date"] = new(ErrorCategories.LockDates, "xero.lock-date", "The document date cannot be before the period lock date, currently set at 2026-10-31", async f =>
        {
            f.Harness.Emulator.SetLockDates(f.Harness.Tenant.TenantId, new DateOnly(2026, 10, 31), null);
            return await f.PushInvoiceAsync(Inv("lock-1", new DateOnly(2026, 10, 15)));
        }),
        ["end of year lock date"] = new(ErrorCategories.LockDates, "xero.lock-date", "The document date cannot be before the end of year lock date, currently set at 2026-06-30", async f =>
        {
            f.Harness.Emulator.SetLockDates(f.Harness.Tenant.TenantId, null, new DateOnly(2026, 6, 30));
            return await f.PushInvoiceAsync(Inv("lock-2", new DateOnly(2026, 6, 1)));
        }),
        ["unknown account"] = new(ErrorCategories.AccountNotFound, "xero.account-not-found", "Account code '999' is not a valid code for this document (line 1 ",
            f => f.PushInvoiceAsync(Data.Invoice("acc-1", "ACC-1", "c", Day, account: "999"))),
        ["archived account"] = new(ErrorCategories.AccountArchived, "xero.account-archived", "Account code '400' has been archived, or has been deleted.", async f =>
        {
            f.Harness.Emulator.ArchiveAccount(f.Harness.Tenant.TenantId, "400");
            return await f.PushInvoiceAsync(Data.Invoice("acc-2", "ACC-2", "c", Day, account: "400", tax: "NONE"));
        }),
        ["missing account"] = new(ErrorCategories.AccountWithoutCode, "xero.account-code-missing", "must be specified",
            f => f.PushInvoiceAsync(Data.Invoice("acc-3", "ACC-3", "c", Day) with { Lines = [new DocumentLine { Description = "No account", Quantity = 1, UnitPrice = 10m, TaxKey = "OUTPUT" }] })),
        ["tax type vs account"] = new(ErrorCategories.TaxType, "xero.tax-type-account", "The TaxType code 'INPUT' cannot be used with account code '200' (line 1 ",
            f => f.PushInvoiceAsync(Data.Invoice("tax-1", "TAX-1", "c", Day, tax: "INPUT"))),
        ["duplicate contact name"] = new(ErrorCategories.Contact, "xero.duplicate-contact", "The contact name Table Customer Ltd is already assigned to another contact.", async f =>
        {
            // New contacts are matched by name before create, so the duplicate comes from renaming another contact.
            var other = await f.PushAsync(RecordKind.Contact, El(new ContactRecord { SourceId = "c2", Name = "Other Customer Ltd" }));
            return await f.PushAsync(RecordKind.Contact, El(new ContactRecord { SourceId = "c2", Name = "Table Customer Ltd" }, Succeeded(other)));
        }),
        ["duplicate invoice number"] = new(ErrorCategories.DuplicateNumber, "xero.duplicate-number", "Invoice # must be unique.", async f =>
        {
            Succeeded(await f.PushInvoiceAsync(Data.Invoice("dup-1", "DUP-1", "c", Day)));
            return await f.PushInvoiceAsync(Data.Invoice("dup-2", "DUP-1", "c", Day));
        }),
        ["not editable: paid"] = new(ErrorCategories.NotEditable, "xero.not-editable", "Invoice not of valid status for modification", async f =>
        {
            var invoice = Data.Invoice("paid-1", "PAID-1", "c", Day);
            var id = Succeeded(await f.PushInvoiceAsync(invoice));
            Succeeded(await f.PushPaymentAsync(Data.Payment(invoice), id));
            return await f.PushInvoiceAsync(invoice with { Reference = "changed" }, id);
        }),
        ["not editable: voided"] = new(ErrorCategories.NotEditable, "xero.not-editable", "Invoice not of valid status for modification", async f =>
        {
            var invoice = Data.Invoice("void-1", "VOID-1", "c", Day);
            var id = Succeeded(await f.PushInvoiceAsync(invoice));
            await f.RawAsync(HttpMethod.Post, "api.xro/2.0/Invoices/" + id, "{\"Invoices\":[{\"Status\":\"VOIDED\"}]}");
            return await f.PushInvoiceAsync(invoice with { Reference = "changed" }, id);
        }),
        ["has payments"] = new(ErrorCategories.NotEditable, "xero.has-payments", "This document cannot be edited as it has a payment or credit note allocated to it.", async f =>
        {
            var invoice = Data.Invoice("part-1", "PART-1", "c", Day);
            var id = Succeeded(await f.PushInvoiceAsync(invoice));
            Succeeded(await f.PushPaymentAsync(Data.Payment(invoice, amount: 10m), id));
            return await f.PushInvoiceAsync(invoice with { Reference = "changed" }, id);
        }),
        ["over-payment"] = new(ErrorCategories.Payment, "xero.over-payment", "Payment amount exceeds the amount outstanding on this document", async f =>
        {
            var invoice = Data.Invoice("over-1", "OVER-1", "c", Day);
            var id = Succeeded(await f.PushInvoiceAsync(invoice));
            return await f.PushPaymentAsync(Data.Payment(invoice, amount: 1000m), id);
        }),
        ["payment to an unauthorised document"] = new(ErrorCategories.Payment, "xero.payment-document-not-authorised", "Payments can only be made against Authorised documents", async f =>
        {
            var invoice = Data.Invoice("draft-1", "DRAFT-1", "c", Day) with { Status = DocumentStatus.Draft };
            var id = Succeeded(await f.PushInvoiceAsync(invoice));
            return await f.PushPaymentAsync(Data.Payment(invoice), id);
        }),
        ["payments account without payments enabled"] = new(ErrorCategories.PaymentsAccount, "xero.payments-account", "Payments cannot be made to account code '200'", async f =>
        {
            var invoice = Data.Invoice("acct-1", "ACCT-1", "c", Day);
            var id = Succeeded(await f.PushInvoiceAsync(invoice));
            return await f.PushPaymentAsync(Data.Payment(invoice, account: "200"), id);
        }),
        ["negative quantity"] = new(ErrorCategories.InvalidData, "xero.negative-quantity", "Quantity must not be less than zero.",
            f => f.PushInvoiceAsync(Data.Invoice("neg-1", "NEG-1", "c", Day) with { Lines = [new DocumentLine { Description = "Return", Quantity = -1m, UnitPrice = 10m, AccountKey = "200", TaxKey = "OUTPUT" }] })),
        ["no lines"] = new(ErrorCategories.InvalidData, "xero.no-lines", "One or more line items must be specified",
            f => f.PushInvoiceAsync(Data.Invoice("none-1", "NONE-1", "c", Day) with { Lines = [] })),
        ["currency not subscribed"] = new(ErrorCategories.Currency, "xero.currency", "Organisation is not subscribed to currency EUR",
            f => f.PushInvoiceAsync(Data.Invoice("eur-1", "EUR-1", "c", Day) with { CurrencyCode = "EUR" })),
        ["archived contact"] = new(ErrorCategories.Contact, "xero.archived-contact", "is archived", async f =>
        {
            await f.RawAsync(HttpMethod.Post, "api.xro/2.0/Contacts", $"{{\"Contacts\":[{{\"ContactID\":\"{f.ContactId}\",\"ContactStatus\":\"ARCHIVED\"}}]}}");
            return await f.PushInvoiceAsync(Data.Invoice("arch-1", "ARCH-1", "c", Day));
        }),
        ["Practice Manager: WIP lock date"] = new(ErrorCategories.LockDates, "xpm.wip-lock-date", "WIP lock date", async f =>
        {
            f.Harness.Emulator.SetWipLockDate(f.Harness.Tenant.TenantId, new DateOnly(2026, 11, 10));
            return await f.PushCostAsync(new DateOnly(2026, 11, 5));
        }, Practice: true),
        ["Practice Manager: job not In Progress"] = new(ErrorCategories.JobState, "xpm.job-state", "In Progress", async f =>
        {
            f.Harness.Emulator.SetJobState(f.Harness.Tenant.TenantId, f.JobNumber!, "Completed");
            return await f.PushCostAsync(Day);
        }, Practice: true),
        ["Practice Manager: job deleted"] = new(ErrorCategories.JobDeleted, "xpm.job-deleted", "has been deleted", async f =>
        {
            await f.RawAsync(HttpMethod.Post, "practicemanager/3.1/job.api/delete", $"<Job><ID>{f.JobNumber}</ID></Job>", "application/xml");
            return await f.PushCostAsync(Day);
        }, Practice: true),
    };

    [Theory]
    [MemberData(nameof(Causes))]
    public async Task EmulatorAnswer_IsClassifiedIntoItsCategory_WithItsResolution(string cause)
    {
        var @case = Cases[cause];
        await using var fixture = await Fixture.CreateAsync(@case.Practice);

        var result = await @case.Provoke(fixture);

        Assert.Null(result.BatchFailure);
        var failure = Assert.Single(result.Outcomes).Failure;
        Assert.NotNull(failure);
        Assert.Contains(@case.Message, failure.MessageText, StringComparison.Ordinal);
        var error = fixture.Classifier.Classify(failure, fixture.Harness.Time.GetUtcNow());
        var rule = XeroErrorRules.All.Single(r => r.Id == @case.RuleId);
        Assert.Equal(@case.Category, error.Category);
        Assert.Equal(@case.RuleId, error.RuleId);
        Assert.Equal(ErrorDisposition.UserAction, error.Disposition);
        Assert.Equal(rule.Reason, error.Reason);
        Assert.Equal(rule.Resolution, error.Resolution);
        Assert.NotEmpty(error.Resolution);
        Assert.Equal(failure.MessageText.Trim(), error.Message);
    }

    private static InvoiceRecord Inv(string id, DateOnly date) => Data.Invoice(id, id.ToUpperInvariant(), "c", date);

    private static PushElement El(SyncRecord record, string? remoteId = null, params (RecordKind Kind, string SourceId, string RemoteId)[] links) => new()
    {
        Key = new LedgerKey("t", record.Kind, record.SourceId),
        Record = record,
        RemoteId = remoteId,
        ContentHash = record.GetHashCode().ToString(System.Globalization.CultureInfo.InvariantCulture),
        Links = links.ToDictionary(l => PushElement.LinkKey(l.Kind, l.SourceId), l => l.RemoteId),
    };

    private static string Succeeded(PushResult result)
    {
        Assert.Null(result.BatchFailure);
        var outcome = Assert.Single(result.Outcomes);
        Assert.True(outcome.Succeeded, outcome.Failure?.MessageText);
        return outcome.RemoteId!;
    }

    private sealed record Case(string Category, string RuleId, string Message, Func<Fixture, Task<PushResult>> Provoke, bool Practice = false);

    private sealed class Fixture : IAsyncDisposable
    {
        private int _keys;

        private Fixture(XeroHarness harness)
        {
            Harness = harness;
            Connector = harness.Services.GetRequiredService<LedgerConnector>();
            Classifier = harness.Services.GetRequiredService<ErrorClassifier>();
        }

        public XeroHarness Harness { get; }

        public LedgerConnector Connector { get; }

        public ErrorClassifier Classifier { get; }

        /// <summary>The Xero id of contact "c" (Table Customer Ltd), on accounting tenants.</summary>
        public string? ContactId { get; private set; }

        /// <summary>An In Progress job for client "org-1", on practice tenants.</summary>
        public string? JobNumber { get; private set; }

        public static async Task<Fixture> CreateAsync(bool practice)
        {
            var harness = await XeroHarness.CreateAsync(
                new EmulatorTenantOptions { Name = practice ? "Table Practice" : "Table Org", PracticeManager = practice },
                o => o.IsPracticeManagerTenant = _ => practice);
            var fixture = new Fixture(harness);
            if (practice)
            {
                var client = Succeeded(await fixture.PushAsync(RecordKind.Client, El(new ClientRecord { SourceId = "org-1", Name = "Table Client Ltd" })));
                fixture.JobNumber = Succeeded(await fixture.PushAsync(RecordKind.Job, El(
                    new JobRecord { SourceId = "job-1", ClientSourceId = "org-1", Name = "Annual accounts", State = "In Progress", StartDate = new DateOnly(2026, 11, 1) },
                    null,
                    (RecordKind.Client, "org-1", client))));
            }
            else
            {
                fixture.ContactId = Succeeded(await fixture.PushAsync(RecordKind.Contact, El(new ContactRecord { SourceId = "c", Name = "Table Customer Ltd" })));
            }

            return fixture;
        }

        public Task<PushResult> PushAsync(RecordKind kind, PushElement element) =>
            Connector.PushAsync(new PushBatch
            {
                TenantId = Harness.TenantId,
                Kind = kind,
                IdempotencyKey = $"table-{Interlocked.Increment(ref _keys)}",
                Elements = [element],
            });

        public Task<PushResult> PushInvoiceAsync(InvoiceRecord invoice, string? remoteId = null) =>
            PushAsync(RecordKind.Invoice, El(invoice, remoteId, (RecordKind.Contact, "c", ContactId!)));

        public Task<PushResult> PushPaymentAsync(PaymentRecord payment, string invoiceId) =>
            PushAsync(RecordKind.Payment, El(payment, null, (RecordKind.Invoice, payment.DocumentSourceId, invoiceId)));

        public Task<PushResult> PushCostAsync(DateOnly date) =>
            PushAsync(RecordKind.Cost, El(
                new CostRecord { SourceId = "cost-" + date.DayNumber, OrganisationKey = "org-1", JobSourceId = "job-1", Date = date, Description = "Courier", Quantity = 1, UnitCost = 18.5m, UnitPrice = 25m },
                null,
                (RecordKind.Job, "job-1", JobNumber!)));

        /// <summary>What a user does in Xero itself (void, archive, delete a job), straight to the emulator.</summary>
        public Task RawAsync(HttpMethod method, string path, string body, string mediaType = "application/json") =>
            Harness.RawAsync(method, path, body, mediaType: mediaType);

        public ValueTask DisposeAsync() => Harness.DisposeAsync();
    }
}
