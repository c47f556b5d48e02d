using Microsoft.Extensions.DependencyInjection;
using SyncKit.Testing.Connectors;
using SyncKit.Testing.Demo;

namespace SyncKit.Samples.Console;

/// <summary>Where the sample's records go: the Xero emulator, or real Xero when configured.</summary>
internal abstract class SampleLedger : IAsyncDisposable
{
    /// <summary>One line saying which ledger this is.</summary>
    public abstract string Description { get; }

    /// <summary>The tenant the sample syncs.</summary>
    public abstract string TenantId { get; }

    /// <summary>Registers the connector.</summary>
    public abstract void Register(ISyncKitBuilder builder);

    /// <summary>Sets the ledger up for the demo data (lock dates, an archived account, jobs).</summary>
    public abstract Task PrepareAsync(DemoPractice practice, CancellationToken cancellationToken);

    /// <summary>What a user does in the ledger to clear the lock-date errors: unlock the period.</summary>
    public abstract Task UnlockPeriodAsync(CancellationToken cancellationToken);

    /// <summary>A client id the unmapped organisation can be mapped to.</summary>
    public abstract Task<string> ClientIdForMappingAsync(CancellationToken cancellationToken);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>The in-memory ledger from SyncKit.Testing.</summary>
internal sealed class InMemorySampleLedger : SampleLedger
{
    private readonly InMemoryLedgerConnector _connector = new();

    public override string Description => "the in-memory ledger (SyncKit.Testing)";

    public override string TenantId => "demo-organisation";

    public override void Register(ISyncKitBuilder builder) => builder.UseConnector(_connector);

    public override Task PrepareAsync(DemoPractice practice, CancellationToken cancellationToken)
    {
        var ledger = _connector.Ledger(TenantId);
        ledger.Reference = practice.ApplyTo(ledger.Reference);
        return Task.CompletedTask;
    }

    public override Task UnlockPeriodAsync(CancellationToken cancellationToken)
    {
        var ledger = _connector.Ledger(TenantId);
        ledger.Reference = ledger.Reference with { PeriodLockDate = null, WipLockDate = null };
        return Task.CompletedTask;
    }

    public override Task<string> ClientIdForMappingAsync(CancellationToken cancellationToken) =>
        Task.FromResult(_connector.Ledger(TenantId).RecordsOf(Records.RecordKind.Client).First().RemoteId);
}
