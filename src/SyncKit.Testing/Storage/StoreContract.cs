using SyncKit.Errors;
using SyncKit.Ledger;
using SyncKit.Records;
using Xunit;

namespace SyncKit.Testing.Storage;

/// <summary>The base of the store contract classes: the fixture, fixed times and sample data.</summary>
/// <param name="fixture">The provider's fixture.</param>
public abstract class StoreContract(StoreFixture fixture)
{
    /// <summary>A fixed instant the tests count from (milliseconds precision, which every provider keeps).</summary>
    protected static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 30, 15, 123, TimeSpan.Zero);

    /// <summary>The provider's fixture.</summary>
    protected StoreFixture Fixture { get; } = fixture;

    /// <summary>Creates a fresh set of stores from the fixture.</summary>
    /// <returns>The stores.</returns>
    protected Task<StoreSet> CreateStoresAsync() => Fixture.CreateStoresAsync();

    /// <summary>A minimal Pending entry.</summary>
    /// <param name="sourceId">The host id.</param>
    /// <param name="kind">The kind.</param>
    /// <param name="tenantId">The tenant.</param>
    /// <returns>The entry, at version 0.</returns>
    protected static LedgerEntry NewEntry(string sourceId, RecordKind kind = RecordKind.Invoice, string tenantId = "tenant-a") => new()
    {
        TenantId = tenantId,
        Kind = kind,
        SourceId = sourceId,
        State = LedgerState.Pending,
        ContentHash = "hash-" + sourceId,
        CreatedAt = T0,
        UpdatedAt = T0,
    };

    /// <summary>An entry with every field set, including an error with a resolution list and warnings.</summary>
    /// <param name="sourceId">The host id.</param>
    /// <returns>The entry, at version 0.</returns>
    protected static LedgerEntry FullEntry(string sourceId) => new()
    {
        TenantId = "tenant-a",
        Kind = RecordKind.Bill,
        SourceId = sourceId,
        State = LedgerState.Failed,
        DisplayName = "BILL-0042 — Ünïcødé & \"quotes\"",
        RemoteId = "8f3b6a8e-3c5d-4e0b-9d38-1b2f3c4d5e6f",
        SyncedHash = "sha256:synced",
        ContentHash = "sha256:content",
        IdempotencyKey = "idem-" + sourceId,
        Attempts = 3,
        NextAttemptAt = T0.AddMinutes(5),
        Error = new SyncError
        {
            Category = ErrorCategories.LockDates,
            Disposition = ErrorDisposition.UserAction,
            Reason = "Lock Dates",
            Resolution = ["Open Xero settings", "Move the lock date", "Retry the record"],
            Message = "The document date cannot be before the period lock date of 31/01/2026.",
            RuleId = "xero.lock-dates",
            Source = FailureSource.Remote,
            StatusCode = 400,
            OccurredAt = new DateTimeOffset(2026, 3, 1, 20, 31, 0, 456, TimeSpan.FromHours(11)),
        },
        Warnings =
        [
            new SyncWarning { Code = "Rounding", Message = "Totals rounded by 0.01." },
            new SyncWarning { Code = "MissingBillingContact", Message = "No billing contact." },
        ],
        MissingMapping = "Account:4000",
        RunId = "run-1",
        PreviousState = LedgerState.Pending,
        CreatedAt = T0.AddDays(-2),
        UpdatedAt = T0,
        SyncedAt = T0.AddDays(-1),
        OutcomePending = true,
    };

    /// <summary>Asserts two entries are equal field by field (collections by sequence).</summary>
    /// <param name="expected">The expected entry (its version is ignored).</param>
    /// <param name="actual">The stored entry.</param>
    /// <param name="version">The version the store must report.</param>
    protected static void AssertEntry(LedgerEntry expected, LedgerEntry? actual, long version)
    {
        ArgumentNullException.ThrowIfNull(expected);
        Assert.NotNull(actual);
        Assert.Equal(version, actual.Version);
        Assert.Equal(expected.Warnings, actual.Warnings);
        AssertError(expected.Error, actual.Error);
        Assert.Equal(
            expected with { Version = 0, Warnings = [], Error = null },
            actual with { Version = 0, Warnings = [], Error = null });
        Assert.Equal(expected.NextAttemptAt?.UtcTicks, actual.NextAttemptAt?.UtcTicks);
        Assert.Equal(expected.CreatedAt.UtcTicks, actual.CreatedAt.UtcTicks);
    }

    /// <summary>Asserts two errors are equal field by field.</summary>
    /// <param name="expected">The expected error.</param>
    /// <param name="actual">The stored error.</param>
    protected static void AssertError(SyncError? expected, SyncError? actual)
    {
        if (expected is null)
        {
            Assert.Null(actual);
            return;
        }

        Assert.NotNull(actual);
        Assert.Equal(expected.Resolution, actual.Resolution);
        Assert.Equal(expected with { Resolution = [] }, actual with { Resolution = [] });
    }
}
