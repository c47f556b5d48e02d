using System.Runtime.CompilerServices;
using SyncKit.Records;
using SyncKit.Sources;

namespace SyncKit.Samples.Console.DocsSnippets;

// A host's invoice source as docs/getting-started.md shows it: unposted or changed invoices from the host's own store.
internal sealed class MyInvoices : SyncSource<InvoiceRecord>
{
    private readonly Dictionary<string, InvoiceRecord> _rows = [];
    private readonly HashSet<string> _posted = [];

    public override async IAsyncEnumerable<InvoiceRecord> GetChangedAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var invoice in _rows.Values.Where(i => !_posted.Contains(i.SourceId)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return invoice;
        }

        await Task.CompletedTask;
    }

    public override Task<InvoiceRecord?> GetAsync(string tenantId, string sourceId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_rows.GetValueOrDefault(sourceId));

    public override Task OnOutcomesAsync(string tenantId, IReadOnlyList<RecordOutcome> outcomes, CancellationToken cancellationToken = default)
    {
        foreach (var outcome in outcomes.Where(o => o.Posted))
        {
            _posted.Add(outcome.Key.SourceId); // mark the host's row posted, with outcome.RemoteId
        }

        return Task.CompletedTask;
    }

    public override RecordKind Kind => RecordKind.Invoice;
}
