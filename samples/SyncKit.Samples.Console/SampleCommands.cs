using System.Globalization;
using Spectre.Console;
using SyncKit.Errors;
using SyncKit.Ledger;
using SyncKit.Mapping;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Storage;
using SyncKit.Testing.Demo;

namespace SyncKit.Samples.Console;

/// <summary>The sample's commands: each a thin call into SyncKit's public API, so the sample doubles as documentation.</summary>
internal sealed class SampleCommands
{
    private readonly ISyncEngine _engine;
    private readonly DemoPsa _psa;
    private readonly SampleLedger _ledger;
    private readonly IAnsiConsole _console;
    private readonly SampleBooks _books;
    private readonly IServiceProvider _services;
    private bool _pulledOnce;

    public SampleCommands(ISyncEngine engine, DemoPsa psa, SampleLedger ledger, IAnsiConsole console, SampleBooks books, IServiceProvider services)
    {
        _engine = engine;
        _psa = psa;
        _ledger = ledger;
        _console = console;
        _books = books;
        _services = services;
    }

    private IReadOnlyList<SampleTenant> Tenants => _ledger.Tenants;

    private SampleTenant TenantFor(RecordKind kind) => Tenants.FirstOrDefault(t => t.Kinds.Contains(kind))
        ?? throw new SampleUsageException($"No tenant takes {kind} records in this configuration.");

    /// <summary>Tables wider than this many columns switch to a list layout (80-column terminals, redirected output).</summary>
    private const int WideLayout = 120;

    /// <summary>The one way the sample writes a date and time (ISO 8601, UTC).</summary>
    private const string TimeFormat = "yyyy-MM-dd HH:mm:ss";

    private bool Wide => _console.Profile.Width >= WideLayout;

    /// <summary>The whole story: sync, errors, fix, retry, errors gone, activity.</summary>
    public async Task<int> DemoAsync(CancellationToken cancellationToken)
    {
        _console.Write(new Rule("[bold]SyncKit demo[/]").LeftJustified());
        _console.MarkupLineInterpolated($"Syncing a demo practice's data to [bold]{_ledger.Description}[/].");
        foreach (var tenant in Tenants)
        {
            _console.MarkupLineInterpolated($"  [bold]{tenant.Name}[/]: {string.Join(", ", tenant.Kinds)}");
        }

        _console.WriteLine();
        _console.Write(new Rule("1. Sync all").LeftJustified());
        foreach (var tenant in Tenants)
        {
            WriteRun(tenant, await SyncWithProgressAsync(tenant, new SyncRequest { TenantId = tenant.Id, Kinds = tenant.Kinds, RequestedBy = "demo" }, cancellationToken));
        }

        _console.WriteLine();
        await StatusAsync(cancellationToken);

        _console.Write(new Rule("2. The error tab").LeftJustified());
        await ErrorsAsync(cancellationToken);

        _console.Write(new Rule("3. Fix: map the GL account and the organisation, unlock the period").LeftJustified());
        var (kind, local, remote) = DemoPractice.MissingGlMapping;
        var organisation = TenantFor(RecordKind.Invoice);
        var returned = await _engine.SetMappingAsync(organisation.Id, kind, local, remote, cancellationToken);
        _console.MarkupLineInterpolated($"Mapped GL account [bold]{local}[/] to Xero account [bold]{remote}[/]: {returned} record(s) back to Pending.");
        var practice = TenantFor(RecordKind.Cost);
        if (await FirstRemoteIdAsync(practice.Id, RecordKind.Client, cancellationToken) is { } client
            && await FirstRemoteIdAsync(practice.Id, RecordKind.Job, cancellationToken) is { } job)
        {
            returned = await _engine.SetMappingAsync(practice.Id, MappingKind.Client, "org-unmapped", client, cancellationToken);
            returned += await _engine.SetMappingAsync(practice.Id, MappingKind.Job, "org-unmapped", job, cancellationToken);
            _console.MarkupLineInterpolated($"Mapped organisation [bold]org-unmapped[/] to a Practice Manager client and job: {returned} record(s) back to Pending.");
        }

        await _ledger.UnlockPeriodAsync(cancellationToken);
        _console.MarkupLine("Unlocked the period (and the WIP period) in Xero.");

        _console.Write(new Rule("4. Retry").LeftJustified());
        foreach (var tenant in Tenants)
        {
            _console.MarkupLineInterpolated($"[grey]{tenant.Name}: retrying the records that failed…[/]");
            WriteRun(tenant, await _engine.RetryAsync(new RetryRequest { TenantId = tenant.Id, RequestedBy = "demo" }, cancellationToken));
        }

        _console.Write(new Rule("5. The errors left").LeftJustified());
        await ErrorsAsync(summary: true, cancellationToken);

        _console.Write(new Rule("6. Activity").LeftJustified());
        await ActivityAsync(cancellationToken);
        return 0;
    }

