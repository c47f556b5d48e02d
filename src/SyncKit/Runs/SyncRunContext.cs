namespace SyncKit.Runs;

/// <summary>The run on whose behalf the current code runs: connectors read it to put a user's work before background work.</summary>
/// <remarks>
/// The engine sets it for the length of a run (it flows with the async calls the run makes). A connector with a limited
/// budget of calls — Xero's daily limit — keeps a reserve that only user-initiated runs may spend.
/// </remarks>
public sealed class SyncRunContext
{
    private static readonly AsyncLocal<SyncRunContext?> s_current = new();

    /// <summary>The tenant the run syncs.</summary>
    public required string TenantId { get; init; }

    /// <summary>The run's id.</summary>
    public required string RunId { get; init; }

    /// <summary>What started the run.</summary>
    public required SyncTrigger Trigger { get; init; }

    /// <summary>Whether a user started the run (Sync All, a re-sync, a retry) rather than the scheduler or a webhook.</summary>
    public bool IsUserInitiated => Trigger == SyncTrigger.Manual;

    /// <summary>The current run, or null outside any run.</summary>
    public static SyncRunContext? Current => s_current.Value;

    /// <summary>Makes <paramref name="context"/> current until the returned scope is disposed.</summary>
    internal static Scope Enter(SyncRunContext context)
    {
        var previous = s_current.Value;
        s_current.Value = context;
        return new Scope(previous);
    }

    internal readonly struct Scope(SyncRunContext? previous) : IDisposable
    {
        public void Dispose() => s_current.Value = previous;
    }
}
