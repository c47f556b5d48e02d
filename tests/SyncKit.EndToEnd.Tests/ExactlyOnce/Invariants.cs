using System.Text.RegularExpressions;
using SyncKit.Errors;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Sources;
using SyncKit.Testing.Sources;

namespace SyncKit.EndToEnd.Tests.ExactlyOnce;

/// <summary>A host record the scenario expects the ledger to account for, and what it must become.</summary>
internal sealed record Expected(RecordKind Kind, string SourceId, Expectation Must);

/// <summary>What a record must end as.</summary>
internal enum Expectation
{
    /// <summary>Synced exactly once, or visibly Failed/Uncertain with a reason (ARCHITECTURE.md §9).</summary>
    SyncedOrVisiblyUnsettled,

    /// <summary>Synced exactly once (valid data).</summary>
    Synced,

    /// <summary>Never sent: Failed, Unmapped or Skipped with a category and a plain reason.</summary>
    Refused,

    /// <summary>Either synced exactly once or refused with a category and a plain reason.</summary>
    SyncedOrRefused,
}

/// <summary>ARCHITECTURE.md §9 as checks over the shared ledger and the emulator's export: each returns the violations it found.</summary>
internal static partial class Invariants
{
    private static readonly LedgerState[] s_waiting = [LedgerState.Pending, LedgerState.InFlight, LedgerState.RetryScheduled];

    [GeneratedRegex(@"\b[A-Z][A-Za-z]*Exception\b|\bat [A-Z][\w.]+\(|System\.[A-Z]")]
    private static partial Regex RawException();

    public static async Task<List<string>> CheckAsync(Cluster cluster, IReadOnlyCollection<Expected> expected) =>
        Check(await cluster.EntriesAsync(), [.. cluster.Documents().Where(d => !cluster.Baseline.Contains(d.Id))], expected);

    /// <summary>The checks over a tenant's ledger entries and the documents written to Xero since the baseline.</summary>
    public static List<string> Check(IReadOnlyList<LedgerEntry> entries, IReadOnlyList<XeroDocument> documents, IReadOnlyCollection<Expected> expected)
    {
        var violations = new List<string>();
        var byKey = entries.ToDictionary(e => (e.Kind, e.SourceId));

        // 1. Every emulator document is owned by exactly one ledger entry (no duplicates, no orphans). The one allowance:
        //    a landed write whose entry asks the user (Uncertain, or Failed NeedsReconciliation: several candidates fit)
        //    is not yet owned, so per kind, unowned documents may number at most those entries without a remote id.
        var owners = entries.Where(e => e.RemoteId is not null).ToLookup(e => e.RemoteId!, StringComparer.OrdinalIgnoreCase);
        var unowned = new List<XeroDocument>();
        foreach (var document in documents)
        {
            var owning = owners[document.Id].Where(e => document.OwnerKinds.Contains(e.Kind)).ToList();
            if (owning.Count == 0)
            {
                unowned.Add(document);
            }
            else if (owning.Count > 1)
            {
                violations.Add($"Xero's {document.Description} ({document.Id}) is owned by {owning.Count} entries: {string.Join(", ", owning.Select(e => $"{e.Kind} {e.SourceId} {e.State}"))}.");
            }
        }

        foreach (var group in unowned.GroupBy(d => d.Collection))
        {
            var kinds = group.First().OwnerKinds;
            var asking = entries.Count(e => kinds.Contains(e.Kind) && e.RemoteId is null
                && (e.State == LedgerState.Uncertain || (e.State == LedgerState.Failed && e.Error?.Category == ErrorCategories.NeedsReconciliation)));
            if (group.Count() > asking)
            {
                violations.AddRange(group.Select(document =>
                    $"Xero holds {document.Description} ({document.Collection} {document.Id}{(document.Status is { } s ? ", " + s : string.Empty)}) that no ledger entry owns ({group.Count()} such, {asking} entries asking the user to account for them): a duplicate or a lost write."));
            }
        }

        // 2. No two entries share a remote id.
        foreach (var group in owners.Where(g => g.Count() > 1))
        {
            violations.Add($"Remote id {group.Key} is held by {group.Count()} entries: {string.Join(", ", group.Select(e => $"{e.Kind} {e.SourceId} {e.State}"))}.");
        }

        // 3. Every Synced entry's remote record exists in Xero, in a collection its kind writes to.
        var documentIds = documents.ToLookup(d => d.Id, StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries.Where(e => e.State == LedgerState.Synced))
        {
            if (entry.RemoteId is null)
            {
                violations.Add($"{entry.Kind} {entry.SourceId} is Synced without a remote id.");
            }
            else if (!documentIds[entry.RemoteId].Any(d => d.OwnerKinds.Contains(entry.Kind)))
            {
                violations.Add($"{entry.Kind} {entry.SourceId} is Synced as {entry.RemoteId}, which Xero does not hold.");
            }
        }

        var missing = expected.Where(r => !byKey.ContainsKey((r.Kind, r.SourceId))).ToList();
        if (missing.Count > 0)
        {
            violations.Add($"{missing.Count} record(s) have no ledger entry (the run never reached them?): {string.Join(", ", missing.Take(8).Select(r => $"{r.Kind} '{Short(r.SourceId)}'"))}{(missing.Count > 8 ? ", ..." : string.Empty)}.");
        }

        // 4. Each record ends Synced exactly once or visibly unsettled with a reason; none is left waiting or InFlight.
        foreach (var record in expected)
        {
            if (!byKey.TryGetValue((record.Kind, record.SourceId), out var entry))
            {
                continue;
            }

            var where = $"{record.Kind} '{Short(record.SourceId)}'";
            if (s_waiting.Contains(entry.State))
            {
                violations.Add($"{where} is still {entry.State} after the last run{(entry.Error is { } e ? $" ({e.Category}: {e.Message})" : string.Empty)}.");
                continue;
            }

            var refused = entry.State is LedgerState.Failed or LedgerState.Unmapped or LedgerState.Skipped;
            var ok = record.Must switch
            {
                Expectation.Synced => entry.State == LedgerState.Synced,
                Expectation.Refused => refused,
                Expectation.SyncedOrRefused => entry.State == LedgerState.Synced || refused,
                _ => entry.State is LedgerState.Synced or LedgerState.Failed or LedgerState.Uncertain or LedgerState.Unmapped or LedgerState.Skipped,
            };
            if (!ok)
            {
                violations.Add($"{where} must be {record.Must} but is {entry.State}{(entry.Error is { } e ? $" ({e.Category}: {e.Message})" : string.Empty)}.");
            }

            if (entry.State != LedgerState.Synced)
            {
                violations.AddRange(ErrorProblems(where, entry));
            }
        }

        return violations;
    }