    public async Task<int> SyncAsync(IReadOnlyList<RecordKind> kinds, string? record, bool dryRun, CancellationToken cancellationToken)
    {
        if (record is not null)
        {
            var key = ParseKey(record);
            var outcome = await _engine.SyncRecordAsync(key, "sample", cancellationToken);
            _console.MarkupLineInterpolated($"{key.Kind} {key.SourceId}: [bold]{outcome.State}[/] {outcome.RemoteId} {outcome.Error?.Reason}");
            return outcome.State is LedgerState.Synced ? 0 : 1;
        }

        var exitCode = 0;
        foreach (var tenant in Tenants)
        {
            var tenantKinds = kinds.Count == 0 ? tenant.Kinds : kinds.Intersect(tenant.Kinds).ToArray();
            if (tenantKinds.Count == 0)
            {
                continue;
            }

            var request = new SyncRequest { TenantId = tenant.Id, Kinds = tenantKinds, RequestedBy = "sample" };
            if (dryRun)
            {
                var preview = await _engine.PreviewAsync(request, cancellationToken);
                _console.MarkupLineInterpolated($"{tenant.Name}: dry run: [green]{preview.Ready} ready[/], [red]{preview.Errors} with errors[/]; nothing was sent.");
                foreach (var line in preview.Lines.Where(l => !l.Ready))
                {
                    WriteError($"{line.Key.Kind} {line.DisplayName}", line.State, line.Error, details: true);
                }

                continue;
            }

            var run = await SyncWithProgressAsync(tenant, request, cancellationToken);
            WriteRun(tenant, run);
            if (run.Outcome is not (RunOutcome.Completed or RunOutcome.CompletedWithErrors or RunOutcome.AlreadyRunning))
            {
                exitCode = 1;
            }
        }

        return exitCode;
    }

    public async Task<int> StatusAsync(CancellationToken cancellationToken)
    {
        foreach (var tenant in Tenants)
        {
            var status = await _engine.GetStatusAsync(tenant.Id, cancellationToken);
            var connection = status.Connection switch
            {
                ConnectionState.Disconnected => "[red]disconnected: reconnect Xero[/]",
                ConnectionState.Connected => "[green]active[/]",
                _ => "not yet used",
            };
            var sync = status.PausedUntil is { } until
                ? Markup.Escape($"paused until {until.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)} UTC")
                : status.RunningRunId is { } running ? Markup.Escape($"syncing (run {running})") : "idle";
            var counts = string.Join(", ", status.Counts.ByState.OrderBy(s => s.Key).Select(s => $"{s.Value.ToString(CultureInfo.InvariantCulture)} {s.Key}"));
            _console.MarkupLine($"[bold]{Markup.Escape(tenant.Name)}[/]: connection {connection}; sync {sync}.");
            _console.MarkupLineInterpolated($"  Records: {(counts.Length == 0 ? "none yet" : counts)}.");
        }

        return 0;
    }

    public Task<int> ErrorsAsync(CancellationToken cancellationToken) => ErrorsAsync(summary: false, cancellationToken);

    /// <summary>
    /// The error tab. Wide consoles get a table; narrow ones (and redirected output) a list, one record after another,
    /// so no cell is squeezed into broken words. <paramref name="summary"/> lists record and reason only.
    /// </summary>
    public async Task<int> ErrorsAsync(bool summary, CancellationToken cancellationToken)
    {
        var entries = new List<LedgerEntry>();
        foreach (var tenant in Tenants)
        {
            string? token = null;
            do
            {
                var page = await _engine.QueryLedgerAsync(
                    new LedgerQuery { TenantId = tenant.Id, States = [LedgerState.Failed, LedgerState.Unmapped, LedgerState.Skipped, LedgerState.Uncertain, LedgerState.RetryScheduled], PageSize = 200, ContinuationToken = token },
                    cancellationToken);
                token = page.ContinuationToken;
                entries.AddRange(page.Entries);
            }
            while (token is not null);
        }

        if (entries.Count == 0)
        {
            _console.MarkupLine("[green]No errors.[/]");
            return 0;
        }

        if (Wide && !summary)
        {
            var table = new Table().AddColumns("Record", "Status", "Reason", "Xero's message", "What to do");
            foreach (var entry in entries)
            {
                table.AddRow(
                    Markup.Escape($"{entry.Kind} {entry.DisplayName}"),
                    StatusText(entry.State),
                    Markup.Escape(entry.Error?.Reason ?? string.Empty),
                    Markup.Escape(entry.Error?.Message ?? string.Empty),
                    Markup.Escape(string.Join(Environment.NewLine, entry.Error?.Resolution ?? [])));
            }

            _console.Write(table);
            return 0;
        }

        foreach (var entry in entries)
        {
            WriteError($"{entry.Kind} {entry.DisplayName}", entry.State, entry.Error, details: !summary);
        }

        return 0;
    }

