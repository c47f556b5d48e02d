using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using SyncKit.Inbound;
using SyncKit.Records;
using SyncKit.Runs;

namespace SyncKit.EndToEnd.Tests.Inbound;

/// <summary>Credit notes for a host that tracks refunds: typed in Xero or pushed by SyncKit, with their allocations to invoices.</summary>
public sealed class CreditNotePullTests
{
    [Fact]
    public async Task A_credit_note_typed_in_Xero_reaches_the_host_with_its_allocation_to_the_invoice_SyncKit_pushed()
    {
        var refunds = new RefundBooks();
        await using var h = await CreateAsync(refunds);
        var invoiceId = await PushInvoiceAsync(h);
        var noteId = XeroUser.CreateCreditNote(h, "CN-X1", "Customer 0001 Pty Ltd", 30m);
        XeroUser.AllocateCreditNote(h, noteId, invoiceId, 30m);

        var run = await PullCreditNotesAsync(h);

        var change = Assert.Single(refunds.Changes);
        var allocation = Assert.Single(change.Record.Allocations);
        Assert.Equal(RunOutcome.Completed, run.Outcome);
        Assert.Equal((PullAction.Create, "CN-X1", 30m, 0m), (change.Action, change.Record.Number, change.Record.Total, change.Record.RemainingCredit));
        Assert.Equal(("inv-1", invoiceId, 30m), (allocation.InvoiceHostId, allocation.InvoiceRemoteId, allocation.Amount));
    }

    [Fact]
    public async Task An_allocation_made_in_Xero_after_the_credit_note_was_pulled_reaches_the_host_as_an_update()
    {
        var refunds = new RefundBooks();
        await using var h = await CreateAsync(refunds);
        var invoiceId = await PushInvoiceAsync(h);
        var noteId = XeroUser.CreateCreditNote(h, "CN-X2", "Customer 0001 Pty Ltd", 50m);
        await PullCreditNotesAsync(h);
        h.Time.Advance(TimeSpan.FromHours(1));
        XeroUser.AllocateCreditNote(h, noteId, invoiceId, 20m);

        await PullCreditNotesAsync(h);

        Assert.Equal([PullAction.Create, PullAction.Update], refunds.Changes.Select(c => c.Action));
        var update = refunds.Changes.Last();
        Assert.Equal(("r-" + noteId, 30m, "AUTHORISED"), (update.HostId, update.Record.RemainingCredit, update.Record.Status));
        Assert.Equal(20m, Assert.Single(update.Record.Allocations).Amount);
    }

    [Fact]
    public async Task A_credit_note_typed_in_Xero_and_voided_there_after_it_was_pulled_is_archived_in_the_host()
    {
        var refunds = new RefundBooks();
        await using var h = await CreateAsync(refunds);
        await PushInvoiceAsync(h);
        var noteId = XeroUser.CreateCreditNote(h, "CN-X3", "Customer 0001 Pty Ltd", 15m);
        await PullCreditNotesAsync(h);
        h.Time.Advance(TimeSpan.FromHours(1));
        XeroUser.VoidCreditNote(h, noteId);

        await PullCreditNotesAsync(h);

        Assert.Equal([PullAction.Create, PullAction.Archive], refunds.Changes.Select(c => c.Action));
    }

    [Fact]
    public async Task A_credit_note_pulled_twice_unchanged_is_offered_once()
    {
        var refunds = new RefundBooks();
        await using var h = await CreateAsync(refunds);
        await PushInvoiceAsync(h);
        XeroUser.CreateCreditNote(h, "CN-X4", "Customer 0001 Pty Ltd", 15m);
        await PullCreditNotesAsync(h);
        h.Time.Advance(TimeSpan.FromHours(1));

        await PullCreditNotesAsync(h);

        Assert.Single(refunds.Changes);
    }

