using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using SyncKit.Connectors;
using SyncKit.Errors;
using SyncKit.Ledger;
using SyncKit.Mapping;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Sources;
using SyncKit.Storage;
using SyncKit.Telemetry;

namespace SyncKit.Engine;

/// <summary>The engine: runs under a lease per tenant, the user actions on the ledger, status and activity.</summary>
internal sealed partial class SyncEngine : ISyncEngine
{
    /// <summary>The lease scope of a tenant's sync runs: one at a time.</summary>
    internal const string SyncScope = "sync";

    private static readonly JsonSerializerOptions s_referenceJson = new() { Converters = { new JsonStringEnumConverter() } };

    private readonly EngineServices _services;
    private readonly MappingStore _mappings;
    private readonly string _nodeId;
    private readonly Inbound.InboundServices _inbound;

    public SyncEngine(EngineServices services, MappingStore mappings, Inbound.InboundServices? inbound = null)
    {
        _services = services;
        _mappings = mappings;
        _inbound = inbound ?? new Inbound.InboundServices(null, []);
        _nodeId = services.Options.NodeId ?? $"{Environment.MachineName}:{Environment.ProcessId}";
    }

    private TimeProvider Time => _services.Time;

    public async Task<SyncRun> SyncAsync(SyncRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.TenantId);

        // The tenant's settings may make a kind pull-only (or off): Sync All leaves it alone, and a kind asked for by name
        // is refused in words (the whole request when nothing it names is pushed).
        var settings = await _inbound.SettingsForAsync(request.TenantId, cancellationToken).ConfigureAwait(false);
        RecordKind[] pushed = [.. (request.Kinds.Count == 0 ? _services.SourceKinds : request.Kinds).Where(settings.Pushes)];
        var run = NewRun(request.TenantId, request.Trigger, request.RequestedBy, request.Kinds, recordKey: null);
        var notPushed = NotPushedMessage(settings, request.Kinds);
        if (notPushed is not null && pushed.Length == 0)
        {
            return await RefuseAsync(run, notPushed).ConfigureAwait(false);
        }

        // Sort reads an empty list as every kind: a tenant that pushes nothing syncs nothing.
        IReadOnlyList<RecordKind> kinds = pushed.Length == 0 ? [] : RecordKindOrder.Sort(pushed);
        var result = await RunAsync(run, (executor, _) => executor.SyncKindsAsync(kinds), force: false, cancellationToken).ConfigureAwait(false);
        if (notPushed is not null && result.Outcome != RunOutcome.AlreadyRunning)
        {
            result = result with { Message = result.Message is null ? notPushed : $"{result.Message} {notPushed}" };
            await _services.Runs.SaveAsync(result, CancellationToken.None).ConfigureAwait(false);
        }

        if (result.Outcome == RunOutcome.AlreadyRunning)
        {
            // Every requested sync is in the activity log, refused ones included (FYI shows them): under the request's own
            // id, naming the run under way. The caller still gets the running run's id, as before.
            await _services.Runs.SaveAsync(
                run with { Outcome = RunOutcome.AlreadyRunning, CompletedAt = Time.GetUtcNow(), Message = $"A sync is already running for this tenant (run {result.RunId}); this request was not started." },
                CancellationToken.None).ConfigureAwait(false);
        }

