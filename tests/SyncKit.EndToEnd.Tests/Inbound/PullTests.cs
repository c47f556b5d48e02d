using Microsoft.Extensions.DependencyInjection;
using SyncKit.Inbound;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Storage;

namespace SyncKit.EndToEnd.Tests.Inbound;

/// <summary>Pulls from the emulator into a host's books: payments made in Xero, contacts edited there, and the run rules.</summary>
public sealed class PullTests
{
    private const string Walkin = "Walk-in customer";

    [Fact]
    public async Task A_payment_made_in_Xero_on_an_invoice_SyncKit_pushed_is_imported_once_against_that_invoice()
    {
        var books = new HostBooks();
        await using var h = await CreateAsync(books);
        h.Sources.Contacts.Put(h.TenantId, Data.Contact(1));
        h.Sources.Invoices.Put(h.TenantId, Data.Invoice("inv-1", "E2E-1", "cust-0001", Data.Day));
        await h.DriveSyncAsync();
        books.AddOpenInvoice("inv-1", "Customer 0001 Pty Ltd", 110m);

        // The ledger's Xero id decides, even though another open invoice of the customer has the same amount.
        books.AddOpenInvoice("inv-other", "Customer 0001 Pty Ltd", 110m);
        var invoiceId = (await h.RequiredEntryAsync(RecordKind.Invoice, "inv-1")).RemoteId!;
        await XeroUser.PayAsync(h, [(invoiceId, 110m)]);

        var run = await PullPaymentsAsync(h);

        Assert.Equal(RunOutcome.Completed, run.Outcome);
        var payment = Assert.Single(books.Payments.Values);
        Assert.Equal("inv-1", payment.InvoiceHostId);
        Assert.Equal(0m, books.Invoices["inv-1"].Outstanding);
        Assert.Equal(1, run.Counts.Synced);
    }

    [Fact]
    public async Task A_second_pull_imports_nothing_new()
    {
        var books = new HostBooks();
        await using var h = await CreateAsync(books);
        var invoices = await XeroUser.CreateInvoicesAsync(h, [("W-1", Walkin, 25m)]);
        await XeroUser.PayAsync(h, [(invoices[0], 25m)]);
        books.AddOpenInvoice("h-1", Walkin, 25m);
        await PullPaymentsAsync(h);

        var second = await PullPaymentsAsync(h);

        Assert.Single(books.Payments);
        Assert.Single(books.Offered);
        Assert.Equal(0, second.Counts.Synced);
    }

    [Fact]
    public async Task A_payment_on_an_invoice_typed_into_Xero_matches_the_customers_one_open_invoice_of_exactly_the_amount()
    {
        var books = new HostBooks();
        await using var h = await CreateAsync(books);
        var invoices = await XeroUser.CreateInvoicesAsync(h, [("W-1", Walkin, 40m)]);
        await XeroUser.PayAsync(h, [(invoices[0], 40m)]);
        books.AddOpenInvoice("h-39", Walkin, 39.99m);
        books.AddOpenInvoice("h-40", Walkin, 40m);
        books.AddOpenInvoice("h-other", "Someone else", 40m);

        await PullPaymentsAsync(h);

        Assert.Equal("h-40", Assert.Single(books.Payments.Values).InvoiceHostId);
    }

    [Fact]
    public async Task An_ambiguous_payment_is_listed_with_its_candidates_and_not_imported_on_any_run()
    {
        var books = new HostBooks();
        await using var h = await CreateAsync(books);
        var invoices = await XeroUser.CreateInvoicesAsync(h, [("W-1", Walkin, 40m)]);
        var payments = await XeroUser.PayAsync(h, [(invoices[0], 40m)]);
        books.AddOpenInvoice("h-a", Walkin, 40m);
        books.AddOpenInvoice("h-b", Walkin, 40m);

        var first = await PullPaymentsAsync(h);
        var second = await PullPaymentsAsync(h);

        Assert.Empty(books.Payments);
        var listed = Assert.Single(await h.Engine.GetReconciliationListAsync(h.TenantId));
        Assert.Equal(payments[0], listed.RemoteId);
        Assert.Equal(InboundState.NeedsReconciliation, listed.State);
        Assert.Equal(["h-a", "h-b"], listed.Candidates);
        Assert.Contains("2 open invoices", listed.Message, StringComparison.Ordinal);
        Assert.Equal(2, listed.Attempts);
        Assert.Equal((RunOutcome.CompletedWithErrors, 1), (first.Outcome, first.Counts.ToReconcile));
        Assert.Equal(1, second.Counts.ToReconcile);
    }

