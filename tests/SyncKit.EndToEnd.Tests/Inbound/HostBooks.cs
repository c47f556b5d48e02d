using System.Collections.Concurrent;
using SyncKit.Inbound;

namespace SyncKit.EndToEnd.Tests.Inbound;

/// <summary>
/// A host's own books as a pull sees them: customers, open invoices and the payments imported from Xero, each keyed by
/// the host's id and remembering the Xero id it came from (so applying the same Xero record twice changes nothing).
/// </summary>
internal sealed class HostBooks
{
    public ConcurrentDictionary<string, HostContact> Contacts { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, HostInvoice> Invoices { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, HostPayment> Payments { get; } = new(StringComparer.Ordinal);

    /// <summary>Host records with a local edit not yet pushed.</summary>
    public ConcurrentDictionary<string, bool> LocalEdits { get; } = new(StringComparer.Ordinal);

    /// <summary>Every change offered to a target, in order.</summary>
    public ConcurrentQueue<(string RemoteId, PullAction Action, bool MayBeApplied)> Offered { get; } = new();

    public ConcurrentQueue<PullConflict> Conflicts { get; } = new();

    /// <summary>Runs before a change is applied: a test stops or fails the host here.</summary>
    public Func<PulledRecord, Task>? BeforeApply { get; set; }

    public HostContactTarget ContactsTarget => new(this);

    public HostPaymentTarget PaymentsTarget => new(this);

    public void AddOpenInvoice(string hostId, string customerName, decimal outstanding) =>
        Invoices[hostId] = new HostInvoice { HostId = hostId, CustomerName = customerName, Outstanding = outstanding };

    internal sealed record HostContact
    {
        public required string HostId { get; init; }

        public required string RemoteId { get; init; }

        public required string Name { get; init; }

        public string? Email { get; init; }

        public bool Archived { get; init; }

        public bool IsSupplier { get; init; }
    }

    internal sealed record HostInvoice
    {
        public required string HostId { get; init; }

        public required string CustomerName { get; init; }

        public required decimal Outstanding { get; init; }
    }

    internal sealed record HostPayment
    {
        public required string HostId { get; init; }

        public required string RemoteId { get; init; }

        public required string InvoiceHostId { get; init; }

        public required decimal Amount { get; init; }

        public bool Reversed { get; init; }
    }

    internal sealed class HostContactTarget(HostBooks books) : SyncTarget<PulledContact>
    {
        public override Records.RecordKind Kind => Records.RecordKind.Contact;

        public override ValueTask<bool> HasPendingChangeAsync(string tenantId, string hostId, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(books.LocalEdits.ContainsKey(hostId));

        public override Task OnConflictAsync(PullConflict conflict, CancellationToken cancellationToken = default)
        {
            books.Conflicts.Enqueue(conflict);
            return Task.CompletedTask;
        }

        public override async Task<string?> ApplyAsync(PulledChange<PulledContact> change, CancellationToken cancellationToken = default)
        {
            books.Offered.Enqueue((change.Record.RemoteId, change.Action, change.MayBeApplied));
            if (books.BeforeApply is { } before)
            {
                await before(change.Record);
            }

            var hostId = change.HostId
                ?? books.Contacts.Values.FirstOrDefault(c => c.RemoteId == change.Record.RemoteId)?.HostId
                ?? "xc-" + change.Record.RemoteId;
            books.Contacts[hostId] = new HostContact
            {
                HostId = hostId,
                RemoteId = change.Record.RemoteId,
                Name = change.Record.Name,
                Email = change.Record.Email,
                Archived = change.Action == PullAction.Archive,
                IsSupplier = change.Record.IsSupplier,
            };
            return hostId;
        }
    }

    internal sealed class HostPaymentTarget(HostBooks books) : PaymentTarget
    {
        public override Task<IReadOnlyList<string>> FindOpenInvoicesAsync(string tenantId, string? customerHostId, PulledPayment payment, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<string>>(
            [
                .. books.Invoices.Values
                    .Where(i => i.CustomerName == payment.ContactName && i.Outstanding == payment.Amount)
                    .Select(i => i.HostId)
                    .Order(StringComparer.Ordinal),
            ]);

        public override async Task<string?> ApplyAsync(PulledChange<PulledPayment> change, CancellationToken cancellationToken = default)
        {
            books.Offered.Enqueue((change.Record.RemoteId, change.Action, change.MayBeApplied));
            if (books.BeforeApply is { } before)
            {
                await before(change.Record);
            }

            // Idempotent on Xero's payment id, as the target contract asks.
            var hostId = "hp-" + change.Record.RemoteId;
            if (change.Action == PullAction.Archive)
            {
                books.Payments[hostId] = books.Payments[hostId] with { Reversed = true };
                return hostId;
            }

            if (books.Payments.TryAdd(hostId, new HostPayment { HostId = hostId, RemoteId = change.Record.RemoteId, InvoiceHostId = change.ParentHostId!, Amount = change.Record.Amount })
                && books.Invoices.TryGetValue(change.ParentHostId!, out var invoice))
            {
                books.Invoices[invoice.HostId] = invoice with { Outstanding = invoice.Outstanding - change.Record.Amount };
            }

            return hostId;
        }
    }
}