        return result;
    }

    public async Task<RecordOutcome> SyncRecordAsync(LedgerKey key, string? requestedBy = null, CancellationToken cancellationToken = default)
    {
        var run = await RunOneAsync(key, requestedBy, cancellationToken).ConfigureAwait(false);
        var entry = await _services.Ledger.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (run.Outcome == RunOutcome.Refused)
        {
            // Not sent, and the ledger entry left as it was: the refusal is the tenant's settings, not the record's.
            return new RecordOutcome { Key = key, State = entry?.State ?? LedgerState.Skipped, RemoteId = entry?.RemoteId, Error = NotPushedError(key.Kind, run.Message!) };
        }

        if (entry is null)
        {
            // Beside a running sync nothing was read yet: the record is waiting, not missing.
            return run.Outcome == RunOutcome.AlreadyRunning
                ? new RecordOutcome { Key = key, State = LedgerState.Pending }
                : throw new InvalidOperationException($"The source has no record {key}.");
        }

        return new RecordOutcome { Key = key, State = entry.State, RemoteId = entry.RemoteId, Error = entry.Error, Warnings = entry.Warnings };
    }

    private async Task<SyncRun> RunOneAsync(LedgerKey key, string? requestedBy, CancellationToken cancellationToken)
    {
        var source = _services.SourceFor(key.Kind) ?? throw new InvalidOperationException($"No source is registered for {key.Kind}; register one with AddSource<T>().");
        if ((await _inbound.SettingsForAsync(key.TenantId, cancellationToken).ConfigureAwait(false)).WhyNotPushed(key.Kind) is { } why)
        {
            // A record of a kind the tenant does not push is refused before anything is read or changed, in the activity log.
            return await RefuseAsync(NewRun(key.TenantId, SyncTrigger.Manual, requestedBy, [key.Kind], key.ToString()), why).ConfigureAwait(false);
        }

        var existing = await _services.Ledger.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (existing is { State: LedgerState.Failed or LedgerState.RetryScheduled or LedgerState.Unmapped or LedgerState.Uncertain })
        {
            await SaveOneAsync(LedgerTransitions.Apply(existing, new LedgerEvent.RetryRequested(), Time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        }

        // A single record goes under the tenant's own lease, like Sync All: one run per tenant at a time, so the
        // tenant's call budget holds and a record is never pushed by two runs at once. Beside a running sync the
        // request is answered AlreadyRunning (the record was made due, so that run or the next one sends it).
        var run = NewRun(key.TenantId, SyncTrigger.Manual, requestedBy, [key.Kind], key.ToString());
        return await RunAsync(run, (executor, _) => executor.SyncOneAsync(source, key), force: true, cancellationToken).ConfigureAwait(false);
    }

    public async Task<SyncPreview> PreviewAsync(SyncRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var kinds = RecordKindOrder.Sort(request.Kinds.Count == 0 ? _services.SourceKinds : request.Kinds);
        var reference = await LoadReferenceDataAsync(request.TenantId, SyncTrigger.Manual, cancellationToken).ConfigureAwait(false);
        var scope = new RunScope(request.TenantId, "preview", reference, Time, await RunSettingsAsync(request.TenantId, cancellationToken).ConfigureAwait(false));
        var lines = new List<PreviewLine>();
        var planned = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var kind in kinds)
        {
            // As a run does: a kind without a source, or one the ledger does not take, sends nothing.
            if (_services.SourceFor(kind) is not { } source || !_services.Connector.Supports(kind))
            {
                continue;
            }

            if (scope.Settings.Tenant.WhyNotPushed(kind) is { } why)
            {
                // A kind the tenant does not push: its changed records are shown as not sent, with the reason.
                await PreviewNotPushedAsync(kind, source, request.TenantId, why, lines, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var chunk in Chunk(source.ReadChangedAsync(request.TenantId, cancellationToken), _services.Options.ReadChunkSize, cancellationToken).ConfigureAwait(false))
            {
                await PreviewChunkAsync(kind, chunk, scope, seen, planned, lines, cancellationToken).ConfigureAwait(false);
            }

            // As a run's sweep does: records the ledger says are due that the source did not yield this time.
            await PreviewDueAsync(kind, source, scope, seen, planned, lines, cancellationToken).ConfigureAwait(false);
        }

        return new SyncPreview { TenantId = request.TenantId, Lines = lines };
    }

    /// <summary>Previews a chunk as a run would treat it: due records prepared, the rest shown in their state or left out.</summary>
    private async Task PreviewChunkAsync(
        RecordKind kind,
        IReadOnlyList<SyncRecord> chunk,
        RunScope scope,
        HashSet<string> seen,
        Dictionary<string, string> planned,
        List<PreviewLine> lines,
        CancellationToken cancellationToken)
    {
        var records = chunk.Where(r => seen.Add(r.SourceId)).ToArray();
        if (records.Length == 0)
        {
            return;
        }

        var tenantId = scope.TenantId;
        var now = Time.GetUtcNow();
        var entries = await _services.Ledger.GetManyAsync(tenantId, kind, records.Select(r => r.SourceId).ToArray(), cancellationToken).ConfigureAwait(false);
        await scope.LoadLinksAsync(_services.Ledger, records, cancellationToken).ConfigureAwait(false);

        // Records that this sync would send first (contacts before their invoices) count as linked, whether the ledger
        // has never seen them or holds them unsent (a retry now due).
        foreach (var (linkKey, placeholder) in planned)
        {
            if (!scope.LinkedEntries.TryGetValue(linkKey, out var known) || known.RemoteId is null)
            {
                scope.LinkedEntries[linkKey] = PlannedEntry(tenantId, linkKey, placeholder);
            }
        }

        foreach (var record in records)
        {
            var key = new LedgerKey(tenantId, kind, record.SourceId);
            var hash = ContentHasher.Hash(record);
            var entry = entries.TryGetValue(record.SourceId, out var existing)
                ? LedgerTransitions.Apply(existing, new LedgerEvent.Observed(hash, record.DisplayName), now)
                : LedgerTransitions.New(key, hash, record.DisplayName, now);
            if (!LedgerTransitions.IsDue(entry, now))
            {
                // Not sent by a run: shown when it waits for someone (an error, a hold, a skip, a retry not yet due).
                if (entry.State is LedgerState.Failed or LedgerState.Held or LedgerState.Skipped or LedgerState.RetryScheduled)
                {
                    lines.Add(new PreviewLine { Key = key, DisplayName = record.DisplayName, Ready = false, State = entry.State, Error = entry.Error });
                }

                continue;
            }

            var prepared = await _services.Preparer.PrepareAsync(record, entry, scope, cancellationToken).ConfigureAwait(false);
            if (prepared is Preparation.Ready ready)
            {
                planned[PushElement.LinkKey(kind, record.SourceId)] = record.DisplayName;
                lines.Add(new PreviewLine { Key = key, DisplayName = record.DisplayName, Ready = true, State = LedgerState.Pending, Warnings = ready.Warnings });
            }
            else if (prepared is Preparation.Settled settled)
            {
                var after = LedgerTransitions.Apply(entry, settled.Event, now);
                lines.Add(new PreviewLine { Key = key, DisplayName = record.DisplayName, Ready = false, State = after.State, Error = after.Error });
            }
        }
    }

    /// <summary>The preview's sweep: due ledger entries the source did not yield, read one by one as a run reads them.</summary>
    private async Task PreviewDueAsync(
        RecordKind kind,
        SyncSource source,
        RunScope scope,
        HashSet<string> seen,
        Dictionary<string, string> planned,
        List<PreviewLine> lines,
        CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var page = await _services.Ledger.QueryAsync(
                new LedgerQuery
                {
                    TenantId = scope.TenantId,
                    Kinds = [kind],
                    States = [LedgerState.Pending, LedgerState.RetryScheduled, LedgerState.Uncertain],
                    DueAt = Time.GetUtcNow(),
                    PageSize = _services.Options.ReadChunkSize,
                    ContinuationToken = token,
                },
                cancellationToken).ConfigureAwait(false);
            token = page.ContinuationToken;

            var records = new List<SyncRecord>();
            foreach (var entry in page.Entries.Where(e => e.SourceId.Length > 0 && !seen.Contains(e.SourceId)))
            {
                SyncFailure? failure = null;
                try
                {
                    if (await source.ReadOneAsync(scope.TenantId, entry.SourceId, cancellationToken).ConfigureAwait(false) is { } record)
                    {
                        records.Add(record);
                        continue;
                    }

                    failure = new SyncFailure { Source = FailureSource.Validation, Code = FailureCodes.SourceRecordMissing, Kind = kind, Messages = [$"The source has no record '{entry.SourceId}'."] };
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = new SyncFailure { Source = FailureSource.Internal, Code = FailureCodes.SourceReadFailed, Kind = kind, Messages = [$"Reading '{entry.SourceId}' failed: {ex.Message}"] };
                }

                seen.Add(entry.SourceId);
                lines.Add(new PreviewLine { Key = entry.Key, DisplayName = entry.DisplayName, Ready = false, State = LedgerState.Failed, Error = _services.Classifier.Classify(failure, Time.GetUtcNow()) });
            }

            await PreviewChunkAsync(kind, records, scope, seen, planned, lines, cancellationToken).ConfigureAwait(false);
        }
        while (token is not null);
    }

    private async Task PreviewNotPushedAsync(RecordKind kind, SyncSource source, string tenantId, string why, List<PreviewLine> lines, CancellationToken cancellationToken)
    {
        var error = NotPushedError(kind, why);
        await foreach (var record in source.ReadChangedAsync(tenantId, cancellationToken).ConfigureAwait(false))
        {
            lines.Add(new PreviewLine { Key = new LedgerKey(tenantId, kind, record.SourceId), DisplayName = record.DisplayName, Ready = false, State = LedgerState.Skipped, Error = error });
        }
    }

    /// <summary>The named kinds the tenant does not push, in words; null when every named kind is pushed.</summary>
    private static string? NotPushedMessage(Settings.TenantSettings settings, IReadOnlyList<RecordKind> named)
    {
        var reasons = named.Distinct().Select(settings.WhyNotPushed).OfType<string>().ToArray();
        return reasons.Length == 0 ? null : "Not pushed: " + string.Join(" ", reasons);
    }

    private SyncError NotPushedError(RecordKind kind, string why) => _services.Classifier.Classify(
        new SyncFailure { Source = FailureSource.Validation, Code = FailureCodes.NotPushedForTenant, Kind = kind, Messages = [why] },
        Time.GetUtcNow());

    /// <summary>A request the tenant's settings refuse: written to the activity log, nothing read or sent.</summary>
    private async Task<SyncRun> RefuseAsync(SyncRun run, string why)
    {
        var refused = run with { Outcome = RunOutcome.Refused, CompletedAt = Time.GetUtcNow(), Message = why.StartsWith("Not pushed", StringComparison.Ordinal) ? why : "Not pushed: " + why };
        await _services.Runs.SaveAsync(refused, CancellationToken.None).ConfigureAwait(false);
        Log.RunRefused(_services.Logger, run.RunId, refused.Message!);
        return refused;
    }

    private static LedgerEntry PlannedEntry(string tenantId, string linkKey, string displayName)
    {
        var colon = linkKey.IndexOf(':', StringComparison.Ordinal);
        return new LedgerEntry
        {
            TenantId = tenantId,
            Kind = Enum.Parse<RecordKind>(linkKey[..colon]),
            SourceId = linkKey[(colon + 1)..],
            State = LedgerState.Synced,
            RemoteId = "(to be created)",
            DisplayName = displayName,
        };
    }

    public async Task<SyncRun> RetryAsync(RetryRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Key is { } key)
        {
            if (!string.Equals(key.TenantId, request.TenantId, StringComparison.Ordinal))
            {
                throw new ArgumentException($"The record {key} belongs to another tenant than {request.TenantId}; a request acts only on its own tenant's records.", nameof(request));
            }

            return await RunOneAsync(key, request.RequestedBy, cancellationToken).ConfigureAwait(false);
        }

        // Only kinds the tenant pushes are made due again; a retry naming only others is refused by the sync below.
        var settings = await _inbound.SettingsForAsync(request.TenantId, cancellationToken).ConfigureAwait(false);
        var pushed = (request.Kinds.Count == 0 ? Enum.GetValues<RecordKind>() : request.Kinds).Where(settings.Pushes).ToArray();
        var kinds = new HashSet<RecordKind>();
        if (pushed.Length > 0)
        {
            await ApplyToEveryAsync(
                new LedgerQuery
                {
                    TenantId = request.TenantId,
                    States = [LedgerState.Failed, LedgerState.RetryScheduled, LedgerState.Unmapped, LedgerState.Uncertain],
                    Kinds = request.Kinds.Count == 0 && pushed.Length == Enum.GetValues<RecordKind>().Length ? [] : pushed,
                    ErrorCategory = request.ErrorCategory,
                    PageSize = 500,
                },
                new LedgerEvent.RetryRequested(),
                entry => kinds.Add(entry.Kind),
                cancellationToken).ConfigureAwait(false);
        }

        return await SyncAsync(
            new SyncRequest { TenantId = request.TenantId, Kinds = kinds.Count == 0 ? request.Kinds : [.. kinds], Trigger = SyncTrigger.Manual, RequestedBy = request.RequestedBy },
            cancellationToken).ConfigureAwait(false);
    }

    public Task<LedgerEntry> SkipAsync(LedgerKey key, string? reason = null, CancellationToken cancellationToken = default)
    {
        var error = _services.Classifier.Classify(
            new SyncFailure { Source = FailureSource.Validation, Code = FailureCodes.SkippedByUser, Kind = key.Kind, Messages = [reason ?? "Skipped by a user: do not send."] },
            Time.GetUtcNow());
        return ChangeAsync(key, new LedgerEvent.SkipRequested(error), cancellationToken);
    }

    public Task<LedgerEntry> SendAsNewAsync(LedgerKey key, CancellationToken cancellationToken = default) =>
        ChangeAsync(key, new LedgerEvent.SendAsNewRequested(), cancellationToken);

    public Task<LedgerEntry> UnskipAsync(LedgerKey key, CancellationToken cancellationToken = default) =>
        ChangeAsync(key, new LedgerEvent.UnskipRequested(), cancellationToken);

    public async Task<int> ReleaseAsync(IReadOnlyCollection<LedgerKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var released = 0;
        foreach (var key in keys)
        {
            var entry = await _services.Ledger.GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (entry is { State: LedgerState.Held })
            {
                // PreviousState remembers the release, so the approval policy does not hold it again.
                var next = LedgerTransitions.Apply(entry, new LedgerEvent.Released(), Time.GetUtcNow()) with { PreviousState = LedgerState.Held };
                if (await SaveOneAsync(next, cancellationToken).ConfigureAwait(false))
                {
                    released++;
                }
            }
        }

        return released;
    }

    public async Task<LedgerEntry> MarkResolvedAsync(LedgerKey key, string? remoteId = null, CancellationToken cancellationToken = default)
    {
        if (remoteId is not null
            && (await _services.Ledger.FindOwnersAsync(key.TenantId, key.Kind, [remoteId], cancellationToken).ConfigureAwait(false)).TryGetValue(remoteId, out var owner)
            && owner != key)
        {
            throw new InvalidOperationException($"The ledger record {remoteId} is already linked to {owner}; one ledger record cannot stand for two records.");
        }

        return await ChangeAsync(key, new LedgerEvent.MarkedResolved(remoteId), cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> SetMappingAsync(string tenantId, MappingKind kind, string localKey, string remoteKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(localKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(remoteKey);
        await _mappings.SetAsync(tenantId, kind, localKey, remoteKey, cancellationToken).ConfigureAwait(false);

        return await ApplyToEveryAsync(
            new LedgerQuery { TenantId = tenantId, States = [LedgerState.Unmapped], MissingMapping = $"{kind}:{localKey}", PageSize = 500 },
            new LedgerEvent.MappingAdded(),
            onSaved: null,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies one event to every entry a query finds, a page at a time; returns how many were saved.</summary>
    private async Task<int> ApplyToEveryAsync(LedgerQuery query, LedgerEvent @event, Action<LedgerEntry>? onSaved, CancellationToken cancellationToken)
    {
        var saved = 0;
        string? token = null;
        do
        {
            var page = await _services.Ledger.QueryAsync(query with { ContinuationToken = token }, cancellationToken).ConfigureAwait(false);
            token = page.ContinuationToken;
            var now = Time.GetUtcNow();
            var changed = page.Entries.Select(e => LedgerTransitions.Apply(e, @event, now)).ToList();
            var conflicts = (await _services.Ledger.SaveAsync(changed, cancellationToken).ConfigureAwait(false)).ToHashSet();
            foreach (var entry in changed.Where(e => !conflicts.Contains(e.Key)))
            {
                saved++;
                onSaved?.Invoke(entry);
            }
        }
        while (token is not null);

        return saved;
    }

    public async Task PauseAsync(string tenantId, DateTimeOffset until, string? reason = null, CancellationToken cancellationToken = default)
    {
        var state = await GetOrCreateTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
        await _services.Tenants.SaveAsync(state with { PausedUntil = until, PauseReason = reason ?? "Paused by a user", UpdatedAt = Time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
    }

    public async Task ResumeAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var state = await GetOrCreateTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
        await _services.Tenants.SaveAsync(state with { PausedUntil = null, PauseReason = null, UpdatedAt = Time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<SyncStatus> GetStatusAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var now = Time.GetUtcNow();
        var state = await _services.Tenants.GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var lease = await _services.Tenants.GetLeaseAsync(tenantId, SyncScope, cancellationToken).ConfigureAwait(false);
        var counts = await _services.Ledger.CountAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var last = await _services.Runs.ListAsync(tenantId, 1, null, cancellationToken).ConfigureAwait(false);
        var paused = state?.PausedUntil is { } until && until > now;
        var usage = await _services.Connector.GetUsageAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return new SyncStatus
        {
            TenantId = tenantId,
            RunningRunId = lease is not null && lease.ExpiresAt > now ? lease.RunId : null,
            PausedUntil = paused ? state!.PausedUntil : null,
            PauseReason = paused ? state!.PauseReason : null,
            Connection = state?.Connection ?? ConnectionState.Unknown,
            ConnectionMessage = state?.ConnectionMessage,
            Counts = counts,
            LastRun = last.Count > 0 ? last[0] : null,
            GrantedScopes = usage?.GrantedScopes,
            MissingScopes = usage?.MissingScopes ?? [],
            CallBudget = usage?.CallBudget,
            Egress = usage?.Egress,
        };
    }

    public Task<LedgerPage> QueryLedgerAsync(LedgerQuery query, CancellationToken cancellationToken = default) =>
        _services.Ledger.QueryAsync(query, cancellationToken);

    public Task<IReadOnlyList<SyncRun>> GetActivityAsync(string tenantId, int limit = 50, CancellationToken cancellationToken = default) =>
        _services.Runs.ListAsync(tenantId, limit, null, cancellationToken);

    /// <summary>Runs work under the tenant's one run lease (Sync All, a retry and a single record alike).</summary>
    private Task<SyncRun> RunAsync(SyncRun run, Func<RunExecutor, CancellationToken, Task> work, bool force, CancellationToken cancellationToken)
        => RunAsync(run, work, force, loadReferenceData: true, cancellationToken);

    private async Task<SyncRun> RunAsync(SyncRun run, Func<RunExecutor, CancellationToken, Task> work, bool force, bool loadReferenceData, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(run.TenantId);
        using var scope = SyncKitTelemetry.BeginTenantScope(_services.Logger, run.TenantId, _services.Options.LogTenantIds);
        return await RunUnderScopeAsync(run, work, force, loadReferenceData, cancellationToken).ConfigureAwait(false);
    }

    private async Task<SyncRun> RunUnderScopeAsync(SyncRun run, Func<RunExecutor, CancellationToken, Task> work, bool force, bool loadReferenceData, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var lease = new SyncLease { TenantId = run.TenantId, Scope = SyncScope, Holder = _nodeId, RunId = run.RunId, ExpiresAt = now + _services.Options.LeaseDuration };
        var held = await _services.Tenants.TryAcquireLeaseAsync(lease, now, cancellationToken).ConfigureAwait(false);
        if (held.RunId != run.RunId)
        {
            Log.AlreadyRunning(_services.Logger, SyncMetrics.TenantTag(run.TenantId), held.RunId);
            return run with
            {
                RunId = held.RunId,
                Outcome = RunOutcome.AlreadyRunning,
                CompletedAt = now,
                Message = $"A sync is already running for this tenant (run {held.RunId}); this request joins it.",
            };
        }

        var heartbeat = new LeaseHeartbeat(_services.Tenants, lease, _services.Options.LeaseDuration, Time, _services.Logger);
        using var context = SyncRunContext.Enter(new SyncRunContext { TenantId = run.TenantId, RunId = run.RunId, Trigger = run.Trigger });
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, heartbeat.Lost);
            try
            {
                return await RunUnderLeaseAsync(run, work, force, loadReferenceData, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (heartbeat.Lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return await FinishAsync(run with { Outcome = RunOutcome.Failed, Message = "The run lost its lease on this tenant (the store could not be reached, or another node took over); records not sent stay Pending." }).ConfigureAwait(false);
            }
        }
        finally
        {
            await heartbeat.DisposeAsync().ConfigureAwait(false);
            await _services.Tenants.ReleaseLeaseAsync(heartbeat.Current, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<SyncRun> RunUnderLeaseAsync(SyncRun run, Func<RunExecutor, CancellationToken, Task> work, bool force, bool loadReferenceData, CancellationToken cancellationToken)
    {
        var tenant = await GetOrCreateTenantAsync(run.TenantId, cancellationToken).ConfigureAwait(false);
        var now = Time.GetUtcNow();
        // A pause for a spent call limit does not stop a user: the connector keeps a reserve of calls for user-initiated
        // runs and refuses them itself (without a call) once even that is spent. A host's own pause stops everyone.
        if (tenant.PausedUntil is { } until && until > now && !(run.Trigger == SyncTrigger.Manual && _services.Classifier.IsLimitPause(tenant.PauseReason)))
        {
            return await FinishAsync(run with
            {
                Outcome = RunOutcome.Paused,
                PausedUntil = until,
                Message = $"Sync paused until {until.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}{(tenant.PauseReason is { } r ? $": {r}" : string.Empty)}.",
            }).ConfigureAwait(false);
        }

        if (tenant.Connection == ConnectionState.Disconnected)
        {
            return await FinishAsync(run with
            {
                Outcome = RunOutcome.Disconnected,
                Message = $"The ledger connection is disconnected; reconnect it to sync.{(tenant.ConnectionMessage is { } m ? $" ({m})" : string.Empty)}",
            }).ConfigureAwait(false);
        }

        await _services.Runs.SaveAsync(run, cancellationToken).ConfigureAwait(false);
        Log.RunStarted(_services.Logger, run.RunId, SyncMetrics.TenantTag(run.TenantId), run.Trigger);
        using var activity = SyncKitTelemetry.ActivitySource.StartActivity("synckit.run");
        activity?.SetTag("synckit.tenant", SyncMetrics.TenantTag(run.TenantId));
        activity?.SetTag("synckit.trigger", run.Trigger.ToString());

        RunExecutor? executor = null;
        try
        {
            // The tenant's settings, read once per run: every record of it is prepared under the same ones.
            var settings = await RunSettingsAsync(run.TenantId, cancellationToken).ConfigureAwait(false);
            ReferenceData reference;
            try
            {
                // A pull needs none of the reference data a push validates against: it costs no calls for it.
                reference = loadReferenceData ? await LoadReferenceDataAsync(run.TenantId, run.Trigger, cancellationToken).ConfigureAwait(false) : new ReferenceData();
            }
            catch (ConnectorException ex)
            {
                var scopeForFailure = new RunScope(run.TenantId, run.RunId, new ReferenceData(), Time, settings);
                executor = new RunExecutor(_services, scopeForFailure, tenant, cancellationToken);
                await executor.HandleRunFailureAsync(ex.Failure).ConfigureAwait(false);
                throw;
            }

            var scope = new RunScope(run.TenantId, run.RunId, reference, Time, settings);
            executor = new RunExecutor(_services, scope, tenant, cancellationToken) { Force = force };
            try
            {
                await work(executor, cancellationToken).ConfigureAwait(false);
            }
            catch (ConnectorException ex)
            {
                // A lookup refused mid-run (a revoked connection, the daily limit) stops the tenant the same way a push does.
                await executor.HandleRunFailureAsync(ex.Failure).ConfigureAwait(false);
                throw;
            }
            var counter = executor.Counter;
            if (counter.ReferenceDataDoubted && loadReferenceData)
            {
                await ForgetReferenceDataAsync(run.TenantId).ConfigureAwait(false);
            }

            return await FinishAsync(run with
            {
                Outcome = counter.HasProblems || executor.Problems.Count > 0 ? RunOutcome.CompletedWithErrors : RunOutcome.Completed,
                Message = executor.Problems.Count > 0 ? string.Join(" ", executor.Problems) : null,
                Counts = counter.ToCounts(),
            }).ConfigureAwait(false);
        }
        catch (RunStoppedException stop)
        {
            Log.RunStopped(_services.Logger, run.RunId, stop.Outcome, stop.Message);
            return await FinishAsync(run with { Outcome = stop.Outcome, PausedUntil = stop.PausedUntil, Message = stop.Message, Counts = executor?.Counter.ToCounts() ?? new() }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await FinishAsync(run with { Outcome = RunOutcome.Cancelled, Message = "The run was cancelled; records not sent stay Pending.", Counts = executor?.Counter.ToCounts() ?? new() }).ConfigureAwait(false);
            throw;
        }
        catch (Exception ex)
        {
            Log.RunFailed(_services.Logger, ex, run.RunId);
            return await FinishAsync(run with { Outcome = RunOutcome.Failed, Message = $"{ex.GetType().Name}: {ex.Message}", Counts = executor?.Counter.ToCounts() ?? new() }).ConfigureAwait(false);
        }
    }

    private async Task<SyncRun> FinishAsync(SyncRun run)
    {
        var finished = run with { CompletedAt = Time.GetUtcNow() };
        await _services.Runs.SaveAsync(finished, CancellationToken.None).ConfigureAwait(false);
        _services.Metrics.RunDuration.Record((finished.Duration ?? TimeSpan.Zero).TotalSeconds, new KeyValuePair<string, object?>("outcome", finished.Outcome.ToString()));
        Log.RunEnded(_services.Logger, run.RunId, finished.Outcome, finished.Counts.Synced, finished.Counts.Failed, finished.Counts.Unchanged, finished.Counts.Calls);
        return finished;
    }

    private async Task<Settings.RunSettings> RunSettingsAsync(string tenantId, CancellationToken cancellationToken) =>
        Settings.RunSettings.Resolve(await _inbound.SettingsForAsync(tenantId, cancellationToken).ConfigureAwait(false), _services.Options);

    private async Task<ReferenceData> LoadReferenceDataAsync(string tenantId, SyncTrigger trigger, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var maxAge = _services.Options.ReferenceDataMaxAge;
        ReferenceData? previous = null;
        if (maxAge > TimeSpan.Zero
            && trigger != SyncTrigger.Manual
            && await _services.ReferenceCache.GetAsync(tenantId, cancellationToken).ConfigureAwait(false) is { } cached
            && cached.FetchedAt != DateTimeOffset.UnixEpoch
            && JsonSerializer.Deserialize<ReferenceData>(cached.Json, s_referenceJson) is { } fromCache)
        {
            if (now - cached.FetchedAt <= maxAge)
            {
                return fromCache;
            }

            // Past its age but not dropped for a failure: the connector may read only what changed since.
            previous = fromCache with { FetchedAt = cached.FetchedAt };
        }

        var fresh = previous is null
            ? await _services.Connector.LoadReferenceDataAsync(tenantId, cancellationToken).ConfigureAwait(false)
            : await _services.Connector.RevalidateReferenceDataAsync(tenantId, previous, cancellationToken).ConfigureAwait(false);
        fresh = fresh with { FetchedAt = now };
        await _services.ReferenceCache.SetAsync(
            new CachedReferenceData { TenantId = tenantId, Json = JsonSerializer.Serialize(fresh, s_referenceJson), FetchedAt = now },
            cancellationToken).ConfigureAwait(false);
        return fresh;
    }

    /// <summary>Marks the cached reference data out of date: a record failed for a reason the ledger's settings decide.</summary>
    private async Task ForgetReferenceDataAsync(string tenantId)
    {
        if (await _services.ReferenceCache.GetAsync(tenantId, CancellationToken.None).ConfigureAwait(false) is { } cached)
        {
            await _services.ReferenceCache.SetAsync(cached with { FetchedAt = DateTimeOffset.UnixEpoch }, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<TenantState> GetOrCreateTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (await _services.Tenants.GetAsync(tenantId, cancellationToken).ConfigureAwait(false) is { } state)
        {
            return state;
        }

        // A mistyped tenant id must not become a tenant that is synced, reported and never removed.
        if (!await _services.Connector.IsKnownTenantAsync(tenantId, cancellationToken).ConfigureAwait(false))
        {
            throw new UnknownTenantException(tenantId);
        }

        var created = new TenantState { TenantId = tenantId, Connection = ConnectionState.Unknown, UpdatedAt = Time.GetUtcNow() };
        await _services.Tenants.SaveAsync(created, cancellationToken).ConfigureAwait(false);
        return created;
    }

    private async Task<LedgerEntry> ChangeAsync(LedgerKey key, LedgerEvent @event, CancellationToken cancellationToken)
    {
        var entry = await _services.Ledger.GetAsync(key, cancellationToken).ConfigureAwait(false)
            ?? LedgerTransitions.New(key, string.Empty, key.SourceId, Time.GetUtcNow());
        var next = LedgerTransitions.Apply(entry, @event, Time.GetUtcNow());
        if (!await SaveOneAsync(next, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"{key} changed while it was being updated; try again.");
        }

        return next with { Version = next.Version + 1 };
    }

    private async Task<bool> SaveOneAsync(LedgerEntry entry, CancellationToken cancellationToken) =>
        (await _services.Ledger.SaveAsync([entry], cancellationToken).ConfigureAwait(false)).Count == 0;

    private SyncRun NewRun(string tenantId, SyncTrigger trigger, string? requestedBy, IReadOnlyList<RecordKind> kinds, string? recordKey) => new()
    {
        RunId = NewRunId(),
        TenantId = tenantId,
        Trigger = trigger,
        RequestedBy = requestedBy,
        Kinds = kinds,
        RecordKey = recordKey,
        StartedAt = Time.GetUtcNow(),
        Outcome = RunOutcome.Running,
    };

    private static string NewRunId() => "run_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));

    /// <summary>Groups a source's stream into chunks: a run or preview holds one chunk, never the whole source.</summary>
    internal static async IAsyncEnumerable<List<SyncRecord>> Chunk(IAsyncEnumerable<SyncRecord> records, int size, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var chunk = new List<SyncRecord>(size);
        await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            chunk.Add(record);
            if (chunk.Count >= size)
            {
                yield return chunk;
                chunk = new List<SyncRecord>(size);
            }
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }
}