    [Fact]
    public async Task An_unmatched_payment_is_imported_by_the_first_pull_after_the_host_creates_its_invoice()
    {
        var books = new HostBooks();
        await using var h = await CreateAsync(books);
        var invoices = await XeroUser.CreateInvoicesAsync(h, [("W-1", Walkin, 75m)]);
        await XeroUser.PayAsync(h, [(invoices[0], 75m)]);
        await PullPaymentsAsync(h);
        Assert.Empty(Assert.Single(await h.Engine.GetReconciliationListAsync(h.TenantId)).Candidates);

        // Hours later, far outside the skew margin: the payment is not read from Xero again, it is retried from the list.
        h.Time.Advance(TimeSpan.FromHours(3));
        books.AddOpenInvoice("h-75", Walkin, 75m);
        await PullPaymentsAsync(h);

        Assert.Equal("h-75", Assert.Single(books.Payments.Values).InvoiceHostId);
        Assert.Empty(await h.Engine.GetReconciliationListAsync(h.TenantId));
    }

    [Fact]
    public async Task A_dismissed_payment_leaves_the_list_and_is_never_imported()
    {
        var books = new HostBooks();
        await using var h = await CreateAsync(books);
        var invoices = await XeroUser.CreateInvoicesAsync(h, [("W-1", Walkin, 75m)]);
        var payments = await XeroUser.PayAsync(h, [(invoices[0], 75m)]);
        await PullPaymentsAsync(h);

        await h.Engine.DismissPulledAsync(h.TenantId, RecordKind.Payment, payments[0]);
        books.AddOpenInvoice("h-75", Walkin, 75m);
        await PullPaymentsAsync(h);

        Assert.Empty(books.Payments);
        Assert.Empty(await h.Engine.GetReconciliationListAsync(h.TenantId));
    }

    [Fact]
    public async Task A_listed_payment_linked_by_hand_is_imported_once_against_the_chosen_invoice_by_the_next_pull()
    {
        var books = new HostBooks();
        await using var h = await CreateAsync(books);
        var invoices = await XeroUser.CreateInvoicesAsync(h, [("W-1", Walkin, 40m)]);
        var payments = await XeroUser.PayAsync(h, [(invoices[0], 40m)]);
        books.AddOpenInvoice("h-a", Walkin, 40m);
        books.AddOpenInvoice("h-b", Walkin, 40m);
        await PullPaymentsAsync(h);

        var linked = await h.Engine.LinkPulledPaymentAsync(h.TenantId, payments[0], "h-b");
        h.Time.Advance(TimeSpan.FromHours(2));
        var next = await PullPaymentsAsync(h);
        var after = await PullPaymentsAsync(h);

        Assert.Equal(InboundState.Accepted, linked.State);
        Assert.Equal("h-b", Assert.Single(books.Payments.Values).InvoiceHostId);
        Assert.Equal((1, 0, RunOutcome.Completed), (next.Counts.Synced, after.Counts.Synced, next.Outcome));
        Assert.Empty(await h.Engine.GetReconciliationListAsync(h.TenantId));
    }

    [Fact]
    public async Task A_payment_already_imported_cannot_be_linked_by_hand()
    {
        var books = new HostBooks();
        await using var h = await CreateAsync(books);
        var invoices = await XeroUser.CreateInvoicesAsync(h, [("W-1", Walkin, 40m)]);
        var payments = await XeroUser.PayAsync(h, [(invoices[0], 40m)]);
        books.AddOpenInvoice("h-a", Walkin, 40m);
        await PullPaymentsAsync(h);

        await Assert.ThrowsAsync<InvalidOperationException>(() => h.Engine.LinkPulledPaymentAsync(h.TenantId, payments[0], "h-other"));
        Assert.Equal("h-a", Assert.Single(books.Payments.Values).InvoiceHostId);
    }

