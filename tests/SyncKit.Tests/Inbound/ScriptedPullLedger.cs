using SyncKit.Connectors;
using SyncKit.Inbound;
using SyncKit.Records;

namespace SyncKit.Tests.Inbound;

/// <summary>How a scripted ledger answers a kind's reads.</summary>
public enum ListShape
{
    /// <summary>Xero: records with change times, modified-since filtered, paged by number.</summary>
    NumberPaged,

    /// <summary>Practice Manager's paged-list: no change times, continued by a token.</summary>
    TokenPaged,

    /// <summary>Practice Manager's other lists: no change times, the whole list in one answer.</summary>
    Unpaged,
}

/// <summary>A ledger whose lists the test writes: it answers pull reads only, and records every request.</summary>
internal sealed class ScriptedPullLedger(TimeProvider time) : LedgerConnector
{
    private readonly Dictionary<RecordKind, (ListShape Shape, List<PulledRecord> Records)> _lists = [];

    public List<PullPageRequest> Requests { get; } = [];

    public override string Name => "Scripted";

    public void Set(RecordKind kind, ListShape shape, IEnumerable<PulledRecord> records) => _lists[kind] = (shape, [.. records]);

    public override bool SupportsPull(RecordKind kind) => _lists.ContainsKey(kind);

    /// <summary>Records the ledger answers when asked by id (a targeted read), whether or not its lists hold them.</summary>
    public Dictionary<string, PulledRecord> Named { get; } = new(StringComparer.Ordinal);

    public override Task<PullPage> ReadChangesAsync(PullPageRequest request, CancellationToken cancellationToken = default)
    {
        Requests.Add(request);
        var (shape, records) = _lists[request.Kind];
        var now = time.GetUtcNow();
        if (request.RemoteIds.Count > 0)
        {
            // By id, as Practice Manager's get: one not found is left out.
            return Task.FromResult(new PullPage { Records = [.. request.RemoteIds.Where(Named.ContainsKey).Select(id => Named[id] with { UpdatedAt = now })], Calls = request.RemoteIds.Count, AsOf = now });
        }
        switch (shape)
        {
            case ListShape.Unpaged:
                return Task.FromResult(new PullPage { Records = [.. records.Select(r => r with { UpdatedAt = now })], Unpaged = true, AsOf = now });
            case ListShape.TokenPaged:
                {
                    var start = request.PageToken is { } token ? int.Parse(token, System.Globalization.CultureInfo.InvariantCulture) : 0;
                    var page = records.Skip(start).Take(request.PageSize).Select(r => r with { UpdatedAt = now }).ToList();
                    var next = start + page.Count < records.Count ? (start + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
                    return Task.FromResult(new PullPage { Records = page, HasMore = next is not null, NextPageToken = next, AsOf = now });
                }

            default:
                {
                    var changed = records.Where(r => request.ModifiedSince is null || r.UpdatedAt > request.ModifiedSince).OrderBy(r => r.UpdatedAt).ThenBy(r => r.RemoteId, StringComparer.Ordinal).ToList();
                    var page = changed.Skip((request.Page - 1) * request.PageSize).Take(request.PageSize).ToList();
                    return Task.FromResult(new PullPage { Records = page, HasMore = request.Page * request.PageSize < changed.Count });
                }
        }
    }

    public override Task<ReferenceData> LoadReferenceDataAsync(string tenantId, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Pulls load no reference data.");

    public override Task<PushResult> PushAsync(PushBatch batch, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("This ledger is read by pulls only.");

    public override Task<IReadOnlyList<RemoteMatch>> FindCandidatesAsync(string tenantId, PushElement element, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RemoteMatch>>([]);
}
