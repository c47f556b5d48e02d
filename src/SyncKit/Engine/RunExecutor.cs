using System.Diagnostics;
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
/// Carries out one run: streams records chunk by chunk, prepares them, pushes ready ones in batches,
/// and writes each outcome to the ledger. Memory holds one chunk, never the whole source.
/// </summary>
internal sealed class RunExecutor
{
    private readonly EngineServices _services;
    private readonly RunScope _scope;
    private readonly SyncLease _lease;
    private readonly RunCounter _counter = new();
    private readonly CancellationToken _cancellationToken;
    private SyncLease _currentLease;
    private TenantState _tenant;

    public RunExecutor(EngineServices services, RunScope scope, SyncLease lease, TenantState tenant, CancellationToken cancellationToken)
    {
        _services = services;
        _scope = scope;
        _lease = lease;
        _currentLease = lease;
        _tenant = tenant;
        _cancellationToken = cancellationToken;
    }

    public RunCounter Counter => _counter;

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

            await foreach (var chunk in SyncEngine.Chunk(source.ReadChangedAsync(_scope.TenantId, _cancellationToken), _services.Options.ReadChunkSize, _cancellationToken).ConfigureAwait(false))
            {
                await ProcessChunkAsync(chunk).ConfigureAwait(false);
            }