    [Fact]
    public async Task Two_pull_requests_at_once_run_one_answer_the_other_already_running_and_log_both()
    {
        var books = new HostBooks();
        await using var h = await CreateAsync(books);
        var invoices = await XeroUser.CreateInvoicesAsync(h, [("W-1", Walkin, 10m)]);
        await XeroUser.PayAsync(h, [(invoices[0], 10m)]);
        books.AddOpenInvoice("h-1", Walkin, 10m);
        var inside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        books.BeforeApply = async _ =>
        {
            inside.TrySetResult();
            await release.Task;
        };

        var first = PullPaymentsAsync(h, "first");
        await inside.Task;
        var second = await PullPaymentsAsync(h, "second");
        release.SetResult();
        var firstRun = await first;

        Assert.Equal(RunOutcome.AlreadyRunning, second.Outcome);
        Assert.Contains(firstRun.RunId, second.Message, StringComparison.Ordinal);
        Assert.Equal(RunOutcome.Completed, firstRun.Outcome);
        var activity = await h.Engine.GetActivityAsync(h.TenantId);
        Assert.Contains(activity, r => r.RunId == firstRun.RunId && r.RequestedBy == "first" && r.Outcome == RunOutcome.Completed);
        Assert.Contains(activity, r => r.RunId == second.RunId && r.RequestedBy == "second" && r.Outcome == RunOutcome.AlreadyRunning);
    }

    [Fact]
    public async Task A_pull_stopped_mid_way_resumes_from_its_page_without_reading_earlier_pages_again()
    {
        var books = new HostBooks();
        await using var h = await CreateAsync(books, pageSize: 10);
        var contacts = await XeroUser.CreateContactsAsync(h, Enumerable.Range(1, 25).Select(i => $"Xero Contact {i:D2}"));
        var failOn = contacts[14];
        books.BeforeApply = r => r.RemoteId == failOn && books.Offered.Count(o => o.RemoteId == failOn) == 1
            ? throw new IOException("The host's database went away.")
            : Task.CompletedTask;

        var stopped = await PullContactsAsync(h);
        var resumed = await PullContactsAsync(h);

        Assert.Equal(RunOutcome.Failed, stopped.Outcome);
        Assert.Equal(RunOutcome.Completed, resumed.Outcome);
        Assert.Equal(25, books.Contacts.Count);

        // Pages 1 and 2, then 2 and 3: page 1 is never read again, and nothing already applied is applied twice.
        Assert.Equal(4, h.Emulator.GetStats().Calls[h.Tenant.TenantId]["GET Contacts"]);
        Assert.Equal(26, books.Offered.Count);
        Assert.Contains(books.Offered, o => o.RemoteId == failOn && o.MayBeApplied);
    }

    [Fact]
    public async Task A_contact_edited_in_Xero_updates_the_host_contact_SyncKit_pushed()
    {
        var books = new HostBooks();
        await using var h = await CreateAsync(books);
        h.Sources.Contacts.Put(h.TenantId, Data.Contact(1));
        await h.DriveSyncAsync();
        var contactId = (await h.RequiredEntryAsync(RecordKind.Contact, "cust-0001")).RemoteId!;
        XeroUser.EditContact(h, contactId, "accounts@customer1.example");

        await PullContactsAsync(h);

        var contact = books.Contacts["cust-0001"];
        Assert.Equal("accounts@customer1.example", contact.Email);
        Assert.Single(books.Contacts);
    }

    [Fact]
    public async Task A_contact_with_a_local_change_waiting_to_be_pushed_is_not_overwritten_by_a_pull()
    {
        var books = new HostBooks();
        await using var h = await CreateAsync(books);
        h.Sources.Contacts.Put(h.TenantId, Data.Contact(1));
        await h.DriveSyncAsync();
        books.Contacts["cust-0001"] = new HostBooks.HostContact { HostId = "cust-0001", RemoteId = "?", Name = "Customer 0001 Pty Ltd", Email = "local@host.example" };
        books.LocalEdits["cust-0001"] = true;
        var contactId = (await h.RequiredEntryAsync(RecordKind.Contact, "cust-0001")).RemoteId!;
        XeroUser.EditContact(h, contactId, "xero@customer1.example");

        var run = await PullContactsAsync(h);

        Assert.Equal("local@host.example", books.Contacts["cust-0001"].Email);
        Assert.Equal(contactId, Assert.Single(books.Conflicts).RemoteId);
        Assert.Equal(1, run.Counts.Conflicts);
        Assert.Equal(InboundState.Conflict, Assert.Single(await h.Engine.GetReconciliationListAsync(h.TenantId)).State);
    }

