using Microsoft.Extensions.DependencyInjection;
using SyncKit.Records;
using SyncKit.Testing.Demo;

namespace SyncKit.Samples.Console;

/// <summary>A tenant the sample syncs, and the kinds that go to it.</summary>
internal sealed record SampleTenant(string Id, string Name, IReadOnlyList<RecordKind> Kinds);

/// <summary>Where the sample's records go: the Xero emulator, or real Xero when configured.</summary>
internal abstract class SampleLedger : IAsyncDisposable
{
    public static readonly RecordKind[] AccountingKinds = [RecordKind.Contact, RecordKind.Item, RecordKind.Invoice, RecordKind.CreditNote, RecordKind.PurchaseOrder, RecordKind.Bill, RecordKind.Payment];

    public static readonly RecordKind[] PracticeKinds = [RecordKind.Client, RecordKind.Job, RecordKind.Cost];

    /// <summary>One line saying which ledger this is.</summary>
    public abstract string Description { get; }

    /// <summary>The tenants the sample syncs: the organisation (Accounting) and, when there is one, the practice (Practice Manager).</summary>
    public abstract IReadOnlyList<SampleTenant> Tenants { get; }

    /// <summary>Creates what must exist before the host is built (the emulator and its tenants).</summary>
    public abstract Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Registers SyncKit with the Xero connector.</summary>
    public abstract ISyncKitBuilder Register(IServiceCollection services, string databasePath);

    /// <summary>Once the host has started: tokens, and the ledger set up for the demo data (lock dates, an archived account, jobs).</summary>
    public abstract Task PrepareAsync(IServiceProvider services, DemoPractice practice, CancellationToken cancellationToken);

    /// <summary>What a user does in Xero to clear the lock-date errors: unlock the period (and the WIP period).</summary>
    public abstract Task UnlockPeriodAsync(CancellationToken cancellationToken);

    /// <summary>
    /// What users did in Xero that a pull brings back: payments on an invoice SyncKit pushed (matched by the ledger), on an
    /// invoice typed into Xero that two host invoices fit (ambiguous) and on one no host invoice fits (unmatched).
    /// Real Xero has its own history: nothing is made there.
    /// </summary>
    public virtual Task MakeDemoPaymentsAsync(IServiceProvider services, SampleBooks books, CancellationToken cancellationToken) => Task.CompletedTask;

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
