using Microsoft.Extensions.Logging;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Runs;
using Xunit.Abstractions;

namespace SyncKit.EndToEnd.Tests.ExactlyOnce;

/// <summary>300 hostile invoices (and hostile contacts and payments) among 200 valid ones, over SQLite storage.</summary>
public sealed class HostileInputTests(ITestOutputHelper output)
{
    [Fact]
    public async Task HostileRecordsMixedIntoValidOnes_FailAloneInPlainWords_ValidOnesSyncOnce_NoRunStops()
    {
        var directory = Directory.CreateTempSubdirectory("synckit-hostile-");
        try
        {
            await RunAsync(Path.Combine(directory.FullName, "synckit.db"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    private async Task RunAsync(string databasePath)
    {
        var time = new DrivenTime(Cluster.Start);
        var cluster = await Cluster.CreateAsync(
            await SharedStorage.SqliteAsync(time, databasePath),
            xero: o =>
            {
                o.BatchSize = 50;
                o.ItemBatchSize = 50;
                o.MaxRetryAttempts = 3;
            },
            engine: o => o.ReadChunkSize = 500);
        await using var _cluster = cluster;

        var contacts = new ListSource<ContactRecord>(RecordKind.Contact);
        var invoices = new ListSource<InvoiceRecord>(RecordKind.Invoice);
        var payments = new ListSource<PaymentRecord>(RecordKind.Payment);
        var expected = new List<Expected>();

        contacts.Records.AddRange(Enumerable.Range(1, 50).Select(HostileInput.ValidContact));
        expected.AddRange(contacts.Records.Select(c => new Expected(RecordKind.Contact, c.SourceId, Expectation.Synced)));
        foreach (var (record, must) in HostileInput.Contacts())
        {
            contacts.Records.Add(record);
            expected.Add(new Expected(RecordKind.Contact, record.SourceId, must));
        }

        var valid = Enumerable.Range(1, 200).Select(i => HostileInput.ValidInvoice(i, 50)).ToList();
        var hostile = Enumerable.Range(0, 300).Select(HostileInput.Invoice).ToList();
        invoices.Records.AddRange(valid.Take(100));
        foreach (var (record, _) in hostile)
        {
            invoices.Records.Add(record);
        }

        invoices.Records.AddRange(valid.Skip(100));
        expected.AddRange(valid.Select(v => new Expected(RecordKind.Invoice, v.SourceId, Expectation.Synced)));
        expected.AddRange(hostile.Select(h => new Expected(RecordKind.Invoice, h.Record.SourceId, h.Must)));

        // Duplicate source ids (two contents, one id) and records without an id.
        invoices.Records.Add(HostileInput.ValidInvoice(901, 50) with { SourceId = "inv-dup", Number = "DUP-1" });
        invoices.Records.Add(HostileInput.ValidInvoice(902, 50) with { SourceId = "inv-dup", Number = "DUP-2" });
        expected.Add(new Expected(RecordKind.Invoice, "inv-dup", Expectation.SyncedOrRefused));
        invoices.Records.Add(HostileInput.ValidInvoice(903, 50) with { SourceId = string.Empty, Number = "NOID-1" });
        invoices.Records.Add(HostileInput.ValidInvoice(904, 50) with { SourceId = null!, Number = "NOID-2" });
        contacts.Records.Add(HostileInput.ValidContact(1) with { SourceId = "cust-v-001" });

        payments.Records.AddRange(valid.Take(20).Skip(13).Select(v => new PaymentRecord { SourceId = "pay-v-" + v.SourceId, DocumentSourceId = v.SourceId, Date = HostileInput.Day.AddDays(1), Amount = 110m, CurrencyCode = "AUD", AccountKey = "090", Reference = "Paid " + v.Number }));
        expected.AddRange(payments.Records.Select(p => new Expected(RecordKind.Payment, p.SourceId, Expectation.Synced)));
        foreach (var (record, must) in HostileInput.Payments())
        {
            payments.Records.Add(record);
            expected.Add(new Expected(RecordKind.Payment, record.SourceId, must));
        }

        cluster.HostSources.AddRange([contacts, invoices, payments]);
        await cluster.ConnectAsync();

        var violations = await Scenario.RunUntilSettledAsync(cluster, output, maxRuns: 3);
        violations.AddRange(await Invariants.CheckAsync(cluster, expected));

        // Records without an id have no entry to fail on; they must not reach Xero either.
        var documents = cluster.Documents();
        violations.AddRange(new[] { "NOID-1", "NOID-2" }
            .Where(n => documents.Any(d => d.Description.Contains($"'{n}'", StringComparison.Ordinal)))
            .Select(n => $"An invoice without a source id ({n}) reached Xero."));

        // Zero unhandled exceptions: nothing logged an exception at error level.
        violations.AddRange(cluster.Logs.GetSnapshot()
            .Where(l => l.Level >= LogLevel.Error && l.Exception is not null)
            .Select(l => $"Logged {l.Level} with {l.Exception!.GetType().Name}: {Invariants.Short(l.Message)} ({Invariants.Short(l.Exception.Message)})"));

        var entries = await cluster.EntriesAsync();
        output.WriteLine(string.Join(", ", entries.GroupBy(e => (e.Kind, e.State)).Select(g => $"{g.Key.Kind}/{g.Key.State}: {g.Count()}")));
        output.WriteLine(string.Join("\n", entries.Where(e => e.Error is not null).GroupBy(e => e.Error!.Category).Select(g => $"{g.Key}: {g.Count()} e.g. {Invariants.Short(g.First().Error!.Message)}")));
        Scenario.AssertNone(violations, $"{hostile.Count} hostile invoices among {valid.Count} valid, SQLite");
    }
}