    [Fact]
    public async Task A_refund_SyncKit_sent_as_a_credit_note_reaches_the_target_as_an_update_of_the_hosts_refund_not_a_new_one()
    {
        var refunds = new RefundBooks();
        await using var h = await CreateAsync(refunds);
        h.Sources.Contacts.Put(h.TenantId, Data.Contact(1));
        var invoice = Data.Invoice("inv-1", "REF-1", "cust-0001", Data.Day) with { Status = DocumentStatus.Authorised };
        var refund = Data.Invoice("inv-2", "REF-2", "cust-0001", Data.Day, amount: -40m) with { Status = DocumentStatus.Authorised, RefundsInvoiceSourceId = "inv-1" };
        h.Sources.Invoices.PutRange(h.TenantId, [invoice, refund]);
        await h.DriveSyncAsync();
        await h.DriveSyncAsync();

        await PullCreditNotesAsync(h);

        var change = Assert.Single(refunds.Changes);
        Assert.Equal((PullAction.Update, "inv-2"), (change.Action, change.HostId));
        Assert.Equal(("inv-1", 44.00m), (Assert.Single(change.Record.Allocations).InvoiceHostId, change.Record.Allocations[0].Amount));
    }

    [Fact]
    public async Task Credit_notes_typed_in_Xero_are_left_alone_when_the_host_registers_no_credit_note_target()
    {
        await using var h = await XeroHarness.CreateAsync();
        await PushInvoiceAsync(h);
        var noteId = XeroUser.CreateCreditNote(h, "CN-X5", "Customer 0001 Pty Ltd", 15m);

        var run = await PullCreditNotesAsync(h);

        Assert.Equal((RunOutcome.Completed, 0), (run.Outcome, run.Counts.Synced));
        Assert.Empty(await h.Engine.GetReconciliationListAsync(h.TenantId));
        Assert.DoesNotContain(await h.AllEntriesAsync(), e => e.RemoteId == noteId);
    }

    [Fact]
    public async Task A_user_in_Xero_cannot_allocate_more_than_the_invoice_has_due_and_the_invoice_is_left_as_it_was()
    {
        await using var h = await XeroHarness.CreateAsync();
        var invoiceId = await PushInvoiceAsync(h);
        var noteId = XeroUser.CreateCreditNote(h, "CN-X6", "Customer 0001 Pty Ltd", 500m);

        var answer = XeroUser.AllocateCreditNote(h, noteId, invoiceId, 200m);

        Assert.Contains("cannot exceed the amount due", answer, StringComparison.Ordinal);
        var inXero = h.Export().GetProperty("invoices").EnumerateArray().Single(i => i.GetProperty("InvoiceID").GetString() == invoiceId);
        Assert.Equal(110.00m, inXero.GetProperty("AmountDue").GetDecimal());
    }

    private static Task<XeroHarness> CreateAsync(RefundBooks refunds) =>
        XeroHarness.CreateAsync(configure: b => b.AddTarget(refunds));

    /// <summary>The host's customer and an authorised invoice of 110.00 (100 + GST), pushed; returns its Xero id.</summary>
    private static async Task<string> PushInvoiceAsync(XeroHarness h)
    {
        h.Sources.Contacts.Put(h.TenantId, Data.Contact(1));
        h.Sources.Invoices.Put(h.TenantId, Data.Invoice("inv-1", "INV-1", "cust-0001", Data.Day) with { Status = DocumentStatus.Authorised });
        await h.DriveSyncAsync();
        return (await h.RequiredEntryAsync(RecordKind.Invoice, "inv-1")).RemoteId!;
    }

    private static Task<SyncRun> PullCreditNotesAsync(XeroHarness h) =>
        h.DriveAsync(() => h.Engine.PullAsync(new PullRequest { TenantId = h.TenantId, Kinds = [RecordKind.CreditNote] }));

    /// <summary>A host that tracks refunds: keeps every change it is given, keyed by the host id it answers.</summary>
    private sealed class RefundBooks : CreditNoteTarget
    {
        public ConcurrentQueue<PulledChange<PulledCreditNote>> Changes { get; } = new();

        public override Task<string?> ApplyAsync(PulledChange<PulledCreditNote> change, CancellationToken cancellationToken = default)
        {
            Changes.Enqueue(change);
            return Task.FromResult<string?>(change.HostId ?? "r-" + change.Record.RemoteId);
        }
    }
}
