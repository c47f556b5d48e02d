using System.Runtime.CompilerServices;
using SyncKit.Records;
using SyncKit.Sources;
using SyncKit.Testing.Sources;

namespace SyncKit.Hosting.Tests;

/// <summary>
/// A contacts source that, while <see cref="Blocking"/>, stops after yielding <c>blockAfter</c> records and waits
/// until the run is cancelled or the test calls <see cref="Release"/>, like a slow host query.
/// </summary>
internal sealed class BlockingSource(InMemorySource<ContactRecord> inner, int blockAfter) : SyncSource<ContactRecord>
{
    public override RecordKind Kind => RecordKind.Contact;

    /// <summary>Completed when a run reaches the block.</summary>
    public TaskCompletionSource Blocked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Blocking { get; set; } = true;

    private TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets blocked and later reads carry on.</summary>
    public void Release()
    {
        Blocking = false;
        Gate.TrySetResult();
    }

    public override async IAsyncEnumerable<ContactRecord> GetChangedAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var yielded = 0;
        await foreach (var record in inner.GetChangedAsync(tenantId, cancellationToken))
        {
            if (Blocking && yielded == blockAfter)
            {
                Blocked.TrySetResult();
                await Gate.Task.WaitAsync(cancellationToken);
            }

            yielded++;
            yield return record;
        }
    }

    public override Task<ContactRecord?> GetAsync(string tenantId, string sourceId, CancellationToken cancellationToken = default) =>
        inner.GetAsync(tenantId, sourceId, cancellationToken);

    public override Task OnOutcomesAsync(string tenantId, IReadOnlyList<RecordOutcome> outcomes, CancellationToken cancellationToken = default) =>
        inner.OnOutcomesAsync(tenantId, outcomes, cancellationToken);
}

/// <summary>
/// A contacts source whose reads wait for the test to release them one at a time, counting how many runs read at once.
/// </summary>
internal sealed class CountingSource(InMemorySource<ContactRecord> inner) : SyncSource<ContactRecord>
{
    private readonly SemaphoreSlim _release = new(0);
    private readonly SemaphoreSlim _entered = new(0);
    private int _current;
    private int _max;
    private int _seen;

    public override RecordKind Kind => RecordKind.Contact;

    /// <summary>The most runs that were reading at the same time.</summary>
    public int MaxAtOnce => Volatile.Read(ref _max);

    public void ReleaseOne() => _release.Release();

    /// <summary>Waits until <paramref name="total"/> reads have started in all (hang protection only: 30 seconds).</summary>
    public async Task WaitForReadersAsync(int total)
    {
        while (_seen < total)
        {
            Assert.True(await _entered.WaitAsync(TimeSpan.FromSeconds(30)), "a run should have started reading");
            _seen++;
        }
    }

    public override async IAsyncEnumerable<ContactRecord> GetChangedAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var now = Interlocked.Increment(ref _current);
        int max;
        while (now > (max = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, max) != max)
        {
        }

        _entered.Release();
        try
        {
            await _release.WaitAsync(cancellationToken);
            await foreach (var record in inner.GetChangedAsync(tenantId, cancellationToken))
            {
                yield return record;
            }
        }
        finally
        {
            Interlocked.Decrement(ref _current);
        }
    }

    public override Task<ContactRecord?> GetAsync(string tenantId, string sourceId, CancellationToken cancellationToken = default) =>
        inner.GetAsync(tenantId, sourceId, cancellationToken);

    public override Task OnOutcomesAsync(string tenantId, IReadOnlyList<RecordOutcome> outcomes, CancellationToken cancellationToken = default) =>
        inner.OnOutcomesAsync(tenantId, outcomes, cancellationToken);
}
