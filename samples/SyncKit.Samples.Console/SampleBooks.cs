using System.Collections.Concurrent;
using SyncKit.Inbound;

namespace SyncKit.Samples.Console;

/// <summary>
/// The sample host's receivables as a pull sees them: open invoices by customer name and the payments imported from Xero.
/// A real host implements <see cref="PaymentTarget"/> over its own tables.
/// </summary>
internal sealed class SampleBooks
{
    /// <summary>Open invoices: host id → (customer, amount outstanding).</summary>
    public ConcurrentDictionary<string, (string Customer, decimal Outstanding)> OpenInvoices { get; } = new(StringComparer.Ordinal);

    /// <summary>Imported payments: Xero payment id → (host invoice, amount).</summary>
    public ConcurrentDictionary<string, (string InvoiceHostId, decimal Amount)> Payments { get; } = new(StringComparer.Ordinal);

    public PaymentTarget Target => new PaymentsTarget(this);

    private sealed class PaymentsTarget(SampleBooks books) : PaymentTarget
    {
        public override Task<IReadOnlyList<string>> FindOpenInvoicesAsync(string tenantId, string? customerHostId, PulledPayment payment, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<string>>(
                [.. books.OpenInvoices.Where(i => i.Value.Customer == payment.ContactName && i.Value.Outstanding == payment.Amount).Select(i => i.Key).Order(StringComparer.Ordinal)]);

        public override Task<string?> ApplyAsync(PulledChange<PulledPayment> change, CancellationToken cancellationToken = default)
        {
            // Idempotent on Xero's payment id: the same payment applied twice changes nothing.
            var invoice = change.ParentHostId!;
            if (change.Action != PullAction.Archive && books.Payments.TryAdd(change.Record.RemoteId, (invoice, change.Record.Amount))
                && books.OpenInvoices.TryGetValue(invoice, out var open))
            {
                books.OpenInvoices[invoice] = (open.Customer, open.Outstanding - change.Record.Amount);
            }

            return Task.FromResult<string?>("pay-" + change.Record.RemoteId);
        }
    }
}
