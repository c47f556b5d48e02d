using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using SyncKit.Records;
using SyncKit.Sources;

namespace SyncKit.Samples.Web.DocsSnippets;

/// <summary>The guide's invoice source, over rows held in memory (a real host reads its own tables).</summary>
public sealed class MyInvoices : SyncSource<InvoiceRecord>
{
    private readonly ConcurrentDictionary<(string TenantId, string SourceId), InvoiceRecord> _rows = new();
    private readonly ConcurrentDictionary<(string TenantId, string SourceId), string> _posted = new();

    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.Invoice;

    /// <summary>Adds or replaces a row.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="invoice">The invoice.</param>
    public void Put(string tenantId, InvoiceRecord invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        _rows[(tenantId, invoice.SourceId)] = invoice;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<InvoiceRecord> GetChangedAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var ((tenant, id), invoice) in _rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (tenant == tenantId && !_posted.ContainsKey((tenant, id)))
            {
                yield return invoice;
            }
        }

        await Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task<InvoiceRecord?> GetAsync(string tenantId, string sourceId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_rows.GetValueOrDefault((tenantId, sourceId)));

    /// <inheritdoc />
    public override Task OnOutcomesAsync(string tenantId, IReadOnlyList<RecordOutcome> outcomes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        foreach (var outcome in outcomes.Where(o => o.Posted))
        {
            _posted[(tenantId, outcome.Key.SourceId)] = outcome.RemoteId ?? string.Empty;
        }

        return Task.CompletedTask;
    }
}