    public async Task<int> RetryAsync(string? category, string? record, CancellationToken cancellationToken)
    {
        if (record is not null)
        {
            var key = ParseKey(record);
            WriteRun(TenantFor(key.Kind), await _engine.RetryAsync(new RetryRequest { TenantId = key.TenantId, Key = key, RequestedBy = "sample" }, cancellationToken));
            return 0;
        }

        foreach (var tenant in Tenants)
        {
            WriteRun(tenant, await _engine.RetryAsync(new RetryRequest { TenantId = tenant.Id, ErrorCategory = category, RequestedBy = "sample" }, cancellationToken));
        }

        return 0;
    }

    public async Task<int> SkipAsync(string record, bool undo, CancellationToken cancellationToken)
    {
        var key = ParseKey(record);
        var entry = undo ? await _engine.UnskipAsync(key, cancellationToken) : await _engine.SkipAsync(key, "Do not send (sample)", cancellationToken);
        _console.MarkupLineInterpolated($"{key.Kind} {key.SourceId} is now {entry.State}.");
        return 0;
    }

    public async Task<int> MapAsync(MappingKind kind, string localKey, string remoteKey, CancellationToken cancellationToken)
    {
        foreach (var tenant in Tenants)
        {
            var returned = await _engine.SetMappingAsync(tenant.Id, kind, localKey, remoteKey, cancellationToken);
            _console.MarkupLineInterpolated($"{tenant.Name}: mapped {kind} {localKey} → {remoteKey}; {returned} record(s) back to Pending.");
        }

        return 0;
    }

    public async Task<int> ActivityAsync(CancellationToken cancellationToken)
    {
        var runs = (await Task.WhenAll(Tenants.Select(async t => (await _engine.GetActivityAsync(t.Id, 20, cancellationToken)).Select(r => (Tenant: t, Run: r)))))
            .SelectMany(r => r)
            .OrderByDescending(r => r.Run.StartedAt)
            .ToArray();
        if (Wide)
        {
            var table = new Table().AddColumns("Tenant", "Started (UTC)", "Trigger", "By", "Outcome", "Synced", "Failed", "Unchanged", "Calls", "Duration");
            foreach (var (tenant, run) in runs)
            {
                table.AddRow(
                    Markup.Escape(tenant.Name),
                    run.StartedAt.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture),
                    run.Trigger.ToString(),
                    Markup.Escape(run.RequestedBy ?? string.Empty),
                    Markup.Escape(run.Outcome + (run.Message is { } m ? $": {m}" : string.Empty)),
                    run.Counts.Synced.ToString(CultureInfo.InvariantCulture),
                    run.Counts.Failed.ToString(CultureInfo.InvariantCulture),
                    run.Counts.Unchanged.ToString(CultureInfo.InvariantCulture),
                    run.Counts.Calls.ToString(CultureInfo.InvariantCulture),
                    Duration(run.Duration));
            }

            _console.Write(table);
            return 0;
        }

        foreach (var (tenant, run) in runs)
        {
            var c = run.Counts;
            _console.MarkupLineInterpolated(
                $"{run.StartedAt.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)} UTC  [bold]{tenant.Name}[/], {run.Trigger} by {run.RequestedBy ?? "nobody"}: {run.Outcome}{(run.Message is { } m ? $" ({m})" : string.Empty)}");
            _console.MarkupLineInterpolated(
                $"  {c.Synced} synced, {c.Failed} failed, {c.Unchanged} unchanged, {Count(c.Calls, "call")}, {Duration(run.Duration)}");
        }

