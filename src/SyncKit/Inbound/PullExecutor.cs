using System.Globalization;
using SyncKit.Engine;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Settings;
using SyncKit.Storage;

namespace SyncKit.Inbound;

/// <summary>
/// One pull run's work, under the tenant's run lease: per kind, reads the ledger's changes a page at a time from the
/// kind's watermark (less the skew margin), hands each to the host's target, and saves the page reached after every page,
/// so a pull stopped by a crash or a pause carries on from its page.
/// </summary>
internal sealed partial class PullExecutor(EngineServices services, InboundServices inbound, InboundStore store, string tenantId, RunCounter counter, Action<string> problem, TenantSettings settings, CancellationToken cancellationToken, DateOnly? jobsFrom = null, DateOnly? jobsTo = null)
{
    /// <summary>Ledger states in which the host's version of a record is still to be pushed: a pull must not overwrite it.</summary>
    private static readonly HashSet<LedgerState> s_localChangePending =
        [LedgerState.Pending, LedgerState.InFlight, LedgerState.RetryScheduled, LedgerState.Uncertain, LedgerState.Held, LedgerState.Unmapped];

    // Payments retried from the reconciliation list at the start of a run may be read from the ledger again within the skew
    // margin: each is handled once per run.
    private readonly HashSet<string> _paymentsHandled = new(StringComparer.Ordinal);

    private DateTimeOffset Now => services.Time.GetUtcNow();