            await SweepAsync(kind, source).ConfigureAwait(false);
        }
    }

    /// <summary>Entries waiting to go (Pending, due retries, Uncertain) that the source did not yield this run.</summary>
    private async Task SweepAsync(RecordKind kind, SyncSource source)
    {
        string? token = null;
        do
        {
            var page = await _services.Ledger.QueryAsync(
                new LedgerQuery
                {
                    TenantId = _scope.TenantId,
                    Kinds = [kind],
                    States = [LedgerState.Pending, LedgerState.RetryScheduled, LedgerState.Uncertain, LedgerState.InFlight],
                    NotTouchedByRunId = _scope.RunId,
                    DueAt = _scope.Now,
                    PageSize = _services.Options.ReadChunkSize,
                    ContinuationToken = token,
                },
                _cancellationToken).ConfigureAwait(false);
            token = page.ContinuationToken;

            var records = new List<SyncRecord>(page.Entries.Count);
            foreach (var entry in page.Entries)
            {
                if (await source.ReadOneAsync(_scope.TenantId, entry.SourceId, _cancellationToken).ConfigureAwait(false) is { } record)
                {
                    records.Add(record);
                }
            }

            await ProcessChunkAsync(records).ConfigureAwait(false);
        }
        while (token is not null);
    }

    public async Task ProcessChunkAsync(IReadOnlyList<SyncRecord> chunk)
    {
        if (chunk.Count == 0)
        {
            return;
        }

        await RenewLeaseIfDueAsync().ConfigureAwait(false);
        foreach (var group in chunk.GroupBy(r => r.Kind))
        {
            await ProcessKindAsync(group.Key, group.ToList()).ConfigureAwait(false);
        }
    }

    private async Task ProcessKindAsync(RecordKind kind, List<SyncRecord> records)
    {
        // The last copy of a record in a chunk wins.
        var bySource = new Dictionary<string, SyncRecord>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            if (string.IsNullOrEmpty(record.SourceId))
            {
                // Without an id there is no entry to put an error on; the host's log says which source.
                Log.RecordWithoutId(_services.Logger, kind);
                continue;
            }

            bySource[record.SourceId] = record;
        }

        var entries = await _services.Ledger.GetManyAsync(_scope.TenantId, kind, bySource.Keys, _cancellationToken).ConfigureAwait(false);
        await _scope.LoadLinksAsync(_services.Ledger, bySource.Values, _cancellationToken).ConfigureAwait(false);

        var now = _scope.Now;
        var candidates = new List<(SyncRecord Record, LedgerEntry Entry)>();
        var observedOnly = new List<LedgerEntry>();
        foreach (var record in bySource.Values)
        {
            _counter.Seen++;
            var (hash, displayName) = Describe(record);
            var key = new LedgerKey(_scope.TenantId, kind, record.SourceId);
            entries.TryGetValue(record.SourceId, out var existing);
            var known = existing is not null && IsAbandonedClaim(existing, now)
                ? LedgerTransitions.Apply(existing, new LedgerEvent.ClaimAbandoned(AbandonedError(existing, now)), now)
                : existing;
            var entry = known is not null
                ? LedgerTransitions.Apply(known, new LedgerEvent.Observed(hash, displayName), now)
                : LedgerTransitions.New(key, hash, displayName, now);

            if (IsCandidate(entry, now))
            {
                candidates.Add((record, entry with { RunId = _scope.RunId }));
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

        // Candidates are written first (as Pending, Unmapped, ...), so a run that stops part-way leaves nothing unrecorded.
        var saved = await SaveAsync([.. observedOnly, .. candidates.Select(c => c.Entry)]).ConfigureAwait(false);

        var ready = new List<(Preparation.Ready Prepared, LedgerEntry Entry)>();
        var uncertain = new List<(Preparation.Ready Prepared, LedgerEntry Entry)>();
        var settled = new List<LedgerEntry>();
        foreach (var (record, entry) in candidates)
        {
            if (!saved.TryGetValue(entry.Key, out var current))
            {
                continue;
            }

            var prepared = await _services.Preparer.PrepareAsync(record, current, _scope, _cancellationToken).ConfigureAwait(false);
            switch (prepared)
            {
                case Preparation.Ready r when current.State == LedgerState.Uncertain:
                    uncertain.Add((r, current));
                    break;
                case Preparation.Ready r:
                    ready.Add((r, current));
                    break;
                case Preparation.Settled s when current.State == LedgerState.Uncertain:
                    // An uncertain write is only ever settled by a lookup; it waits until the record can be prepared again.
                    break;
                case Preparation.Settled s:
                    settled.Add(LedgerTransitions.Apply(current, s.Event, _scope.Now));
                    break;
            }
        }

        await ReconcileAsync(uncertain, ready, settled).ConfigureAwait(false);
        foreach (var entry in (await SaveAsync(settled).ConfigureAwait(false)).Values)
        {
            await SettledAsync(entry).ConfigureAwait(false);
        }

        foreach (var batch in Batches(ready))
        {
            await PushAsync(batch).ConfigureAwait(false);
        }
    }

    // A record too malformed to hash still gets an entry; preparing it then fails with the reason.
    private static (string Hash, string DisplayName) Describe(SyncRecord record)
    {
        string displayName;
        try
        {
            displayName = record.DisplayName ?? record.SourceId;
        }
        catch (Exception ex) when (ex is NullReferenceException or InvalidOperationException or ArgumentException)
        {
            displayName = record.SourceId;
        }

        try
        {
            return (ContentHasher.Hash(record), displayName);
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or ArgumentException or System.Text.Json.JsonException)
        {
            return ("unhashable:" + ex.GetType().Name, displayName);
        }
    }

    // A run settles its claims within one push; a claim older than two lease lengths belongs to a run that died
    // (the margin keeps a slow but live push from being taken for dead).
    private bool IsAbandonedClaim(LedgerEntry entry, DateTimeOffset now) =>
        entry.State == LedgerState.InFlight && entry.RunId != _scope.RunId && entry.UpdatedAt + (2 * _services.Options.LeaseDuration) <= now;

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
        LedgerState.Pending or LedgerState.Unmapped or LedgerState.Uncertain => true,
        LedgerState.RetryScheduled => entry.NextAttemptAt is null || entry.NextAttemptAt <= now,
        LedgerState.Synced or LedgerState.Failed => Force,
        _ => false,
    };

    /// <summary>Looks uncertain writes up in the ledger, a batch per call: found → Synced, not found → sent again.</summary>
    private async Task ReconcileAsync(
        List<(Preparation.Ready Prepared, LedgerEntry Entry)> uncertain,
        List<(Preparation.Ready Prepared, LedgerEntry Entry)> ready,
        List<LedgerEntry> settled)
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
                if (error.Disposition is ErrorDisposition.PauseTenant or ErrorDisposition.Reconnect)
                {
                    await StopForAsync(error, ex.Failure.RetryAfter).ConfigureAwait(false);
                }

                continue;
            }

            _counter.Calls++;
            foreach (var (prepared, entry) in batch)
            {
                if (matches.TryGetValue(entry.SourceId, out var found) && found is [var match])
                {
                    _counter.Reconciled++;
                    settled.Add(LedgerTransitions.Apply(entry, new LedgerEvent.ReconciledFound(match.RemoteId), _scope.Now) with { Warnings = prepared.Warnings });
                }
                else
                {
                    ready.Add((prepared, LedgerTransitions.Apply(entry, new LedgerEvent.ReconciledNotFound(), _scope.Now)));
                }
            }
        }
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

    private async Task PushAsync(List<(Preparation.Ready Prepared, LedgerEntry Entry)> batch)
    {
        var pushedKind = batch[0].Prepared.Element.Record.Kind;
        var idempotencyKey = IdempotencyKey(pushedKind, batch.Select(b => b.Entry));

        // Claim: the key is stored with each entry before the call.
        var claims = batch.Select(b => LedgerTransitions.Apply(b.Entry, new LedgerEvent.Claimed(_scope.RunId, idempotencyKey), _scope.Now)).ToList();
        var claimed = await SaveAsync(claims).ConfigureAwait(false);
        var elements = batch.Where(b => claimed.ContainsKey(b.Entry.Key)).ToList();
        if (elements.Count == 0)
        {
            return;
        }

        if (elements.Count != batch.Count)
        {
            // Composition changed: the key must change with it.
            idempotencyKey = IdempotencyKey(pushedKind, elements.Select(e => claimed[e.Entry.Key]));
            var reclaimed = elements.Select(e => claimed[e.Entry.Key] with { IdempotencyKey = idempotencyKey }).ToList();
            claimed = await SaveAsync(reclaimed).ConfigureAwait(false);
            elements = elements.Where(b => claimed.ContainsKey(b.Entry.Key)).ToList();
        }

        var pushBatch = new PushBatch
        {
            TenantId = _scope.TenantId,
            Kind = pushedKind,
            IdempotencyKey = idempotencyKey,
            Elements = elements.Select(e => e.Prepared.Element).ToArray(),
        };

        _counter.Sent += elements.Count;
        _counter.Calls++;
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
            await SettleAsync(elements, claimed, _ => null, failure, CancellationToken.None).ConfigureAwait(false);
            if (ex is OperationCanceledException && _cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            // Other batches still go: one lost answer does not stop the run.
            return;
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
        var stop = await SettleAsync(elements, claimed, sourceId => outcomes.GetValueOrDefault(sourceId), orphan, _cancellationToken).ConfigureAwait(false);
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

    /// <summary>Writes each element's outcome; returns the error that must stop the run (pause, reconnect), if any.</summary>
    private async Task<(SyncError Error, TimeSpan? RetryAfter)?> SettleAsync(
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

                if (error.Disposition is ErrorDisposition.PauseTenant or ErrorDisposition.Reconnect)
                {
                    stop ??= (error, failure.RetryAfter);
                }

                ev = new LedgerEvent.Failed(error, RetryAt(error, entry, failure, now));
            }

            results.Add(LedgerTransitions.Apply(entry, ev, now));
        }

        foreach (var entry in (await SaveAsync(results, cancellationToken).ConfigureAwait(false)).Values)
        {
            await SettledAsync(entry).ConfigureAwait(false);
        }

        return stop;
    }

    /// <summary>An entry reached its state for this run: count it, measure it, tell the source.</summary>
    private async Task SettledAsync(LedgerEntry entry)
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

        await NotifyAsync(entry).ConfigureAwait(false);
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

        _tenant = _tenant with { Connection = ConnectionState.Disconnected, ConnectionMessage = error.Message, UpdatedAt = now };
        await _services.Tenants.SaveAsync(_tenant, CancellationToken.None).ConfigureAwait(false);
        throw new RunStoppedException(RunOutcome.Disconnected, $"The connection to the ledger must be re-authorised: {error.Reason}.");
    }

    /// <summary>Stops the run for a failure that is not any record's (reading reference data).</summary>
    public async Task HandleRunFailureAsync(SyncFailure failure)
    {
        var error = _services.Classifier.Classify(failure, _scope.Now);
        if (error.Disposition is ErrorDisposition.PauseTenant or ErrorDisposition.Reconnect)
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

    private async Task NotifyAsync(LedgerEntry entry)
    {
        if (_services.SourceFor(entry.Kind) is not { } source)
        {
            return;
        }

        try
        {
            await source.OnOutcomesAsync(
                _scope.TenantId,
                [new RecordOutcome { Key = entry.Key, State = entry.State, RemoteId = entry.RemoteId, Error = entry.Error, Warnings = entry.Warnings }],
                _cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.OutcomeCallbackFailed(_services.Logger, ex, entry.Kind);
        }
    }

    private async Task RenewLeaseIfDueAsync()
    {
        var now = _scope.Now;
        var duration = _services.Options.LeaseDuration;
        if (_currentLease.ExpiresAt - now > duration / 2)
        {
            return;
        }

        var renewed = _currentLease with { ExpiresAt = now + duration };
        if (!await _services.Tenants.RenewLeaseAsync(renewed, _cancellationToken).ConfigureAwait(false))
        {
            throw new RunStoppedException(RunOutcome.Failed, $"The run lost its lease on tenant {_lease.TenantId}; another node took over.");
        }

        _currentLease = renewed;
    }
}