        return 0;
    }

    /// <summary>Pulls the payments users made in Xero: matched ones imported once, the rest on the reconciliation list.</summary>
    public async Task<int> PullAsync(CancellationToken cancellationToken)
    {
        if (!_pulledOnce)
        {
            await _ledger.MakeDemoPaymentsAsync(_services, _books, cancellationToken);
            _pulledOnce = true;
        }

        foreach (var tenant in Tenants.Where(t => t.Kinds.Contains(RecordKind.Payment)))
        {
            var run = await _engine.PullAsync(new Inbound.PullRequest { TenantId = tenant.Id, Kinds = [RecordKind.Payment], RequestedBy = "sample" }, cancellationToken);
            var c = run.Counts;
            _console.MarkupLineInterpolated($"[bold]{tenant.Name}[/]: pull {run.Outcome} (run {run.RunId})");
            _console.MarkupLineInterpolated($"  {c.Seen} seen, {c.Synced} imported, {c.Unchanged} unchanged, {c.ToReconcile} to reconcile, {Count(c.Calls, "call")} to Xero.");
        }

        foreach (var (payment, (invoice, amount)) in _books.Payments.OrderBy(p => p.Value.InvoiceHostId, StringComparer.Ordinal))
        {
            _console.MarkupLineInterpolated($"  Imported {amount.ToString("0.00", CultureInfo.InvariantCulture)} against host invoice [bold]{invoice}[/] (Xero payment {payment}).");
        }

        return await ReconciliationListAsync(cancellationToken);
    }

    /// <summary>The reconciliation list, after a link or a dismissal when one is given.</summary>
    public async Task<int> ReconcileAsync(string? link, string? dismiss, CancellationToken cancellationToken)
    {
        await PullAsync(cancellationToken);
        if (link is null && dismiss is null)
        {
            return 0;
        }

        var tenant = TenantFor(RecordKind.Payment);
        var listed = await _engine.GetReconciliationListAsync(tenant.Id, 500, cancellationToken);
        var which = (link ?? dismiss)!.Split(':')[0];
        var record = listed.FirstOrDefault(r => r.RemoteId == which || (r.DisplayName?.EndsWith(" on " + which, StringComparison.Ordinal) ?? false))
            ?? throw new SampleUsageException($"No payment '{which}' is on the reconciliation list.");
        _console.WriteLine();
        if (link is not null)
        {
            var invoice = link.Split(':')[1];
            await _engine.LinkPulledPaymentAsync(tenant.Id, record.RemoteId, invoice, cancellationToken);
            _console.MarkupLineInterpolated($"Linked [bold]{record.DisplayName}[/] to host invoice [bold]{invoice}[/]; the next pull imports it.");
        }
        else
        {
            await _engine.DismissPulledAsync(tenant.Id, RecordKind.Payment, record.RemoteId, cancellationToken);
            _console.MarkupLineInterpolated($"Dismissed [bold]{record.DisplayName}[/]; it is never imported.");
        }

        _console.WriteLine();
        return await PullAsync(cancellationToken);
    }

    private async Task<int> ReconciliationListAsync(CancellationToken cancellationToken)
    {
        foreach (var tenant in Tenants.Where(t => t.Kinds.Contains(RecordKind.Payment)))
        {
            var listed = await _engine.GetReconciliationListAsync(tenant.Id, 100, cancellationToken);
            if (listed.Count == 0)
            {
                _console.MarkupLine("[green]Nothing to reconcile.[/]");
                continue;
            }

            _console.MarkupLineInterpolated($"[bold]To reconcile[/] ({listed.Count}):");
            foreach (var record in listed)
            {
                var candidates = record.Candidates.Count == 0 ? "no candidates" : "candidates " + string.Join(", ", record.Candidates);
                _console.MarkupLineInterpolated($"  {record.Kind} {record.DisplayName} · {record.State} · {candidates}");
                _console.MarkupLineInterpolated($"    [grey]{record.Message ?? string.Empty}[/]");
            }
        }

        return 0;
    }

    private void WriteError(string record, LedgerState state, SyncError? error, bool details)
    {
        _console.MarkupLine($"[bold]{Markup.Escape(record)}[/] · {StatusText(state)} · {Markup.Escape(error?.Reason ?? string.Empty)}");
        if (!details || error is null)
        {
            return;
        }

        // A grid, not indented text: its second column wraps by words and keeps the indent on every line.
        var grid = new Grid().AddColumn(new GridColumn().Padding(2, 0, 1, 0).NoWrap()).AddColumn(new GridColumn().Padding(0, 0, 0, 0));
        if (!string.IsNullOrEmpty(error.Message))
        {
            grid.AddRow("[grey]Xero[/]", Markup.Escape(error.Message));
        }

        for (var i = 0; i < error.Resolution.Count; i++)
        {
            grid.AddRow(i == 0 ? "[grey]To do[/]" : string.Empty, Markup.Escape(error.Resolution[i]));
        }

        _console.Write(grid);
    }

    private static string Count(int count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? string.Empty : "s")}");

    private static string StatusText(LedgerState state) => state == LedgerState.Failed ? "[red]Sync Error[/]" : state.ToString();

    private static string Duration(TimeSpan? duration) =>
        duration is { } d ? d.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s" : string.Empty;

    private async Task<SyncRun> SyncWithProgressAsync(SampleTenant tenant, SyncRequest request, CancellationToken cancellationToken)
    {
        var kinds = RecordKindOrder.Sort(request.Kinds.Count == 0 ? tenant.Kinds : request.Kinds).Where(k => _psa.CountOf(k) > 0).ToArray();
        if (!_console.Profile.Capabilities.Interactive)
        {
            // Redirected or not a terminal: no live bars, one line as each kind starts, so a log says what happened when.
            var started = new HashSet<RecordKind>();
            using var lines = _psa.OnRead(kind =>
            {
                if (started.Add(kind))
                {
                    _console.MarkupLineInterpolated($"[grey]{tenant.Name}: syncing {Count(_psa.CountOf(kind), kind + " record")}…[/]");
                }
            });
            return await _engine.SyncAsync(request, cancellationToken);
        }

        SyncRun? run = null;
        await _console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
            .StartAsync(async context =>
            {
                var tasks = kinds.ToDictionary(k => k, k => context.AddTask($"{Markup.Escape(tenant.Name)}: {k}, waiting", maxValue: _psa.CountOf(k)));
                using var subscription = _psa.OnRead(kind =>
                {
                    if (tasks.TryGetValue(kind, out var task))
                    {
                        task.Increment(1);
                        task.Description = $"{Markup.Escape(tenant.Name)}: {kind}, read {task.Value:0} of {task.MaxValue:0}";
                    }
                });
                run = await _engine.SyncAsync(request, cancellationToken);
                foreach (var task in tasks.Values)
                {
                    task.Value = task.MaxValue;
                }
            });
        return run!;
    }

    private void WriteRun(SampleTenant tenant, SyncRun run)
    {
        var colour = run.Outcome switch
        {
            RunOutcome.Completed => "green",
            RunOutcome.CompletedWithErrors or RunOutcome.AlreadyRunning => "yellow",
            _ => "red",
        };
        _console.MarkupLineInterpolated($"[bold]{tenant.Name}[/]: [{colour}]{run.Outcome}[/] (run {run.RunId}) {run.Message}");
        var c = run.Counts;
        var parts = new List<string> { $"{c.Seen} seen", $"{c.Sent} sent", $"{c.Synced} synced", $"{c.Failed} failed" };
        AddIfAny(parts, c.Unmapped, "unmapped");
        AddIfAny(parts, c.Skipped, "skipped");
        AddIfAny(parts, c.Held, "held");
        AddIfAny(parts, c.RetryScheduled, "to retry later");
        AddIfAny(parts, c.Uncertain, "uncertain");
        AddIfAny(parts, c.Warnings, "with warnings");
        parts.Add(Count(c.Calls, "call") + " to Xero");
        _console.MarkupLineInterpolated($"  {string.Join(", ", parts)}.");

        static void AddIfAny(List<string> parts, int count, string text)
        {
            if (count > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{count} {text}"));
            }
        }
    }

    private async Task<string?> FirstRemoteIdAsync(string tenantId, RecordKind kind, CancellationToken cancellationToken)
    {
        var page = await _engine.QueryLedgerAsync(new LedgerQuery { TenantId = tenantId, Kinds = [kind], States = [LedgerState.Synced], PageSize = 1 }, cancellationToken);
        return page.Entries.FirstOrDefault()?.RemoteId;
    }

    private LedgerKey ParseKey(string text)
    {
        var (kind, sourceId) = RecordKeys.Parse(text);
        return new LedgerKey(TenantFor(kind).Id, kind, sourceId);
    }
}