    [Fact]
    public async Task A_contact_created_in_Xero_and_pulled_is_linked_in_the_ledger_so_a_push_updates_it_rather_than_creating_another()
    {
        var books = new HostBooks();
        await using var h = await CreateAsync(books);
        var ids = await XeroUser.CreateContactsAsync(h, ["Made In Xero Ltd"]);
        await PullContactsAsync(h);
        var hostId = Assert.Single(books.Contacts.Keys);

        h.Sources.Contacts.Put(h.TenantId, new ContactRecord { SourceId = hostId, Name = "Made In Xero Ltd", Email = "new@host.example" });
        await h.DriveSyncAsync();

        var entry = await h.RequiredEntryAsync(RecordKind.Contact, hostId);
        Assert.Equal(ids[0], entry.RemoteId);
        Assert.False(h.Emulator.GetStats().Calls[h.Tenant.TenantId].ContainsKey("PUT Contacts") && h.Emulator.GetStats().Calls[h.Tenant.TenantId]["PUT Contacts"] > 1);
    }

    [Fact]
    public async Task A_thousand_payments_made_in_Xero_import_the_exact_matches_once_and_list_the_rest_with_their_candidates()
    {
        var books = new HostBooks();
        await using var h = await CreateAsync(books);

        // 1,000 invoices typed into Xero for 100 customers, each paid in full; every amount is unique within its customer.
        var typed = Enumerable.Range(0, 1000).Select(i => (Number: $"X-{i:D4}", Customer: $"Customer {i % 100:D3}", Amount: 100m + i)).ToList();
        var invoiceIds = await XeroUser.CreateInvoicesAsync(h, typed);
        await XeroUser.PayAsync(h, [.. invoiceIds.Select((id, i) => (id, typed[i].Amount))]);

        // The host: 900 exact matches, 50 ambiguous (two open invoices of the amount), 50 with no open invoice yet.
        for (var i = 0; i < 950; i++)
        {
            books.AddOpenInvoice($"h-{i:D4}", typed[i].Customer, typed[i].Amount);
        }

        for (var i = 900; i < 950; i++)
        {
            books.AddOpenInvoice($"h-{i:D4}-twin", typed[i].Customer, typed[i].Amount);
        }

        var callsBefore = h.Emulator.GetStats().Calls.GetValueOrDefault(h.Tenant.TenantId)?.GetValueOrDefault("GET Payments") ?? 0;
        var first = await PullPaymentsAsync(h);
        var firstCalls = h.Emulator.GetStats().Calls[h.Tenant.TenantId]["GET Payments"] - callsBefore;
        var second = await PullPaymentsAsync(h);
        for (var i = 950; i < 1000; i++)
        {
            books.AddOpenInvoice($"h-{i:D4}", typed[i].Customer, typed[i].Amount);
        }

        h.Time.Advance(TimeSpan.FromHours(1));
        var third = await PullPaymentsAsync(h);

        Assert.Equal((1000, 900, 100, 10), (first.Counts.Seen, first.Counts.Synced, first.Counts.ToReconcile, firstCalls));
        Assert.Equal((0, 100), (second.Counts.Synced, second.Counts.ToReconcile));
        Assert.Equal((50, 50), (third.Counts.Synced, third.Counts.ToReconcile));
        Assert.Equal(950, books.Payments.Count);
        Assert.DoesNotContain(books.Payments.Values, p => p.InvoiceHostId.EndsWith("-twin", StringComparison.Ordinal));
        var listed = await h.Engine.GetReconciliationListAsync(h.TenantId, 1000);
        Assert.Equal(50, listed.Count);
        Assert.All(listed, l => Assert.Equal(2, l.Candidates.Count));
    }