    /// <summary>The reasons an unsettled entry's error does not tell a user what happened in plain words.</summary>
    public static IEnumerable<string> ErrorProblems(string where, LedgerEntry entry)
    {
        if (entry.Error is not { } error)
        {
            yield return $"{where} is {entry.State} without an error.";
            yield break;
        }

        if (string.IsNullOrWhiteSpace(error.Category) || string.IsNullOrWhiteSpace(error.Reason) || string.IsNullOrWhiteSpace(error.Message))
        {
            yield return $"{where} is {entry.State} with an incomplete error (category '{error.Category}', reason '{error.Reason}', message '{Short(error.Message)}').";
        }

        foreach (var text in new[] { error.Reason, error.Message }.Concat(error.Resolution))
        {
            if (text is not null && RawException().Match(text) is { Success: true } match)
            {
                yield return $"{where} is {entry.State} ({error.Category}) with a raw exception in its error: '{match.Value}' in \"{Short(text)}\".";
                break;
            }
        }
    }

    /// <summary>The host was told each record's final state (outcome delivery is at least once, across a crash too).</summary>
    public static async Task<List<string>> CheckOutcomesDeliveredAsync(Cluster cluster, InMemorySourceSet sources, IReadOnlyCollection<Expected> expected)
    {
        var violations = new List<string>();
        var entries = (await cluster.EntriesAsync()).ToDictionary(e => (e.Kind, e.SourceId));
        foreach (var record in expected)
        {
            if (!entries.TryGetValue((record.Kind, record.SourceId), out var entry))
            {
                continue;
            }

            var told = OutcomesOf(sources, record.Kind).GetValueOrDefault((cluster.TenantId, record.SourceId));
            if (told is null)
            {
                violations.Add($"The host was never told of {record.Kind} '{record.SourceId}' ({entry.State}).");
            }
            else if (told.State != entry.State || told.RemoteId != entry.RemoteId)
            {
                violations.Add($"The host was told {record.Kind} '{record.SourceId}' is {told.State} {told.RemoteId}, but the ledger says {entry.State} {entry.RemoteId}.");
            }
        }

        return violations;
    }

    private static IReadOnlyDictionary<(string Tenant, string SourceId), RecordOutcome> OutcomesOf(InMemorySourceSet sources, RecordKind kind) => kind switch
    {
        RecordKind.Contact => sources.Contacts.Outcomes,
        RecordKind.Item => sources.Items.Outcomes,
        RecordKind.Invoice => sources.Invoices.Outcomes,
        RecordKind.CreditNote => sources.CreditNotes.Outcomes,
        RecordKind.PurchaseOrder => sources.PurchaseOrders.Outcomes,
        RecordKind.Bill => sources.Bills.Outcomes,
        RecordKind.Payment => sources.Payments.Outcomes,
        RecordKind.Client => sources.Clients.Outcomes,
        RecordKind.Job => sources.Jobs.Outcomes,
        RecordKind.Cost => sources.Costs.Outcomes,
        _ => new Dictionary<(string, string), RecordOutcome>(),
    };

    public static string Short(string? text) => text is null ? "(null)" : text.Length <= 60 ? text : text[..57] + "...";
}
