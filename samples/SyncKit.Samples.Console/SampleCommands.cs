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

    public SampleCommands(ISyncEngine engine, DemoPsa psa, SampleLedger ledger, IAnsiConsole console)
    {
        _engine = engine;
        _psa = psa;
        _ledger = ledger;
        _console = console;
    }

    private IReadOnlyList<SampleTenant> Tenants => _ledger.Tenants;

    private SampleTenant TenantFor(RecordKind kind) => Tenants.FirstOrDefault(t => t.Kinds.Contains(kind))
        ?? throw new SampleUsageException($"No tenant takes {kind} records in this configuration.");

    /// <summary>The whole story: sync, errors, fix, retry, errors gone, activity.</summary>
    public async Task<int> DemoAsync(CancellationToken cancellationToken)
    {
        _console.Write(new Rule("[bold]SyncKit demo[/]").LeftJustified());
        _console.MarkupLineInterpolated($"Syncing a demo practice's data to [bold]{_ledger.Description}[/].");
        foreach (var tenant in Tenants)
        {
            _console.MarkupLineInterpolated($"  {tenant.Name} ({tenant.Id}): {string.Join(", ", tenant.Kinds)}");
        }

        _console.WriteLine();
        _console.Write(new Rule("1. Sync all").LeftJustified());
        foreach (var tenant in Tenants)
        {
            WriteRun(tenant, await SyncWithProgressAsync(tenant, new SyncRequest { TenantId = tenant.Id, Kinds = tenant.Kinds, RequestedBy = "demo" }, cancellationToken));
        }

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
            WriteRun(tenant, await _engine.RetryAsync(new RetryRequest { TenantId = tenant.Id, RequestedBy = "demo" }, cancellationToken));
        }

        _console.Write(new Rule("5. The errors left").LeftJustified());
        await ErrorsAsync(cancellationToken);

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
                var table = new Table().AddColumns("Record", "State", "Reason", "Message");
                foreach (var line in preview.Lines.Where(l => !l.Ready))
                {
                    table.AddRow(Markup.Escape($"{line.Key.Kind} {line.DisplayName}"), line.State.ToString(), Markup.Escape(line.Error?.Reason ?? string.Empty), Markup.Escape(line.Error?.Message ?? string.Empty));
                }

                _console.Write(table);
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
            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("Tenant", Markup.Escape(tenant.Name));
            grid.AddRow("Connection", status.Connection == ConnectionState.Disconnected ? "[red]Disconnected: reconnect Xero (Re-sync now)[/]" : $"[green]{(status.Connection == ConnectionState.Connected ? "Active" : "Not yet used")}[/]");
            grid.AddRow("Sync", status.PausedUntil is { } until ? Markup.Escape($"Sync paused until {until.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}") : status.RunningRunId is { } running ? $"Syncing (run {running})" : "Idle");
            _console.Write(grid);

            var table = new Table().AddColumns("State", "Records");
            foreach (var (state, count) in status.Counts.ByState.OrderBy(s => s.Key))
            {
                table.AddRow(state.ToString(), count.ToString(CultureInfo.InvariantCulture));
            }

            _console.Write(table);
        }

        return 0;
    }

    public async Task<int> ErrorsAsync(CancellationToken cancellationToken)
    {
        var table = new Table().AddColumns("Record", "Status", "Reason", "Xero's message", "What to do");
        var count = 0;
        foreach (var tenant in Tenants)
        {
        string? token = null;
        do
        {
            var page = await _engine.QueryLedgerAsync(
                new LedgerQuery { TenantId = tenant.Id, States = [LedgerState.Failed, LedgerState.Unmapped, LedgerState.Skipped, LedgerState.Uncertain, LedgerState.RetryScheduled], PageSize = 200, ContinuationToken = token },
                cancellationToken);
            token = page.ContinuationToken;
            foreach (var entry in page.Entries)
            {
                count++;
                table.AddRow(
                    Markup.Escape($"{entry.Kind} {entry.DisplayName}"),
                    entry.State == LedgerState.Failed ? "[red]Sync Error[/]" : entry.State.ToString(),
                    Markup.Escape(entry.Error?.Reason ?? string.Empty),
                    Markup.Escape(entry.Error?.Message ?? string.Empty),
                    Markup.Escape(string.Join(Environment.NewLine, entry.Error?.Resolution ?? [])));
            }
        }
        while (token is not null);
        }

        if (count == 0)
        {
            _console.MarkupLine("[green]No errors.[/]");
        }
        else
        {
            _console.Write(table);
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
        var table = new Table().AddColumns("Tenant", "Started (UTC)", "Trigger", "By", "Outcome", "Synced", "Failed", "Unchanged", "Calls", "Duration");
        foreach (var (tenant, run) in (await Task.WhenAll(Tenants.Select(async t => (await _engine.GetActivityAsync(t.Id, 20, cancellationToken)).Select(r => (t, r)))))
                     .SelectMany(r => r).OrderByDescending(r => r.r.StartedAt))
        {
            table.AddRow(
                Markup.Escape(tenant.Name),
                run.StartedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                run.Trigger.ToString(),
                Markup.Escape(run.RequestedBy ?? string.Empty),
                Markup.Escape(run.Outcome + (run.Message is { } m ? $": {m}" : string.Empty)),
                run.Counts.Synced.ToString(CultureInfo.InvariantCulture),
                run.Counts.Failed.ToString(CultureInfo.InvariantCulture),
                run.Counts.Unchanged.ToString(CultureInfo.InvariantCulture),
                run.Counts.Calls.ToString(CultureInfo.InvariantCulture),
                run.Duration is { } d ? $"{d.TotalSeconds:0.00}s" : string.Empty);
        }

        _console.Write(table);
        return 0;
    }

    private async Task<SyncRun> SyncWithProgressAsync(SampleTenant tenant, SyncRequest request, CancellationToken cancellationToken)
    {
        SyncRun? run = null;
        await _console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var tasks = RecordKindOrder.Sort(request.Kinds.Count == 0 ? tenant.Kinds : request.Kinds)
                    .Where(k => _psa.CountOf(k) > 0)
                    .ToDictionary(k => k, k => context.AddTask($"{tenant.Name}: {k}", maxValue: _psa.CountOf(k)));
                using var subscription = _psa.OnRead(kind =>
                {
                    if (tasks.TryGetValue(kind, out var task))
                    {
                        task.Increment(1);
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
        _console.MarkupLineInterpolated($"{tenant.Name}: run [bold]{run.RunId}[/]: [{colour}]{run.Outcome}[/] {run.Message}");
        var c = run.Counts;
        var table = new Table().AddColumns("Seen", "Sent", "Synced", "Failed", "Unmapped", "Skipped", "Held", "Retry scheduled", "Uncertain", "With warnings", "Calls");
        table.AddRow(
            c.Seen.ToString(CultureInfo.InvariantCulture), c.Sent.ToString(CultureInfo.InvariantCulture), c.Synced.ToString(CultureInfo.InvariantCulture),
            c.Failed.ToString(CultureInfo.InvariantCulture), c.Unmapped.ToString(CultureInfo.InvariantCulture), c.Skipped.ToString(CultureInfo.InvariantCulture),
            c.Held.ToString(CultureInfo.InvariantCulture), c.RetryScheduled.ToString(CultureInfo.InvariantCulture), c.Uncertain.ToString(CultureInfo.InvariantCulture),
            c.Warnings.ToString(CultureInfo.InvariantCulture), c.Calls.ToString(CultureInfo.InvariantCulture));
        _console.Write(table);
    }

    private async Task<string?> FirstRemoteIdAsync(string tenantId, RecordKind kind, CancellationToken cancellationToken)
    {
        var page = await _engine.QueryLedgerAsync(new LedgerQuery { TenantId = tenantId, Kinds = [kind], States = [LedgerState.Synced], PageSize = 1 }, cancellationToken);
        return page.Entries.FirstOrDefault()?.RemoteId;
    }

    private LedgerKey ParseKey(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !Enum.TryParse<RecordKind>(text[..colon], ignoreCase: true, out var kind))
        {
            throw new SampleUsageException($"'{text}' is not a record: write KIND:ID, for example Invoice:inv-00001.");
        }

        return new LedgerKey(TenantFor(kind).Id, kind, text[(colon + 1)..]);
    }
}

/// <summary>The command line was wrong; the message says how to write it.</summary>
internal sealed class SampleUsageException(string message) : Exception(message);
