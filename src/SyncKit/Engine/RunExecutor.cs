using System.Globalization;
using Microsoft.Extensions.Logging;
using SyncKit.Connectors;
using SyncKit.Errors;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Sources;
using SyncKit.Storage;
using SyncKit.Telemetry;

namespace SyncKit.Engine;

/// <summary>
/// Carries out one run: streams records chunk by chunk, prepares them, pushes ready ones in batches, writes each
/// outcome to the ledger, and tells the source once its reader is closed. Memory holds one chunk, never the whole source.
/// </summary>
/// <remarks>
/// The write path, and what makes each step safe to die in: observe (entries saved before anything is sent) → claim
/// (InFlight with the batch's idempotency key, saved before the call) → send → settle (saved with the claim's version,
/// so a run that lost its claim cannot overwrite what another run decided) → notify (outcomes flagged in the ledger
/// until the source has been told). A claim left by a run that no longer holds the tenant's lease is Uncertain and
/// is looked up before anything is created again.
/// </remarks>
internal sealed class RunExecutor
{
    private readonly EngineServices _services;
    private readonly RunScope _scope;
    private readonly RunCounter _counter = new();
    private readonly CancellationToken _cancellationToken;
    private readonly List<string> _problems = [];

    // Remote ids adopted by reconciliation in this run, by kind: two uncertain records never adopt one remote record.
    private readonly Dictionary<RecordKind, HashSet<string>> _adopted = [];

    // Batches in flight share the run's ledger writes, counters and tenant state: only their calls overlap.
    private readonly SemaphoreSlim _ledgerGate = new(1, 1);
    private TenantState _tenant;

    // What the connector says of each kind's access this run (null: allowed), asked once per kind before its records.
    private readonly Dictionary<RecordKind, SyncFailure?> _access = [];

    public RunExecutor(EngineServices services, RunScope scope, TenantState tenant, CancellationToken cancellationToken)
    {
        _services = services;
        _scope = scope;
        _tenant = tenant;
        _cancellationToken = cancellationToken;
    }

    public RunCounter Counter => _counter;

    /// <summary>What went wrong outside any one record (a source that failed mid-read), for the run's message.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>Records a problem for the run's message (a pull's missing target, for one).</summary>
    public void AddProblem(string problem) => _problems.Add(problem);

    /// <summary>Records forced through even when synced and unchanged (a user's re-sync).</summary>
    public bool Force { get; init; }

    public async Task SyncKindsAsync(IReadOnlyList<RecordKind> kinds)
    {
        foreach (var kind in kinds)
        {
            var source = _services.SourceFor(kind);
            if (source is null || !_services.Connector.Supports(kind))
            {
                continue;
            }

            await CheckAccessAsync(kind).ConfigureAwait(false);
            await foreach (var chunk in SyncEngine.Chunk(ReadSourceAsync(source, kind), _services.Options.ReadChunkSize, _cancellationToken).ConfigureAwait(false))
            {
                await ProcessChunkAsync(chunk).ConfigureAwait(false);
            }

            await SweepAsync(kind, source).ConfigureAwait(false);
            await DeliverOutcomesAsync(kind, source).ConfigureAwait(false);
        }
    }

    /// <summary>A user's re-sync of one record: read it, push it (or fail it when it cannot be read), tell the source.</summary>
    /// <exception cref="InvalidOperationException">Neither the source nor the ledger has the record.</exception>
    public async Task SyncOneAsync(SyncSource source, LedgerKey key)
    {
        await CheckAccessAsync(key.Kind).ConfigureAwait(false);
        var (record, failure) = await ReadOneAsync(source, key).ConfigureAwait(false);
        if (record is not null)
        {
            await ProcessChunkAsync([record]).ConfigureAwait(false);
        }
        else
        {
            var entry = await _services.Ledger.GetAsync(key, _cancellationToken).ConfigureAwait(false);
            if (entry is null && failure!.Code == FailureCodes.SourceRecordMissing)
            {
                throw new InvalidOperationException($"The source has no record {key}, and the ledger has never seen it.");
            }

            await FailEntryAsync(entry ?? LedgerTransitions.New(key, "unread", key.SourceId, _scope.Now), failure!).ConfigureAwait(false);
        }

        await DeliverOutcomesAsync(key.Kind, source).ConfigureAwait(false);
    }