    public async Task PullKindsAsync(IReadOnlyList<RecordKind> kinds)
    {
        if (kinds.Count == 0)
        {
            return;
        }

        foreach (var kind in RecordKindOrder.Sort(kinds))
        {
            if (!settings.Pulls(kind))
            {
                // The tenant's settings say this kind only travels to the ledger (or not at all).
                continue;
            }

            var target = inbound.TargetFor(kind);
            if (PulledWithoutTarget(kind) && services.Connector.SupportsPull(kind))
            {
                await PullKindAsync(kind, target).ConfigureAwait(false);
                continue;
            }

            if (target is null)
            {
                problem($"No target is registered for {kind}; register one with AddTarget<T>() to pull it.");
                continue;
            }

            if (!services.Connector.SupportsPull(kind))
            {
                problem($"The {services.Connector.Name} connector cannot pull {kind} yet.");
                continue;
            }

            if (kind == RecordKind.Payment && target is PaymentTarget payments)
            {
                // The reconciliation list is tried again on every run: the host may have created the invoice since.
                await RetryReconciliationAsync(payments).ConfigureAwait(false);
            }

            if (target is not PaymentTarget)
            {
                await ApplyKeptAsync(kind, target).ConfigureAwait(false);
            }

            await PullKindAsync(kind, target).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A targeted pull: the named records, read by id in groups of <see cref="MaxIdsPerRead"/>, handled as any pulled record;
    /// the kinds' cursors are not touched (the periodic pull from the watermark still sees everything).
    /// </summary>
    public async Task PullRecordsAsync(IReadOnlyDictionary<RecordKind, IReadOnlyList<string>> remoteIds)
    {
        foreach (var kind in RecordKindOrder.Sort(remoteIds.Keys).Where(remoteIds.ContainsKey))
        {
            if (!settings.Pulls(kind))
            {
                // The tenant's settings say this kind only travels to the ledger (or not at all): a webhook changes nothing.
                continue;
            }

            var target = inbound.TargetFor(kind);
            if (!services.Connector.SupportsPull(kind) || (target is null && !PulledWithoutTarget(kind)))
            {
                problem(target is null
                    ? $"No target is registered for {kind}; register one with AddTarget<T>() to pull it."
                    : $"The {services.Connector.Name} connector cannot pull {kind} yet.");
                continue;
            }

            foreach (var ids in remoteIds[kind].Distinct(StringComparer.Ordinal).Chunk(MaxIdsPerRead))
            {
                var page = await services.Connector.ReadChangesAsync(
                    new PullPageRequest { TenantId = tenantId, Kind = kind, Page = 1, PageSize = MaxIdsPerRead, RemoteIds = ids, IncludeCustomFields = IncludesCustomFields(target) },
                    cancellationToken).ConfigureAwait(false);
                counter.Calls += page.Calls;
                await TellDefinitionsAsync(kind, target, page).ConfigureAwait(false);
                counter.Seen += page.Records.Count;
                await ApplyPageAsync(kind, target, page.Records, timeless: false).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Xero's advice for its <c>IDs</c> filter: about 50 ids keep the URL short enough.</summary>
    private const int MaxIdsPerRead = 50;

    private async Task PullKindAsync(RecordKind kind, SyncTarget? target)
    {
        var cursor = await store.GetCursorAsync(tenantId, kind, cancellationToken).ConfigureAwait(false)
            ?? new PullCursor { TenantId = tenantId, Kind = kind, UpdatedAt = Now };
        var fresh = !cursor.InProgress;
        if (fresh)
        {
            // Modified-since is fixed for the whole pull so that page numbers stay meaningful when it resumes.
            cursor = cursor with
            {
                InProgress = true,
                InProgressSince = cursor.Watermark is { } mark ? mark - services.Options.PullSkewMargin : null,
                NextPage = 1,
                PageToken = null,
                MaxSeen = cursor.Watermark,
                UpdatedAt = Now,
            };
            await store.SaveCursorAsync(cursor, cancellationToken).ConfigureAwait(false);
        }

        var pageSize = services.Options.PullPageSize;
        while (true)
        {
            var page = await services.Connector.ReadChangesAsync(
                new PullPageRequest
                {
                    TenantId = tenantId,
                    Kind = kind,
                    ModifiedSince = cursor.InProgressSince,
                    Page = cursor.NextPage,
                    PageSize = pageSize,
                    PageToken = cursor.PageToken,
                    IncludeCustomFields = IncludesCustomFields(target),
                    From = kind == RecordKind.Job ? jobsFrom : null,
                    To = kind == RecordKind.Job ? jobsTo : null,
                },
                cancellationToken).ConfigureAwait(false);
            counter.Calls += page.Calls;
            await TellDefinitionsAsync(kind, target, page).ConfigureAwait(false);

            // A ledger without change times: the watermark is when the pull's first read began (a later read of a resumed
            // pull would skip what changed in between).
            var maxSeen = page.AsOf is { } asOf
                ? (fresh && cursor.NextPage == 1 && cursor.PageToken is null ? asOf : cursor.MaxSeen ?? asOf)
                : page.Records.Count == 0 ? cursor.MaxSeen : Max(cursor.MaxSeen, page.Records.Max(r => r.UpdatedAt));
            if (page.Unpaged)
            {
                // The whole list in one answer: applied a page-size chunk at a time, the chunk reached saved after each.
                var chunks = page.Records.Chunk(pageSize).ToArray();
                for (var chunk = cursor.NextPage - 1; chunk < chunks.Length; chunk++)
                {
                    counter.Seen += chunks[chunk].Length;
                    await ApplyPageAsync(kind, target, chunks[chunk], timeless: true).ConfigureAwait(false);
                    cursor = cursor with { NextPage = chunk + 2, MaxSeen = maxSeen, UpdatedAt = Now };
                    if (chunk < chunks.Length - 1)
                    {
                        await store.SaveCursorAsync(cursor, cancellationToken).ConfigureAwait(false);
                    }
                }

                if (kind == RecordKind.Job && jobsFrom is null)
                {
                    await PullJobsLeftCurrentAsync(target, page.Records).ConfigureAwait(false);
                }

                await FinishAsync(cursor, maxSeen).ConfigureAwait(false);
                return;
            }

            counter.Seen += page.Records.Count;
            await ApplyPageAsync(kind, target, page.Records, timeless: page.AsOf is not null).ConfigureAwait(false);
            if (!page.HasMore)
            {
                await FinishAsync(cursor, maxSeen).ConfigureAwait(false);
                return;
            }

            cursor = cursor with { NextPage = cursor.NextPage + 1, PageToken = page.NextPageToken, MaxSeen = maxSeen, UpdatedAt = Now };
            await store.SaveCursorAsync(cursor, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task FinishAsync(PullCursor cursor, DateTimeOffset? maxSeen) =>
        store.SaveCursorAsync(
            cursor with { Watermark = maxSeen, InProgress = false, InProgressSince = null, NextPage = 1, PageToken = null, MaxSeen = null, UpdatedAt = Now },
            cancellationToken);

    private async Task ApplyPageAsync(RecordKind kind, SyncTarget? target, IReadOnlyList<PulledRecord> records, bool timeless)
    {
        if (kind == RecordKind.CreditNote)
        {
            await ApplyCreditNotesAsync(target, [.. records.OfType<PulledCreditNote>()]).ConfigureAwait(false);
        }
        else if (kind == RecordKind.Invoice)
        {
            await ApplyStatusesAsync(kind, target, [.. records.OfType<PulledDocumentStatus>()]).ConfigureAwait(false);
        }
        else if (target is PaymentTarget payments)
        {
            await ApplyPaymentsAsync(payments, [.. records.OfType<PulledPayment>()]).ConfigureAwait(false);
        }
        else if (target is not null)
        {
            await ApplyRecordsAsync(kind, target, records, timeless).ConfigureAwait(false);
        }
    }

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x > b ? x : b;

    /// <summary>
    /// Contacts, clients, jobs and staff: the ledger or an earlier pull names the host record, else it is new. When the
    /// ledger's records carry no change time (<paramref name="timeless"/>, stamped with the read's), only content tells a change.
    /// </summary>
    private async Task ApplyRecordsAsync(RecordKind kind, SyncTarget target, IReadOnlyList<PulledRecord> records, bool timeless)
    {
        if (records.Count == 0)
        {
            return;
        }

        var ids = records.Select(r => r.RemoteId).Distinct(StringComparer.Ordinal).ToArray();
        var known = await store.GetRecordsAsync(tenantId, kind, ids, cancellationToken).ConfigureAwait(false);
        var owners = await services.Ledger.FindOwnersAsync(tenantId, kind, ids, cancellationToken).ConfigureAwait(false);
        var parents = await ParentHostIdsAsync(records).ConfigureAwait(false);
        foreach (var record in records)
        {
            known.TryGetValue(record.RemoteId, out var existing);
            if (existing is { State: InboundState.Applied or InboundState.Dismissed }
                && (timeless ? InboundJson.SameContent(kind, existing.PayloadJson, record) : existing.RemoteUpdatedAt >= record.UpdatedAt))
            {
                // Read again inside the skew margin, or (a ledger without change times) read again unchanged: already in the host.
                counter.Unchanged++;
                continue;
            }

            var hostId = owners.TryGetValue(record.RemoteId, out var owner) ? owner.SourceId : existing?.HostId;
            var parentHostId = parents.GetValueOrDefault(record.RemoteId);
            var archived = IsArchived(record);
            var matched = false;
            if (hostId is null && !archived && await MatchAsync(kind, target, record).ConfigureAwait(false) is { } match)
            {
                (hostId, matched) = (match, true);
            }

            IReadOnlySet<string>? fields = null;
            if (hostId is not null && await LocalChangePendingAsync(kind, target, hostId).ConfigureAwait(false))
            {
                var now = await KeepForLaterAsync(kind, target, existing, record, hostId, parentHostId).ConfigureAwait(false);
                if (now is not { } taken)
                {
                    continue;
                }

                fields = taken.Fields;
            }

            if (archived && hostId is null)
            {
                // Archived in the ledger and never in the host: nothing to do.
                await SaveAsync(existing, record, InboundState.Applied, null, null, [], "Archived in the ledger; the host never had it.").ConfigureAwait(false);
                counter.Unchanged++;
                continue;
            }

            await ApplyChangeAsync(kind, target, existing, record, hostId, parentHostId, fields).ConfigureAwait(false);
            if (matched)
            {
                await LinkInLedgerAsync(kind, hostId!, record).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The one host record the target says this unlinked pulled record already is, or null. Never merges: several
    /// candidates, or a candidate the ledger links to another record, and the pulled record is created instead.
    /// </summary>
    private async Task<string?> MatchAsync(RecordKind kind, SyncTarget target, PulledRecord record)
    {
        var candidates = await target.FindMatchesAnyAsync(tenantId, record, cancellationToken).ConfigureAwait(false);
        var free = new List<string>(candidates.Count);
        foreach (var candidate in candidates.Distinct(StringComparer.Ordinal))
        {
            var entry = await services.Ledger.GetAsync(new LedgerKey(tenantId, kind, candidate), cancellationToken).ConfigureAwait(false);

            // A host record not yet sent is free; its push finds the ledger's record by the connector's own match.
            if (entry is null || string.IsNullOrEmpty(entry.RemoteId) || entry.RemoteId == record.RemoteId)
            {
                free.Add(candidate);
            }
        }

        return free.Count == 1 ? free[0] : null;
    }

    private async Task ApplyChangeAsync(RecordKind kind, SyncTarget target, InboundRecord? existing, PulledRecord record, string? hostId, string? parentHostId, IReadOnlySet<string>? fields = null)
    {
        var archived = IsArchived(record);
        var action = archived ? PullAction.Archive : hostId is null ? PullAction.Create : PullAction.Update;
        var applied = await ApplyAsync(target, existing, record, action, hostId, parentHostId, fields).ConfigureAwait(false);
        if (action == PullAction.Create && applied is not null)
        {
            await LinkInLedgerAsync(kind, applied, record).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The host's record has a local change waiting to be pushed: what happens to the pulled version is the kind's conflict
    /// policy, and each named field's own (the tenant's settings). Returns the fields to apply now (null fields: the whole
    /// record), or null when nothing is applied now.
    /// </summary>
    private async Task<ApplyNow?> KeepForLaterAsync(RecordKind kind, SyncTarget target, InboundRecord? existing, PulledRecord record, string hostId, string? parentHostId)
    {
        var policy = settings.ConflictPolicyFor(kind);
        var decision = await ConflictDecision.DecideAsync(settings, kind, () => LedgerIsNewerAsync(kind, target, hostId, record)).ConfigureAwait(false);
        var fieldsNow = decision.FieldsNow(kind);
        var split = decision.Split ? $" Fields taken from the ledger: {Names(decision.KindSide == ConflictSide.Ledger ? fieldsNow : decision.LedgerFields)}; kept as the host has them: {Names(decision.HostFields)}." : string.Empty;
        var (state, message, reason) = decision.KindSide switch
        {
            ConflictSide.Ledger => ((InboundState?)null, (string?)null, $"The host's record had a change waiting to be pushed; the ledger's version was applied over it (policy {policy}).{split}"),
            ConflictSide.Later when policy == ConflictPolicy.ApplyAfterPush => (InboundState.Deferred, "The host's record has a change waiting to be pushed; the ledger's version is kept and applied after the push lands." + split, "The host's record has a change waiting to be pushed; the ledger's version will be applied after the push lands." + split),
            ConflictSide.Later => (InboundState.Conflict, "The host's record and the ledger's both changed; choose which version to keep. Its push is held until then." + split, "The host's record and the ledger's both changed; a user chooses, and the host's push waits." + split),
            _ when decision.LedgerFields.Count > 0 => ((InboundState?)null, (string?)null, $"The host's record had a change waiting to be pushed; only some fields of the ledger's version were applied (policy {policy}).{split}"),
            _ => (InboundState.Conflict, $"The host's record has a change waiting to be pushed; the host's version was kept (policy {policy}).", $"The host's record has a change waiting to be pushed (policy {policy})."),
        };
        await target.OnConflictAsync(
            new PullConflict
            {
                TenantId = tenantId,
                Kind = kind,
                HostId = hostId,
                RemoteId = record.RemoteId,
                Reason = reason,
                Policy = policy,
                LedgerFields = decision.Split ? [.. (decision.KindSide == ConflictSide.Ledger ? fieldsNow! : decision.LedgerFields).Order(StringComparer.Ordinal)] : [],
                HostFields = [.. decision.HostFields.Order(StringComparer.Ordinal)],
            },
            cancellationToken).ConfigureAwait(false);
        counter.Conflicts++;
        if (state is not { } kept)
        {
            return new ApplyNow(fieldsNow);
        }

        if (decision.LedgerFields.Count > 0)
        {
            // Fields whose own policy gives them to the ledger go now; the rest of the record waits.
            await ApplyAsync(target, existing, record, PullAction.Update, hostId, parentHostId, decision.LedgerFields).ConfigureAwait(false);
            existing = (await store.GetRecordsAsync(tenantId, kind, [record.RemoteId], cancellationToken).ConfigureAwait(false)).GetValueOrDefault(record.RemoteId);
        }

        await SaveAsync(existing, record, kept, hostId, parentHostId, [], message).ConfigureAwait(false);
        if (policy == ConflictPolicy.Ask)
        {
            // The host's push of the record waits for the user's choice, as the pulled version does.
            await ConflictHold.HoldAsync(services, new LedgerKey(tenantId, kind, hostId), record, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>What a conflict lets through now: the fields to take from the ledger (null: all).</summary>
    private readonly record struct ApplyNow(IReadOnlySet<string>? Fields);

    /// <summary>
    /// Newest wins: the ledger's change time against the host's local one, as the target reports it or, failing that, when a
    /// sync saw the change (the ledger entry's time). Neither known: the host's version is kept.
    /// </summary>
    private async Task<bool> LedgerIsNewerAsync(RecordKind kind, SyncTarget target, string hostId, PulledRecord record)
    {
        var local = await target.GetLocalChangeTimeAsync(tenantId, hostId, cancellationToken).ConfigureAwait(false);
        if (local is null && await services.Ledger.GetAsync(new LedgerKey(tenantId, kind, hostId), cancellationToken).ConfigureAwait(false) is { } entry
            && s_localChangePending.Contains(entry.State))
        {
            local = entry.UpdatedAt;
        }

        return local is { } hostTime && record.UpdatedAt > hostTime;
    }

    private static string Names(IReadOnlySet<string>? fields) => fields is null || fields.Count == 0 ? "none" : string.Join(", ", fields.Order(StringComparer.Ordinal));

    /// <summary>
    /// Pulled versions kept for later: those a user accepted (applied now) and those kept until the host's push lands
    /// (applied once the host's record has no change waiting). Read from the store, not the ledger.
    /// </summary>
    private async Task ApplyKeptAsync(RecordKind kind, SyncTarget target)
    {
        (RecordKind, string)? after = null;
        while (true)
        {
            var kept = await store.ListRecordsAsync(tenantId, [InboundState.Deferred, InboundState.Accepted], services.Options.PullPageSize, after, cancellationToken).ConfigureAwait(false);
            if (kept.Count == 0)
            {
                return;
            }

            after = (kept[^1].Kind, kept[^1].RemoteId);
            foreach (var row in kept.Where(r => r.Kind == kind))
            {
                if (InboundJson.Deserialize(kind, row.PayloadJson) is not { } record)
                {
                    continue;
                }

                if (row.State == InboundState.Deferred && row.HostId is { } hostId && await LocalChangePendingAsync(kind, target, hostId).ConfigureAwait(false))
                {
                    // The push has not landed yet.
                    continue;
                }

                // A version kept until the push landed leaves the fields the host won alone; one a user chose goes whole.
                var fields = row.State == InboundState.Deferred && row.HostId is { } owner
                    ? (await ConflictDecision.DecideAsync(settings, kind, () => LedgerIsNewerAsync(kind, target, owner, record)).ConfigureAwait(false)).FieldsLater(kind)
                    : null;
                await ApplyChangeAsync(kind, target, row, record, row.HostId, row.ParentHostId, fields).ConfigureAwait(false);
                if (row.State == InboundState.Accepted && row.HostId is { } chosen)
                {
                    // Re-based: the host's record now holds the ledger's version, and its held push goes with it.
                    await ConflictHold.ReleaseAsync(services, new LedgerKey(tenantId, kind, chosen), cancellationToken).ConfigureAwait(false);
                }
            }

            if (kept.Count < services.Options.PullPageSize)
            {
                return;
            }
        }
    }

    /// <summary>The host ids of the records pulled records belong to: a job's client, as the ledger or an earlier pull knows it.</summary>
    private async Task<IReadOnlyDictionary<string, string>> ParentHostIdsAsync(IReadOnlyList<PulledRecord> records)
    {
        var jobs = records.OfType<PulledJob>().Where(j => j.ClientRemoteId is not null).ToArray();
        if (jobs.Length == 0)
        {
            return new Dictionary<string, string>();
        }

        var clientIds = jobs.Select(j => j.ClientRemoteId!).Distinct(StringComparer.Ordinal).ToArray();
        var owners = await services.Ledger.FindOwnersAsync(tenantId, RecordKind.Client, clientIds, cancellationToken).ConfigureAwait(false);
        var pulled = await store.GetRecordsAsync(tenantId, RecordKind.Client, clientIds, cancellationToken).ConfigureAwait(false);
        var parents = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var job in jobs)
        {
            var parent = owners.TryGetValue(job.ClientRemoteId!, out var owner) ? owner.SourceId : pulled.GetValueOrDefault(job.ClientRemoteId!)?.HostId;
            if (parent is not null)
            {
                parents[job.RemoteId] = parent;
            }
        }

        return parents;
    }

    /// <summary>
    /// Invoices and credit notes SyncKit pushed that were paid (fully allocated), voided or deleted in the ledger: the ledger
    /// entry is Skipped with a classified reason, so neither Sync All nor a re-sync sends it again (Xero would refuse it),
    /// and the host's target is told. Documents SyncKit did not push are not imported (yet).
    /// </summary>
    private async Task ApplyStatusesAsync(RecordKind kind, SyncTarget? target, IReadOnlyList<PulledRecord> statuses, IReadOnlyDictionary<string, LedgerKey>? owners = null)
    {
        if (statuses.Count == 0)
        {
            return;
        }

        owners ??= await services.Ledger.FindOwnersAsync(tenantId, kind, [.. statuses.Select(s => s.RemoteId).Distinct(StringComparer.Ordinal)], cancellationToken).ConfigureAwait(false);
        var known = await store.GetRecordsAsync(tenantId, kind, [.. owners.Keys], cancellationToken).ConfigureAwait(false);
        foreach (var status in statuses)
        {
            known.TryGetValue(status.RemoteId, out var existing);
            if (!owners.TryGetValue(status.RemoteId, out var owner) || (existing is { State: InboundState.Applied } && existing.RemoteUpdatedAt >= status.UpdatedAt))
            {
                counter.Unchanged++;
                continue;
            }

            var (isClosed, number, text, cancelled) = Describe(status);
            if (isClosed && await services.Ledger.GetAsync(owner, cancellationToken).ConfigureAwait(false) is { } entry && entry.State is not LedgerState.Skipped)
            {
                if (entry.State is LedgerState.InFlight or LedgerState.Uncertain)
                {
                    // A push holds it: the next pull, inside the skew margin or after the push's own change, sees the status again.
                    continue;
                }

                var error = services.Classifier.Classify(
                    new Errors.SyncFailure
                    {
                        Source = Errors.FailureSource.Validation,
                        Code = Errors.FailureCodes.ClosedInLedger,
                        Kind = kind,
                        Messages = [$"{(kind == RecordKind.CreditNote ? "Credit note" : "Invoice")} '{number ?? status.RemoteId}' is {text} in Xero."],
                    },
                    Now);
                var closed = LedgerTransitions.Apply(entry, new LedgerEvent.SkipRequested(error), Now);
                if ((await services.Ledger.SaveAsync([closed], cancellationToken).ConfigureAwait(false)).Count > 0)
                {
                    // Changed under us by a user action: the next pull tries again.
                    continue;
                }
            }

            if (target is not null)
            {
                await ApplyAsync(target, existing, status, cancelled ? PullAction.Archive : PullAction.Update, owner.SourceId, null).ConfigureAwait(false);
            }
            else
            {
                await SaveAsync(existing, status, InboundState.Applied, owner.SourceId, null, [], text).ConfigureAwait(false);
                counter.Synced++;
            }
        }
    }

    private async Task<bool> LocalChangePendingAsync(RecordKind kind, SyncTarget target, string hostId)
    {
        var entry = await services.Ledger.GetAsync(new LedgerKey(tenantId, kind, hostId), cancellationToken).ConfigureAwait(false);
        return (entry is not null && s_localChangePending.Contains(entry.State))
            || await target.HasPendingChangeAsync(tenantId, hostId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A record the host created from the ledger gets a ledger entry linked to its remote id, so the next push of it is an
    /// update of the same ledger record, never a second one.
    /// </summary>
    private async Task LinkInLedgerAsync(RecordKind kind, string hostId, PulledRecord record)
    {
        var key = new LedgerKey(tenantId, kind, hostId);
        if (await services.Ledger.GetAsync(key, cancellationToken).ConfigureAwait(false) is not null)
        {
            return;
        }

        var linked = LedgerTransitions.Apply(LedgerTransitions.New(key, string.Empty, record.DisplayName, Now), new LedgerEvent.MarkedResolved(record.RemoteId), Now);
        await services.Ledger.SaveAsync([linked], cancellationToken).ConfigureAwait(false);
    }

    private async Task RetryReconciliationAsync(PaymentTarget target)
    {
        (RecordKind, string)? after = null;
        while (true)
        {
            var waiting = await store.ListRecordsAsync(tenantId, [InboundState.NeedsReconciliation, InboundState.Applying, InboundState.Accepted], services.Options.PullPageSize, after, cancellationToken).ConfigureAwait(false);
            if (waiting.Count == 0)
            {
                return;
            }

            after = (waiting[^1].Kind, waiting[^1].RemoteId);
            var payments = waiting.Where(r => r.Kind == RecordKind.Payment).Select(r => InboundJson.DeserializePayment(r.PayloadJson)).OfType<PulledPayment>().ToList();
            await ApplyPaymentsAsync(target, payments).ConfigureAwait(false);
            if (waiting.Count < services.Options.PullPageSize)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Payments: by the invoice SyncKit pushed (the ledger knows its Xero id), else the customer's one open invoice of exactly
    /// the amount; none or several go to the reconciliation list with their candidates.
    /// </summary>
    private async Task ApplyPaymentsAsync(PaymentTarget target, IReadOnlyList<PulledPayment> payments)
    {
        if (payments.Count == 0)
        {
            return;
        }

        var ids = payments.Select(p => p.RemoteId).Distinct(StringComparer.Ordinal).ToArray();
        var known = new Dictionary<string, InboundRecord>(await store.GetRecordsAsync(tenantId, RecordKind.Payment, ids, cancellationToken).ConfigureAwait(false), StringComparer.Ordinal);
        var pushed = await services.Ledger.FindOwnersAsync(tenantId, RecordKind.Payment, ids, cancellationToken).ConfigureAwait(false);
        var invoiceOwners = await services.Ledger.FindOwnersAsync(tenantId, RecordKind.Invoice, [.. payments.Select(p => p.InvoiceRemoteId).Distinct(StringComparer.Ordinal)], cancellationToken).ConfigureAwait(false);
        var contactOwners = await services.Ledger.FindOwnersAsync(
            tenantId, RecordKind.Contact, [.. payments.Select(p => p.ContactRemoteId).OfType<string>().Distinct(StringComparer.Ordinal)], cancellationToken).ConfigureAwait(false);
        foreach (var payment in payments)
        {
            if (!_paymentsHandled.Add(payment.RemoteId))
            {
                continue;
            }

            known.TryGetValue(payment.RemoteId, out var existing);
            if (existing is { State: InboundState.Applied or InboundState.Dismissed })
            {
                if (payment.Deleted && existing.State == InboundState.Applied && existing.RemoteUpdatedAt < payment.UpdatedAt && existing.HostId is not null)
                {
                    // Deleted in Xero after it was imported: the host reverses its payment.
                    var reversed = await ApplyAsync(target, existing, payment, PullAction.Archive, existing.HostId, existing.ParentHostId).ConfigureAwait(false);
                    known[payment.RemoteId] = existing with { State = InboundState.Applied, HostId = reversed ?? existing.HostId, RemoteUpdatedAt = payment.UpdatedAt };
                    continue;
                }

                counter.Unchanged++;
                continue;
            }

            if (pushed.TryGetValue(payment.RemoteId, out var pushedBy))
            {
                // The host's own payment, pushed by SyncKit: it is in the host already.
                await SaveAsync(existing, payment, InboundState.Applied, pushedBy.SourceId, null, [], "Pushed from the host.").ConfigureAwait(false);
                counter.Unchanged++;
                continue;
            }

            if (existing is { State: InboundState.Accepted or InboundState.Applying, ParentHostId: { } linked } && !payment.Deleted)
            {
                // Linked to a host invoice by a user, or matched before a crash stopped its apply: that invoice, no matching again.
                await ApplyAsync(target, existing, payment, PullAction.Create, existing.HostId, linked).ConfigureAwait(false);
                continue;
            }

            if (payment.Deleted)
            {
                await SaveAsync(existing, payment, InboundState.Dismissed, null, null, [], "Deleted in the ledger before it was imported.").ConfigureAwait(false);
                counter.Unchanged++;
                continue;
            }

            string? invoice;
            IReadOnlyList<string> candidates = [];
            string? why = null;
            if (invoiceOwners.TryGetValue(payment.InvoiceRemoteId, out var invoiceOwner))
            {
                invoice = invoiceOwner.SourceId;
            }
            else
            {
                var customer = payment.ContactRemoteId is { } c && contactOwners.TryGetValue(c, out var contactOwner) ? contactOwner.SourceId : null;
                candidates = await CandidatesAsync(target, customer, payment).ConfigureAwait(false);
                invoice = candidates.Count == 1 ? candidates[0] : null;
                why = candidates.Count switch
                {
                    0 => $"No open invoice of {payment.ContactName ?? "the customer"} has exactly {Money(payment.Amount)} outstanding; create or link the invoice, or dismiss the payment.",
                    1 => null,
                    _ => $"{candidates.Count} open invoices of {payment.ContactName ?? "the customer"} have exactly {Money(payment.Amount)} outstanding; choose the one it pays.",
                };
            }

            if (invoice is null)
            {
                await SaveAsync(existing, payment, InboundState.NeedsReconciliation, null, null, candidates, why).ConfigureAwait(false);
                counter.ToReconcile++;
                continue;
            }

            var applied = await ApplyAsync(target, existing, payment, PullAction.Create, existing?.HostId, invoice).ConfigureAwait(false);
            if (applied is not null)
            {
                known[payment.RemoteId] = new InboundRecord { TenantId = tenantId, Kind = RecordKind.Payment, RemoteId = payment.RemoteId, State = InboundState.Applied, HostId = applied, RemoteUpdatedAt = payment.UpdatedAt };
            }
        }
    }

    private async Task<IReadOnlyList<string>> CandidatesAsync(PaymentTarget target, string? customer, PulledPayment payment)
    {
        var found = (await target.FindOpenInvoicesAsync(tenantId, customer, payment, cancellationToken).ConfigureAwait(false)).Distinct(StringComparer.Ordinal).ToArray();
        if (found.Length == 0)
        {
            return found;
        }

        // An invoice the ledger links to another Xero invoice is not the one this payment was made on.
        var entries = await services.Ledger.GetManyAsync(tenantId, RecordKind.Invoice, found, cancellationToken).ConfigureAwait(false);
        return [.. found.Where(id => !entries.TryGetValue(id, out var entry) || entry.RemoteId is null || string.Equals(entry.RemoteId, payment.InvoiceRemoteId, StringComparison.Ordinal))];
    }

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>
    /// Hands one change to the target between two writes: Applying before (so a crash offers it again, flagged), Applied
    /// after. Returns the host id, or null when the host declined it.
    /// </summary>
    private async Task<string?> ApplyAsync(SyncTarget target, InboundRecord? existing, PulledRecord record, PullAction action, string? hostId, string? parentHostId, IReadOnlySet<string>? fields = null)
    {
        var mayBeApplied = existing?.State == InboundState.Applying;
        var applying = await SaveAsync(existing, record, InboundState.Applying, hostId, parentHostId, [], null).ConfigureAwait(false);
        var applied = await target.ApplyAnyAsync(tenantId, action, record, hostId, parentHostId, mayBeApplied, fields, cancellationToken).ConfigureAwait(false);
        if (applied is null && action != PullAction.Archive)
        {
            await SaveAsync(applying, record, InboundState.Dismissed, hostId, parentHostId, [], "The host declined it.").ConfigureAwait(false);
            counter.Skipped++;
            return null;
        }

        await SaveAsync(applying, record, InboundState.Applied, applied ?? hostId, parentHostId, [], null).ConfigureAwait(false);
        counter.Synced++;
        return applied ?? hostId;
    }

    private async Task<InboundRecord> SaveAsync(InboundRecord? existing, PulledRecord record, InboundState state, string? hostId, string? parentHostId, IReadOnlyList<string> candidates, string? message)
    {
        var now = Now;
        var saved = new InboundRecord
        {
            TenantId = tenantId,
            Kind = record.Kind,
            RemoteId = record.RemoteId,
            State = state,
            HostId = hostId,
            ParentHostId = parentHostId,
            Candidates = candidates,
            Message = message,
            DisplayName = record.DisplayName,
            RemoteUpdatedAt = record.UpdatedAt,
            PayloadJson = InboundJson.Serialize(record),
            Attempts = (existing?.Attempts ?? 0) + (state is InboundState.Applying or InboundState.NeedsReconciliation ? 1 : 0),
            CreatedAt = existing?.CreatedAt ?? now,
            UpdatedAt = now,
        };
        await store.SaveRecordAsync(saved, cancellationToken).ConfigureAwait(false);
        return saved;
    }
}