    [Fact]
    public async Task Invoices_paid_and_voided_in_Xero_are_reflected_in_the_ledger_and_a_re_sync_of_the_paid_one_is_refused_before_any_call()
    {
        var books = new HostBooks();
        await using var h = await CreateAsync(books);
        h.Sources.Contacts.Put(h.TenantId, Data.Contact(1));
        h.Sources.Invoices.PutRange(h.TenantId, [Data.Invoice("inv-paid", "E2E-P", "cust-0001", Data.Day), Data.Invoice("inv-void", "E2E-V", "cust-0001", Data.Day), Data.Invoice("inv-open", "E2E-O", "cust-0001", Data.Day)]);
        await h.DriveSyncAsync();
        var paidId = (await h.RequiredEntryAsync(RecordKind.Invoice, "inv-paid")).RemoteId!;
        var voidId = (await h.RequiredEntryAsync(RecordKind.Invoice, "inv-void")).RemoteId!;
        await XeroUser.PayAsync(h, [(paidId, 110m)]);
        XeroUser.VoidInvoice(h, voidId);

        await h.DriveAsync(() => h.Engine.PullAsync(new PullRequest { TenantId = h.TenantId, Kinds = [RecordKind.Invoice] }));
        var writesBefore = WriteCalls(h);
        var resync = await h.DriveAsync(() => h.Engine.SyncRecordAsync(new Ledger.LedgerKey(h.TenantId, RecordKind.Invoice, "inv-paid")));

        var paid = await h.RequiredEntryAsync(RecordKind.Invoice, "inv-paid");
        var voided = await h.RequiredEntryAsync(RecordKind.Invoice, "inv-void");
        Assert.Equal((Ledger.LedgerState.Skipped, Errors.ErrorCategories.NotEditable), (paid.State, paid.Error?.Category));
        Assert.Contains("PAID", paid.Error!.Message, StringComparison.Ordinal);
        Assert.Equal((Ledger.LedgerState.Skipped, Errors.ErrorCategories.NotEditable), (voided.State, voided.Error?.Category));
        Assert.Contains("VOIDED", voided.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(Ledger.LedgerState.Synced, (await h.RequiredEntryAsync(RecordKind.Invoice, "inv-open")).State);
        Assert.Equal((Ledger.LedgerState.Skipped, "Paid, voided or deleted in Xero"), (resync.State, resync.Error?.Reason));
        Assert.Equal(writesBefore, WriteCalls(h));
    }

    [Fact]
    public async Task A_credit_note_voided_in_Xero_is_reflected_in_the_ledger_and_is_not_sent_again()
    {
        var books = new HostBooks();
        await using var h = await CreateAsync(books);
        h.Sources.Contacts.Put(h.TenantId, Data.Contact(1));
        h.Sources.CreditNotes.PutRange(h.TenantId,
        [
            new CreditNoteRecord { SourceId = "cn-void", Number = "CN-V", ContactSourceId = "cust-0001", Date = Data.Day, CurrencyCode = "AUD", Lines = [new DocumentLine { Description = "Refund", UnitPrice = 50m, AccountKey = "200", TaxKey = "OUTPUT" }] },
            new CreditNoteRecord { SourceId = "cn-open", Number = "CN-O", ContactSourceId = "cust-0001", Date = Data.Day, CurrencyCode = "AUD", Lines = [new DocumentLine { Description = "Refund", UnitPrice = 20m, AccountKey = "200", TaxKey = "OUTPUT" }] },
        ]);
        await h.DriveSyncAsync();
        var voidId = (await h.RequiredEntryAsync(RecordKind.CreditNote, "cn-void")).RemoteId!;
        XeroUser.VoidCreditNote(h, voidId);

        var pull = await h.DriveAsync(() => h.Engine.PullAsync(new PullRequest { TenantId = h.TenantId, Kinds = [RecordKind.CreditNote] }));
        var writesBefore = WriteCalls(h);
        var resync = await h.DriveAsync(() => h.Engine.SyncRecordAsync(new Ledger.LedgerKey(h.TenantId, RecordKind.CreditNote, "cn-void")));

        var voided = await h.RequiredEntryAsync(RecordKind.CreditNote, "cn-void");
        Assert.Equal(RunOutcome.Completed, pull.Outcome);
        Assert.Equal((Ledger.LedgerState.Skipped, Errors.ErrorCategories.NotEditable), (voided.State, voided.Error?.Category));
        Assert.Contains("Credit note 'CN-V' is VOIDED in Xero.", voided.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(Ledger.LedgerState.Synced, (await h.RequiredEntryAsync(RecordKind.CreditNote, "cn-open")).State);
        Assert.Equal(Ledger.LedgerState.Skipped, resync.State);
        Assert.Equal(writesBefore, WriteCalls(h));
    }

    private static int WriteCalls(XeroHarness h) =>
        h.Emulator.GetStats().Calls[h.Tenant.TenantId].Where(c => !c.Key.StartsWith("GET", StringComparison.Ordinal)).Sum(c => c.Value);

    private static Task<XeroHarness> CreateAsync(HostBooks books, int pageSize = 100) =>
        XeroHarness.CreateAsync(
            engine: o => o.PullPageSize = pageSize,
            configure: b => b.AddTarget(books.ContactsTarget).AddTarget(books.PaymentsTarget));

    private static Task<SyncRun> PullPaymentsAsync(XeroHarness h, string? requestedBy = null) =>
        h.DriveAsync(() => h.Engine.PullAsync(new PullRequest { TenantId = h.TenantId, Kinds = [RecordKind.Payment], RequestedBy = requestedBy }));

    private static Task<SyncRun> PullContactsAsync(XeroHarness h) =>
        h.DriveAsync(() => h.Engine.PullAsync(new PullRequest { TenantId = h.TenantId, Kinds = [RecordKind.Contact] }));
}