    /// <summary>The source's stream, with a failure of the stream itself turned into a problem of this kind only.</summary>
    private async IAsyncEnumerable<SyncRecord> ReadSourceAsync(SyncSource source, RecordKind kind)
    {
        IAsyncEnumerator<SyncRecord>? reader = null;
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    reader ??= source.ReadChangedAsync(_scope.TenantId, _cancellationToken).GetAsyncEnumerator(_cancellationToken);
                    more = await reader.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (!_cancellationToken.IsCancellationRequested)
                {
                    Log.SourceStreamFailed(_services.Logger, ex, kind);
                    _problems.Add($"Could not read {kind} records from your system: {ex.Message} The {kind} records read before that were processed; the rest wait for the next run.");
                    yield break;
                }

                if (!more)
                {
                    yield break;
                }

                yield return reader.Current;
            }
        }
        finally
        {
            if (reader is not null)
            {
                try
                {
                    await reader.DisposeAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (!_cancellationToken.IsCancellationRequested)
                {
                    Log.SourceStreamFailed(_services.Logger, ex, kind);
                }
            }
        }
    }

    /// <summary>
    /// Entries waiting to go (Pending, due retries, Uncertain, abandoned claims) that the source did not yield this run;
    /// and, once the connector allows the kind again, those that waited for that permission.
    /// </summary>
    private async Task SweepAsync(RecordKind kind, SyncSource source)
    {
        await SweepAsync(kind, source, [LedgerState.Pending, LedgerState.RetryScheduled, LedgerState.Uncertain, LedgerState.InFlight], errorCategory: null).ConfigureAwait(false);
        if (_access.TryGetValue(kind, out var denied) && denied is null)
        {
            await SweepAsync(kind, source, [LedgerState.Failed], ErrorCategories.MissingScope).ConfigureAwait(false);
        }
    }

    private async Task SweepAsync(RecordKind kind, SyncSource source, IReadOnlyList<LedgerState> states, string? errorCategory)
    {
        string? token = null;
        do
        {
            var page = await _services.Ledger.QueryAsync(
                new LedgerQuery
                {
                    TenantId = _scope.TenantId,
                    Kinds = [kind],
                    States = states,
                    ErrorCategory = errorCategory,
                    NotTouchedByRunId = _scope.RunId,
                    DueAt = _scope.Now,
                    PageSize = _services.Options.ReadChunkSize,
                    ContinuationToken = token,
                },
                _cancellationToken).ConfigureAwait(false);
            token = page.ContinuationToken;

            var records = new List<SyncRecord>(page.Entries.Count);
            foreach (var entry in page.Entries.Where(e => e.SourceId.Length > 0))
            {
                var (record, failure) = await ReadOneAsync(source, entry.Key).ConfigureAwait(false);
                if (record is not null)
                {
                    records.Add(record);
                }
                else
                {
                    await FailEntryAsync(entry, failure!).ConfigureAwait(false);
                }
            }

            await ProcessChunkAsync(records).ConfigureAwait(false);
        }
        while (token is not null);
    }

    /// <summary>Reads one record; when there is none, the failure to put on its entry (missing, or the read threw).</summary>
    private async Task<(SyncRecord? Record, SyncFailure? Failure)> ReadOneAsync(SyncSource source, LedgerKey key)
    {
        try
        {
            return await source.ReadOneAsync(_scope.TenantId, key.SourceId, _cancellationToken).ConfigureAwait(false) is { } record
                ? (record, null)
                : (null, new SyncFailure { Source = FailureSource.Validation, Code = FailureCodes.SourceRecordMissing, Kind = key.Kind, Messages = [$"The source has no record '{key.SourceId}'."] });
        }
        catch (Exception ex) when (!_cancellationToken.IsCancellationRequested)
        {
            // A read that throws fails that record (on the error tab), not the run.
            Log.SourceReadFailed(_services.Logger, ex, key.Kind);
            return (null, new SyncFailure { Source = FailureSource.Internal, Code = FailureCodes.SourceReadFailed, Kind = key.Kind, Messages = [$"Reading '{key.SourceId}' failed: {ex.Message}"] });
        }
    }

    /// <summary>Fails an entry whose record could not be read.</summary>
    private async Task FailEntryAsync(LedgerEntry entry, SyncFailure failure)
    {
        if (entry.State == LedgerState.Uncertain)
        {
            // Still a question for the lookup, which needs the record: it waits, visibly Uncertain, until it can be read.
            return;
        }

        var now = _scope.Now;
        var retried = new LedgerEvent.RetryRequested();
        var next = IsAbandonedClaim(entry)

            // A dead run's claim must stay a question for the lookup: failing it would forget that the write may have landed.
            ? LedgerTransitions.Apply(entry, new LedgerEvent.ClaimAbandoned(AbandonedError(entry, now)), now) with { OutcomePending = true }
            : Failure(entry, failure) ?? (LedgerTransitions.IsAllowed(entry, retried) ? Failure(LedgerTransitions.Apply(entry, retried, now), failure) : null);
        if (next is null)
        {
            // A Synced, Skipped or Held record that cannot be read now keeps its state; the run says what happened.
            _problems.Add($"{entry.Kind} '{entry.SourceId}': {failure.MessageText}");
            return;
        }

        await SaveSettledAsync([next with { RunId = _scope.RunId }]).ConfigureAwait(false);
    }

    public async Task ProcessChunkAsync(IReadOnlyList<SyncRecord> chunk)
    {
        if (chunk.Count == 0)
        {
            return;
        }

        foreach (var group in chunk.GroupBy(KindOf))
        {
            if (group.Key is { } kind)
            {
                await ProcessKindAsync(kind, group.ToList()).ConfigureAwait(false);
            }
        }
    }

    private static RecordKind? KindOf(SyncRecord? record)
    {
        try
        {
            return record?.Kind;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null;
        }
    }

    private async Task ProcessKindAsync(RecordKind kind, List<SyncRecord> records)
    {
        var read = ReadChunk(kind, records);
        if (read.WithoutId.Count > 0)
        {
            await FailRecordsWithoutIdAsync(kind, read.WithoutId).ConfigureAwait(false);
        }

        var bySource = read.BySource;
        if (bySource.Count == 0)
        {
            return;
        }

        var entries = await _services.Ledger.GetManyAsync(_scope.TenantId, kind, bySource.Keys, _cancellationToken).ConfigureAwait(false);
        await _scope.LoadLinksAsync(_services.Ledger, bySource.Values.Select(r => r.Record), _cancellationToken).ConfigureAwait(false);

        var now = _scope.Now;
        var candidates = new List<(ReadRecord Read, LedgerEntry Entry)>();
        var observedOnly = new List<LedgerEntry>();
        var duplicates = new List<(LedgerEntry Entry, string Message)>();
        foreach (var (sourceId, item) in bySource)
        {
            _counter.Seen++;
            var key = new LedgerKey(_scope.TenantId, kind, sourceId);
            entries.TryGetValue(sourceId, out var existing);
            var known = existing is not null && IsAbandonedClaim(existing)
                ? LedgerTransitions.Apply(existing, new LedgerEvent.ClaimAbandoned(AbandonedError(existing, now)), now)
                : existing;

            // The same id twice in this run with other content: two host records share an id; neither is sent.
            var duplicate = item.DuplicateOf ?? (existing is { } seen && seen.RunId == _scope.RunId && seen.ContentHash != item.Digest.Hash && seen.State != LedgerState.InFlight
                ? seen.DisplayName ?? sourceId
                : null);

            var entry = known is not null
                ? LedgerTransitions.Apply(known, new LedgerEvent.Observed(item.Digest.Hash, item.DisplayName), now)
                : LedgerTransitions.New(key, item.Digest.Hash, item.DisplayName, now);

            if (duplicate is not null)
            {
                duplicates.Add((entry with { RunId = _scope.RunId }, $"Your system gave two different {kind} records with the id '{sourceId}' in one sync ('{duplicate}' and '{item.DisplayName}'). Neither was sent: every record needs its own id."));
            }
            else if (IsCandidate(entry, now))
            {
                candidates.Add((item, entry with { RunId = _scope.RunId }));
            }
            else
            {
                _counter.Unchanged++;
                if (existing is not null && (existing.ContentHash != entry.ContentHash || existing.State != entry.State || existing.DisplayName != entry.DisplayName))
                {
                    observedOnly.Add(entry);
                }
            }
        }

        // Candidates the ledger already holds are written first (as Pending, Unmapped, ...), so a run that stops part-way
        // leaves nothing unrecorded. A record the ledger has never seen is written once, with its first decision (its
        // claim, or the state it settles in): one write fewer per new record. Should the run stop before that, it is
        // written as Pending then; should the node die, the ledger never saw it and it is new again next run.
        var saved = await SaveAsync([.. observedOnly, .. candidates.Where(c => !IsNew(c.Entry)).Select(c => c.Entry), .. duplicates.Select(d => d.Entry)]).ConfigureAwait(false);
        var unwritten = candidates.Where(c => IsNew(c.Entry)).Select(c => c.Entry).ToList();
        try
        {
            await DecideAndPushAsync(kind, candidates, duplicates, saved).ConfigureAwait(false);
        }
        catch (Exception) when (unwritten.Count > 0)
        {
            await ObserveUnwrittenAsync(unwritten).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>An entry the ledger does not hold yet (read at no version).</summary>
    private static bool IsNew(LedgerEntry entry) => entry.Version == 0;

    /// <summary>
    /// After a stop, writes the new entries that were not yet written as they were observed (Pending): an insert that
    /// leaves alone any entry the run did write (claimed or settled). Best effort: the stop is what the caller reports.
    /// </summary>
    private async Task ObserveUnwrittenAsync(List<LedgerEntry> unwritten)
    {
        try
        {
            await _services.Ledger.SaveAsync(unwritten, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.ObserveAfterStopFailed(_services.Logger, ex, unwritten.Count);
        }
    }

    /// <summary>Prepares a chunk's candidates (saved, or new and unwritten), settles what is decided locally, and pushes the rest.</summary>
    private async Task DecideAndPushAsync(
        RecordKind kind,
        List<(ReadRecord Read, LedgerEntry Entry)> candidates,
        List<(LedgerEntry Entry, string Message)> duplicates,
        IReadOnlyDictionary<LedgerKey, LedgerEntry> saved)
    {
        var now = _scope.Now;

        var ready = new List<(Preparation.Ready Prepared, LedgerEntry Entry)>();
        var uncertain = new List<(Preparation.Ready Prepared, LedgerEntry Entry)>();
        var settled = new List<LedgerEntry>();
        foreach (var (entry, message) in duplicates)
        {
            if (saved.TryGetValue(entry.Key, out var current) && Failure(current, FailureCodes.SourceIdInvalid, message) is { } failed)
            {
                settled.Add(failed);
            }
        }

        foreach (var (item, entry) in candidates)
        {
            var current = IsNew(entry) ? entry : saved.GetValueOrDefault(entry.Key);
            if (current is null)
            {
                continue;
            }

            var prepared = await PrepareAsync(item, current).ConfigureAwait(false);
            switch (prepared)
            {
                // An update that may have landed is simply sent again: an update with the same content is harmless.
                case Preparation.Ready r when current.State == LedgerState.Uncertain && current.RemoteId is not null:
                    ready.Add((r, LedgerTransitions.Apply(current, new LedgerEvent.ReconciledNotFound(), now)));
                    break;
                case Preparation.Ready r when current.State == LedgerState.Uncertain:
                    uncertain.Add((r, current));
                    break;
                case Preparation.Ready r:
                    ready.Add((r, current));
                    break;
                case Preparation.Settled when current.State == LedgerState.Uncertain:
                    // An uncertain write is only ever settled by a lookup; it waits until the record can be prepared again.
                    break;
                case Preparation.Settled s:
                    settled.Add(LedgerTransitions.Apply(current, s.Event, _scope.Now) with { OutcomePending = true });
                    break;
            }
        }

        await ReconcileAsync(uncertain, ready, settled).ConfigureAwait(false);
        await SaveSettledAsync(settled).ConfigureAwait(false);

        await PushAllAsync(kind, Batches(ready)).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a kind's batches, up to the connector's limit in flight at once. Only the calls overlap: each batch's claim
    /// and settle (and a refused batch's lookup) take the run's ledger gate, so the ledger sees one write at a time, in an
    /// order any single-batch run could have produced, and every claim/settle invariant holds per batch as before.
    /// </summary>
    private async Task PushAllAsync(RecordKind kind, IEnumerable<List<(Preparation.Ready Prepared, LedgerEntry Entry)>> batches)
    {
        var queue = new Queue<List<(Preparation.Ready Prepared, LedgerEntry Entry)>>(batches);
        var limit = Math.Max(1, _services.Connector.MaxBatchesInFlight(kind));
        var running = new List<Task<List<(Preparation.Ready Prepared, LedgerEntry Entry)>>>(limit);
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? stopped = null;
        while (true)
        {
            // After a stop (pause, disconnect, a crash) nothing new is sent; batches already in flight are settled.
            while (stopped is null && running.Count < limit && queue.TryDequeue(out var batch))
            {
                var push = PushAsync(batch);
                if (push.IsCompleted)
                {
                    // Answered at once (a held tenant, a local failure): its outcome counts before the next batch goes.
                    await CompleteAsync(push).ConfigureAwait(false);
                }
                else
                {
                    running.Add(push);
                }
            }

            if (running.Count == 0)
            {
                break;
            }

            var done = await Task.WhenAny(running).ConfigureAwait(false);
            running.Remove(done);
            await CompleteAsync(done).ConfigureAwait(false);
        }

        stopped?.Throw();

        async Task CompleteAsync(Task<List<(Preparation.Ready Prepared, LedgerEntry Entry)>> push)
        {
            List<(Preparation.Ready Prepared, LedgerEntry Entry)> refused;
            try
            {
                refused = await push.ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                stopped ??= System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex);
                return;
            }

            if (refused.Count <= 1 || stopped is not null)
            {
                return;
            }

            await _ledgerGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                // The ledger refused the whole batch with a server error: look the batch up (whatever landed is
                // adopted), then send the rest in halves, so one record that the ledger cannot take fails alone.
                var again = new List<(Preparation.Ready Prepared, LedgerEntry Entry)>();
                var looked = new List<LedgerEntry>();
                await ReconcileAsync(refused, again, looked, splitting: true).ConfigureAwait(false);
                await SaveSettledAsync(looked).ConfigureAwait(false);

                var pending = await SaveAsync([.. again.Select(a => a.Entry)]).ConfigureAwait(false);
                var resend = again.Where(a => pending.ContainsKey(a.Entry.Key)).Select(a => (a.Prepared, pending[a.Entry.Key])).ToList();
                var half = (resend.Count + 1) / 2;
                foreach (var part in resend.Chunk(Math.Max(1, half)))
                {
                    queue.Enqueue([.. part]);
                }
            }
            catch (Exception ex)
            {
                stopped ??= System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex);
            }
            finally
            {
                _ledgerGate.Release();
            }
        }
    }

    /// <summary>A chunk's records of one kind, described once, with ids checked: the last copy of an identical record wins.</summary>
    private ChunkRead ReadChunk(RecordKind kind, List<SyncRecord> records)
    {
        var bySource = new Dictionary<string, ReadRecord>(StringComparer.Ordinal);
        var withoutId = new List<string>();
        foreach (var record in records)
        {
            var sourceId = SourceIdOf(record);
            var described = Describe(record, sourceId);
            if (string.IsNullOrWhiteSpace(sourceId))
            {
                withoutId.Add(described.DisplayName);
                continue;
            }

            if (bySource.TryGetValue(sourceId, out var earlier) && earlier.Digest.Hash != described.Digest.Hash)
            {
                described = described with { DuplicateOf = earlier.DisplayName };
            }

            bySource[sourceId] = described with { DuplicateOf = described.DuplicateOf ?? earlier?.DuplicateOf };
        }

        return new ChunkRead(bySource, withoutId);

        static string? SourceIdOf(SyncRecord record)
        {
            try
            {
                return record.SourceId;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return null;
            }
        }

        ReadRecord Describe(SyncRecord record, string? sourceId)
        {
            string displayName;
            try
            {
                displayName = string.IsNullOrWhiteSpace(record.DisplayName) ? sourceId ?? $"(a {kind} without an id)" : record.DisplayName;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                displayName = sourceId ?? $"(a {kind} without an id)";
            }

            // A record too malformed to hash still gets an entry; preparing it then fails with the reason.
            ContentDigest digest;
            try
            {
                digest = ContentHasher.Digest(record);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                digest = new ContentDigest("unhashable:" + ex.GetType().Name, null, null);
            }

            return new ReadRecord(record, digest, displayName, null);
        }
    }

    /// <summary>Records with no id cannot have entries of their own: one entry per kind (with an empty id) lists them.</summary>
    private async Task FailRecordsWithoutIdAsync(RecordKind kind, List<string> names)
    {
        Log.RecordWithoutId(_services.Logger, kind, names.Count);
        var key = new LedgerKey(_scope.TenantId, kind, string.Empty);
        var now = _scope.Now;
        var shown = string.Join(", ", names.Take(5).Select(n => $"'{n}'"));
        var message = $"{names.Count} {kind} record{(names.Count == 1 ? " has" : "s have")} no id in your system ({shown}{(names.Count > 5 ? ", ..." : string.Empty)}), so SyncKit cannot track or send {(names.Count == 1 ? "it" : "them")}. Give every record an id.";
        var hash = ContentHasher.Hash(message);
        var existing = await _services.Ledger.GetAsync(key, _cancellationToken).ConfigureAwait(false);
        var entry = existing is null
            ? LedgerTransitions.New(key, hash, $"{kind} records without an id", now)
            : LedgerTransitions.Apply(existing, new LedgerEvent.Observed(hash, $"{kind} records without an id"), now);
        _counter.Seen += names.Count;
        if (Failure(entry, FailureCodes.SourceIdInvalid, message) is { } failed)
        {
            await SaveSettledAsync([failed with { RunId = _scope.RunId }]).ConfigureAwait(false);
        }
    }

    private LedgerEntry? Failure(LedgerEntry entry, string code, string message) =>
        Failure(entry, new SyncFailure { Source = FailureSource.Validation, Code = code, Kind = entry.Kind, Messages = [message] });

    /// <summary>The entry failed with a classified failure (its outcome to be told), or null when it cannot fail in its state.</summary>
    private LedgerEntry? Failure(LedgerEntry entry, SyncFailure failure)
    {
        var failed = new LedgerEvent.Failed(_services.Classifier.Classify(failure, _scope.Now), null);
        return LedgerTransitions.IsAllowed(entry, failed) ? LedgerTransitions.Apply(entry, failed, _scope.Now) with { OutcomePending = true } : null;
    }

    /// <summary>Asks the connector once per run whether it may send a kind (a permission the connection may lack).</summary>
    private async Task CheckAccessAsync(RecordKind kind)
    {
        if (!_access.ContainsKey(kind))
        {
            _access[kind] = await _services.Connector.CheckAccessAsync(_scope.TenantId, kind, _cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A Failed record that waited for a permission the connection now has.</summary>
    private bool WaitedForAccess(LedgerEntry entry) =>
        string.Equals(entry.Error?.Category, ErrorCategories.MissingScope, StringComparison.Ordinal)
        && _access.TryGetValue(entry.Kind, out var denied) && denied is null;

    private async Task<Preparation> PrepareAsync(ReadRecord item, LedgerEntry entry)
    {
        if (_access.GetValueOrDefault(entry.Kind) is { } denied)
        {
            // Never a call for a kind the connection may not touch: the record waits, saying which permission to grant.
            return new Preparation.Settled(new LedgerEvent.Failed(_services.Classifier.Classify(denied with { Kind = entry.Kind }, _scope.Now), null));
        }

        if (item.Digest.InvalidTextField is { } field)
        {
            return new Preparation.Settled(new LedgerEvent.Failed(
                _services.Classifier.Classify(
                    new SyncFailure
                    {
                        Source = FailureSource.Validation,
                        Code = FailureCodes.InvalidText,
                        Kind = entry.Kind,
                        Details = new Dictionary<string, string> { ["Field"] = field },
                        Messages = [$"{field} contains {item.Digest.InvalidTextReason}, which Xero cannot store as sent."],
                    },
                    _scope.Now),
                null));
        }

        return await _services.Preparer.PrepareAsync(item.Record, entry, _scope, _cancellationToken).ConfigureAwait(false);
    }

    // This run holds the tenant's lease (every run and every single-record action takes the same one), so a claim made
    // by any other run belongs to a run that has stopped: the write may have landed, and it is looked up first.
    private bool IsAbandonedClaim(LedgerEntry entry) => entry.State == LedgerState.InFlight && entry.RunId != _scope.RunId;

    private SyncError AbandonedError(LedgerEntry entry, DateTimeOffset now) => _services.Classifier.Classify(
        new SyncFailure
        {
            Source = FailureSource.Transport,
            Kind = entry.Kind,
            WriteMayHaveLanded = true,
            Messages = [$"Run {entry.RunId} stopped while sending this record; whether Xero saved it is checked before it is sent again."],
        },
        now);

    private bool IsCandidate(LedgerEntry entry, DateTimeOffset now) => entry.State switch
    {
        LedgerState.Synced => Force,
        LedgerState.Failed => Force || WaitedForAccess(entry),
        _ => LedgerTransitions.IsDue(entry, now),
    };

    /// <summary>
    /// Looks uncertain writes up in the ledger, a batch per call. A candidate another entry owns is never adopted; one
    /// remaining candidate is adopted; none means the write did not land (sent again); several is the user's choice.
    /// </summary>
    private async Task ReconcileAsync(
        List<(Preparation.Ready Prepared, LedgerEntry Entry)> uncertain,
        List<(Preparation.Ready Prepared, LedgerEntry Entry)> ready,
        List<LedgerEntry> settled,
        bool splitting = false)
    {
        foreach (var batch in Batches(uncertain))
        {
            IReadOnlyDictionary<string, IReadOnlyList<RemoteMatch>> matches;
            try
            {
                matches = await _services.Connector.FindCandidatesManyAsync(_scope.TenantId, batch.Select(b => b.Prepared.Element).ToArray(), _cancellationToken).ConfigureAwait(false);
            }
            catch (ConnectorException ex)
            {
                // A failed lookup is these records' problem, not the run's: they stay Uncertain and are looked up again
                // next run. Only a failure that stops the tenant (daily limit, connection refused) stops the run.
                _counter.Calls++;
                var error = _services.Classifier.Classify(ex.Failure with { Kind = ex.Failure.Kind ?? batch[0].Entry.Kind }, _scope.Now);
                if (error.Disposition is ErrorDisposition.PauseTenant or ErrorDisposition.Reconnect or ErrorDisposition.StopRun)
                {
                    await StopForAsync(error, ex.Failure.RetryAfter).ConfigureAwait(false);
                }

                _counter.Uncertain += batch.Count;
                continue;
            }

            _counter.Calls++;
            var kind = batch[0].Entry.Kind;
            var owners = await OwnersAsync(kind, matches.Values.SelectMany(m => m).Select(m => m.RemoteId)).ConfigureAwait(false);
            var adopted = AdoptedIn(kind);
            var available = batch.ToDictionary(
                b => b.Entry.Key,
                b => (matches.GetValueOrDefault(b.Entry.SourceId) ?? [])
                    .Where(m => !owners.TryGetValue(m.RemoteId, out var owner) || owner == b.Entry.Key)
                    .DistinctBy(m => m.RemoteId, StringComparer.Ordinal)
                    .ToList());

            List<RemoteMatch> Fits(LedgerKey key) => [.. available[key].Where(m => !adopted.Contains(m.RemoteId))];
            void Adopt(Preparation.Ready prepared, LedgerEntry entry, RemoteMatch match)
            {
                adopted.Add(match.RemoteId);
                _counter.Reconciled++;
                settled.Add(LedgerTransitions.Apply(entry, new LedgerEvent.ReconciledFound(match.RemoteId), _scope.Now) with { Warnings = prepared.Warnings, OutcomePending = true });
            }

            // A record with one candidate left takes it first, and again while that narrows others to one: a record Xero
            // keeps unique (an invoice number) is never offered to its look-alikes without a number.
            var open = batch.ToList();
            for (var narrowed = true; narrowed;)
            {
                narrowed = false;
                foreach (var (prepared, entry) in open.ToList())
                {
                    if (Fits(entry.Key) is [var only])
                    {
                        Adopt(prepared, entry, only);
                        open.Remove((prepared, entry));
                        narrowed = true;
                    }
                }
            }

            // Records whose lookups left the very same candidates are interchangeable (identical part-payments): as
            // many of them as there are candidates adopt one each; the rest did not land.
            var candidates = open.ToDictionary(o => o.Entry.Key, o => Fits(o.Entry.Key));
            var sharing = candidates.Values
                .Select(CandidateSet)
                .GroupBy(s => s, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

            foreach (var (prepared, entry) in open)
            {
                var fits = Fits(entry.Key);
                var all = candidates[entry.Key];
                if (fits.Count == 0 && !splitting && entry.Attempts >= _services.Options.MaxAutomaticAttempts)
                {
                    // Sent and lost again and again (a server error on this record alone): stop, and say so.
                    var error = _services.Classifier.Classify(
                        new SyncFailure
                        {
                            Source = FailureSource.Remote,
                            Code = FailureCodes.RepeatedServerError,
                            Kind = entry.Kind,
                            Messages = [$"Xero failed on this record {entry.Attempts} times without saving it. {entry.Error?.Message}".TrimEnd()],
                        },
                        _scope.Now);
                    settled.Add(LedgerTransitions.Apply(entry, new LedgerEvent.Failed(error, null), _scope.Now) with { OutcomePending = true });
                }
                else if (fits.Count == 0)
                {
                    ready.Add((prepared, LedgerTransitions.Apply(entry, new LedgerEvent.ReconciledNotFound(), _scope.Now)));
                }
                else if (sharing[CandidateSet(all)] >= all.Count)
                {
                    Adopt(prepared, entry, fits[0]);
                }
                else
                {
                    var described = string.Join("; ", fits.Select(m => m.Description ?? m.RemoteReference ?? m.RemoteId));
                    var error = _services.Classifier.Classify(
                        new SyncFailure
                        {
                            Source = FailureSource.Validation,
                            Code = FailureCodes.NeedsReconciliation,
                            Kind = entry.Kind,
                            Details = new Dictionary<string, string> { ["Candidates"] = string.Join(",", fits.Select(m => m.RemoteId)) },
                            Messages = [$"A write of this record may have reached Xero, and Xero holds {fits.Count} records that fit it, none linked to another record: {described}. Link it to the right one, or send it as new."],
                        },
                        _scope.Now);
                    settled.Add(LedgerTransitions.Apply(entry, new LedgerEvent.Failed(error, null), _scope.Now) with { OutcomePending = true });
                }
            }
        }

        static string CandidateSet(List<RemoteMatch> matches) => string.Join(",", matches.Select(m => m.RemoteId).Order(StringComparer.Ordinal));
    }

    private HashSet<string> AdoptedIn(RecordKind kind)
    {
        if (!_adopted.TryGetValue(kind, out var set))
        {
            _adopted[kind] = set = new HashSet<string>(StringComparer.Ordinal);
        }

        return set;
    }

    private async Task<IReadOnlyDictionary<string, LedgerKey>> OwnersAsync(RecordKind kind, IEnumerable<string> remoteIds)
    {
        var ids = remoteIds.Distinct(StringComparer.Ordinal).ToArray();
        return ids.Length == 0
            ? new Dictionary<string, LedgerKey>(StringComparer.Ordinal)
            : await _services.Ledger.FindOwnersAsync(_scope.TenantId, kind, ids, _cancellationToken).ConfigureAwait(false);
    }

    private IEnumerable<List<(Preparation.Ready Prepared, LedgerEntry Entry)>> Batches(List<(Preparation.Ready Prepared, LedgerEntry Entry)> ready)
    {
        // A negative invoice goes as a credit note: batches hold one pushed kind each.
        foreach (var byPushedKind in ready.GroupBy(r => r.Prepared.Element.Record.Kind))
        {
            var size = Math.Max(1, _services.Connector.MaxBatchSize(byPushedKind.Key));
            foreach (var batch in byPushedKind.Chunk(size))
            {
                yield return [.. batch];
            }
        }
    }

    /// <summary>Claims, sends and settles one batch; returns the elements the ledger refused as a whole with a server error.</summary>
    private async Task<List<(Preparation.Ready Prepared, LedgerEntry Entry)>> PushAsync(List<(Preparation.Ready Prepared, LedgerEntry Entry)> batch)
    {
        var pushedKind = batch[0].Prepared.Element.Record.Kind;
        var idempotencyKey = IdempotencyKey(pushedKind, batch.Select(b => b.Entry));
        IReadOnlyDictionary<LedgerKey, LedgerEntry> claimed;
        List<(Preparation.Ready Prepared, LedgerEntry Entry)> elements;
        await _ledgerGate.WaitAsync(_cancellationToken).ConfigureAwait(false);
        try
        {
            // Claim: the key is stored with each entry before the call.
            var claims = batch.Select(b => LedgerTransitions.Apply(b.Entry, new LedgerEvent.Claimed(_scope.RunId, idempotencyKey), _scope.Now)).ToList();
            claimed = await SaveAsync(claims).ConfigureAwait(false);
            elements = batch.Where(b => claimed.ContainsKey(b.Entry.Key)).ToList();
            if (elements.Count == 0)
            {
                return [];
            }

            if (elements.Count != batch.Count)
            {
                // Composition changed: the key must change with it.
                idempotencyKey = IdempotencyKey(pushedKind, elements.Select(e => claimed[e.Entry.Key]));
                var reclaimed = elements.Select(e => claimed[e.Entry.Key] with { IdempotencyKey = idempotencyKey }).ToList();
                claimed = await SaveAsync(reclaimed).ConfigureAwait(false);
                elements = elements.Where(b => claimed.ContainsKey(b.Entry.Key)).ToList();
            }

            _counter.Sent += elements.Count;
            _counter.Calls++;
        }
        finally
        {
            _ledgerGate.Release();
        }

        var pushBatch = new PushBatch
        {
            TenantId = _scope.TenantId,
            Kind = pushedKind,
            IdempotencyKey = idempotencyKey,
            Elements = elements.Select(e => e.Prepared.Element).ToArray(),
        };

        _services.Metrics.Calls.Add(1, new KeyValuePair<string, object?>("kind", pushedKind.ToString()));
        using var activity = SyncKitTelemetry.ActivitySource.StartActivity("synckit.push");
        activity?.SetTag("synckit.kind", pushedKind.ToString());
        activity?.SetTag("synckit.batch.size", elements.Count);
        var started = _services.Time.GetTimestamp();

        PushResult result;
        try
        {
            result = await _services.Connector.PushAsync(pushBatch, _cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Nothing is known of the outcome: the write may have landed. Reconcile before sending again.
            Log.PushThrew(_services.Logger, ex, elements.Count, pushedKind);
            var failure = new SyncFailure
            {
                Source = FailureSource.Transport,
                Kind = pushedKind,
                WriteMayHaveLanded = true,
                Messages = [ex is OperationCanceledException ? "The push was cancelled before the ledger answered." : ex.Message],
            };
            await _ledgerGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                await SettleAsync(elements, claimed, _ => null, failure, CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                _ledgerGate.Release();
            }

            if (ex is OperationCanceledException && _cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            // Other batches still go: one lost answer does not stop the run.
            return [];
        }
        finally
        {
            var seconds = _services.Time.GetElapsedTime(started).TotalSeconds;
            _services.Metrics.BatchDuration.Record(seconds, new KeyValuePair<string, object?>("kind", pushedKind.ToString()));
            Log.Pushed(_services.Logger, elements.Count, pushedKind, seconds);
        }

        var outcomes = result.Outcomes.GroupBy(o => o.SourceId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var orphan = result.BatchFailure ?? new SyncFailure
        {
            Source = FailureSource.Transport,
            Kind = pushedKind,
            WriteMayHaveLanded = true,
            Messages = ["The ledger's answer did not include this record."],
        };
        IReadOnlyDictionary<LedgerKey, LedgerEntry> settledEntries;
        await _ledgerGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            (var stop, settledEntries) = await SettleAsync(elements, claimed, sourceId => outcomes.GetValueOrDefault(sourceId), orphan, _cancellationToken).ConfigureAwait(false);
            if (stop is { } signal)
            {
                await StopForAsync(signal.Error, signal.RetryAfter).ConfigureAwait(false);
            }
            else if (_tenant.Connection != ConnectionState.Connected && outcomes.Values.Any(o => o.Succeeded))
            {
                _tenant = _tenant with { Connection = ConnectionState.Connected, ConnectionMessage = null, UpdatedAt = _scope.Now };
                await _services.Tenants.SaveAsync(_tenant, _cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _ledgerGate.Release();
        }

        // A server error on the whole batch (the ledger answered, so nothing of it is still under way): split it.
        if (result.BatchFailure is { StatusCode: >= 500, WriteMayHaveLanded: true } && result.Outcomes.Count == 0 && elements.Count > 1)
        {
            return [.. elements
                .Where(e => settledEntries.TryGetValue(e.Entry.Key, out var s) && s.State == LedgerState.Uncertain)
                .Select(e => (e.Prepared, settledEntries[e.Entry.Key]))];
        }

        return [];
    }

    /// <summary>Writes each element's outcome; returns the error that must stop the run (pause, reconnect, configuration), if any.</summary>
    private async Task<((SyncError Error, TimeSpan? RetryAfter)? Stop, IReadOnlyDictionary<LedgerKey, LedgerEntry> Settled)> SettleAsync(
        List<(Preparation.Ready Prepared, LedgerEntry Entry)> elements,
        IReadOnlyDictionary<LedgerKey, LedgerEntry> claimed,
        Func<string, ElementOutcome?> outcomeOf,
        SyncFailure batchFailure,
        CancellationToken cancellationToken)
    {
        var now = _scope.Now;
        SyncError? batchError = null;
        (SyncError Error, TimeSpan? RetryAfter)? stop = null;
        var results = new List<LedgerEntry>(elements.Count);
        foreach (var (prepared, original) in elements)
        {
            var entry = claimed[original.Key];
            var outcome = outcomeOf(entry.SourceId);
            LedgerEvent ev;
            if (outcome is { Succeeded: true, RemoteId: { } remoteId })
            {
                ev = new LedgerEvent.Succeeded(remoteId, [.. prepared.Warnings, .. outcome.Warnings]);
            }
            else
            {
                var failure = outcome?.Failure ?? batchFailure;
                var error = outcome?.Failure is not null
                    ? _services.Classifier.Classify(failure with { Kind = failure.Kind ?? entry.Kind }, now)
                    : batchError ??= _services.Classifier.Classify(batchFailure, now);

                if (error.Disposition is ErrorDisposition.PauseTenant or ErrorDisposition.Reconnect or ErrorDisposition.StopRun)
                {
                    stop ??= (error, failure.RetryAfter);
                }

                ev = new LedgerEvent.Failed(error, RetryAt(error, entry, failure, now));
            }

            results.Add(LedgerTransitions.Apply(entry, ev, now) with { OutcomePending = true });
        }

        return (stop, await SaveSettledAsync(results, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Saves entries that reached their state for this run, and counts those saved.</summary>
    private async Task<IReadOnlyDictionary<LedgerKey, LedgerEntry>> SaveSettledAsync(IReadOnlyList<LedgerEntry> entries, CancellationToken? cancellationToken = null)
    {
        var saved = await SaveAsync(entries, cancellationToken).ConfigureAwait(false);
        foreach (var entry in saved.Values)
        {
            Settled(entry);
        }

        return saved;
    }

    /// <summary>An entry reached its state for this run: count it and measure it (the source is told after the kind's read).</summary>
    private void Settled(LedgerEntry entry)
    {
        _counter.CountSettled(entry);
        if (entry.State == LedgerState.Synced)
        {
            _services.Metrics.RecordsSynced.Add(1, new KeyValuePair<string, object?>("kind", entry.Kind.ToString()));
        }
        else if (entry.Error is { } error && entry.State is LedgerState.Failed or LedgerState.Unmapped)
        {
            _services.Metrics.RecordsFailed.Add(1, new KeyValuePair<string, object?>("kind", entry.Kind.ToString()), new KeyValuePair<string, object?>("category", error.Category));
        }
    }

    private DateTimeOffset? RetryAt(SyncError error, LedgerEntry entry, SyncFailure failure, DateTimeOffset now)
    {
        if (error.Disposition != ErrorDisposition.RetryLater || entry.Attempts >= _services.Options.MaxAutomaticAttempts)
        {
            return null;
        }

        var options = _services.Options;
        var exponent = Math.Min(Math.Max(entry.Attempts - 1, 0), 20);
        var backoff = TimeSpan.FromTicks(Math.Min(options.InitialBackoff.Ticks * (1L << exponent), options.MaxBackoff.Ticks));

        // Deterministic jitter (up to 20%) spreads retries without a random source.
        var jitter = (ContentHasher.Hash(entry.Key.ToString())[0] % 5) / 25.0;
        backoff += TimeSpan.FromTicks((long)(backoff.Ticks * jitter));
        var wait = failure.RetryAfter is { } retryAfter && retryAfter > backoff ? retryAfter : backoff;
        return now + wait;
    }

    private async Task StopForAsync(SyncError error, TimeSpan? retryAfter)
    {
        var now = _scope.Now;
        if (error.Disposition == ErrorDisposition.PauseTenant)
        {
            var until = now + (retryAfter ?? TimeSpan.FromHours(1));
            _tenant = _tenant with { PausedUntil = until, PauseReason = error.Reason, UpdatedAt = now };
            await _services.Tenants.SaveAsync(_tenant, CancellationToken.None).ConfigureAwait(false);
            throw new RunStoppedException(RunOutcome.Paused, $"Sync paused until {until.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}: {error.Reason}.", until);
        }

        if (error.Disposition == ErrorDisposition.StopRun)
        {
            // The app's configuration, not this tenant's connection: nothing is marked, so the first run after the fix works.
            throw new RunStoppedException(RunOutcome.Failed, $"{error.Reason}: {error.Message}");
        }

        _tenant = _tenant with { Connection = ConnectionState.Disconnected, ConnectionMessage = error.Message, UpdatedAt = now };
        await _services.Tenants.SaveAsync(_tenant, CancellationToken.None).ConfigureAwait(false);
        throw new RunStoppedException(RunOutcome.Disconnected, $"The connection to the ledger must be re-authorised: {error.Reason}.");
    }

    /// <summary>Stops the run for a failure that is not any record's (reading reference data).</summary>
    public async Task HandleRunFailureAsync(SyncFailure failure)
    {
        var error = _services.Classifier.Classify(failure, _scope.Now);
        if (error.Disposition is ErrorDisposition.PauseTenant or ErrorDisposition.Reconnect or ErrorDisposition.StopRun)
        {
            await StopForAsync(error, failure.RetryAfter).ConfigureAwait(false);
        }

        throw new RunStoppedException(RunOutcome.Failed, $"{error.Reason}: {error.Message}");
    }

    private string IdempotencyKey(RecordKind pushedKind, IEnumerable<LedgerEntry> entries)
    {
        // Tenant, kinds, and each element's identity, content and attempt: the same batch replays, another never reuses it.
        var parts = entries
            .Select(e => $"{e.Kind}:{e.SourceId}:{e.ContentHash}:{e.Attempts + (e.State == LedgerState.InFlight ? 0 : 1)}")
            .Order(StringComparer.Ordinal);
        return "sk-" + ContentHasher.Hash($"{_scope.TenantId}|{pushedKind}|{string.Join('|', parts)}");
    }

    private async Task<IReadOnlyDictionary<LedgerKey, LedgerEntry>> SaveAsync(IReadOnlyList<LedgerEntry> entries, CancellationToken? cancellationToken = null)
    {
        var result = new Dictionary<LedgerKey, LedgerEntry>(entries.Count);
        if (entries.Count == 0)
        {
            return result;
        }

        var conflicts = await _services.Ledger.SaveAsync(entries, cancellationToken ?? _cancellationToken).ConfigureAwait(false);
        var lost = conflicts.Count == 0 ? null : conflicts.ToHashSet();
        foreach (var entry in entries)
        {
            if (lost is null || !lost.Contains(entry.Key))
            {
                result[entry.Key] = entry with { Version = entry.Version + 1 };
            }
        }

        if (lost is not null)
        {
            Log.Conflicts(_services.Logger, lost.Count, _scope.RunId);
        }

        return result;
    }

    /// <summary>
    /// Tells the source what became of its records, a page at a time, once its reader is closed. Outcomes stay flagged in
    /// the ledger until told, so those of a run that died are told by the next one (at least once).
    /// </summary>
    private async Task DeliverOutcomesAsync(RecordKind kind, SyncSource source)
    {
        string? token = null;
        do
        {
            var page = await _services.Ledger.QueryAsync(
                new LedgerQuery { TenantId = _scope.TenantId, Kinds = [kind], OutcomePending = true, PageSize = _services.Options.ReadChunkSize, ContinuationToken = token },
                _cancellationToken).ConfigureAwait(false);
            token = page.ContinuationToken;
            if (page.Entries.Count == 0)
            {
                continue;
            }

            try
            {
                await source.OnOutcomesAsync(
                    _scope.TenantId,
                    [.. page.Entries.Select(e => new RecordOutcome { Key = e.Key, State = e.State, RemoteId = e.RemoteId, Error = e.Error, Warnings = e.Warnings })],
                    _cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!_cancellationToken.IsCancellationRequested)
            {
                // Not acknowledged: offered again in the next run.
                Log.OutcomeCallbackFailed(_services.Logger, ex, kind);
                continue;
            }

            await _services.Ledger.AcknowledgeOutcomesAsync(page.Entries, _cancellationToken).ConfigureAwait(false);
        }
        while (token is not null);
    }

    private sealed record ReadRecord(SyncRecord Record, ContentDigest Digest, string DisplayName, string? DuplicateOf);

    private sealed record ChunkRead(Dictionary<string, ReadRecord> BySource, List<string> WithoutId);
}
