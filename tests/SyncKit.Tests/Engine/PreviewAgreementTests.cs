using System.Collections.Concurrent;
using SyncKit.Connectors;
using SyncKit.Errors;
using SyncKit.Ledger;
using SyncKit.Records;

namespace SyncKit.Tests.Engine;

/// <summary>A preview is the run that sends nothing: over the same data, the two agree record by record.</summary>
public sealed class PreviewAgreementTests
{
    [Fact]
    public async Task OnTheDemoData_APreviewAndTheRunAfterIt_AgreeRecordByRecord()
    {
        await using var harness = new EngineHarness();
        await harness.LoadDemoAsync(customers: 20, invoices: 100);

        await AssertPreviewAndRunAgreeAsync(harness);
    }

    [Fact]
    public async Task WithAKindTheLedgerDoesNotTake_NeitherPreviewNorRunOffersIt()
    {
        await using var harness = new EngineHarness();
        var demo = await harness.LoadDemoAsync(customers: 20, invoices: 100);
        Assert.NotEmpty(demo.PurchaseOrders);
        harness.Connector.UnsupportedKinds.Add(RecordKind.PurchaseOrder);

        var preview = await AssertPreviewAndRunAgreeAsync(harness);

        Assert.DoesNotContain(preview.Lines, l => l.Key.Kind == RecordKind.PurchaseOrder);
    }

    [Fact]
    public async Task WithRetriesNotYetDue_AndOnceTheyAreDue_APreviewAndTheRunAfterIt_Agree()
    {
        await using var harness = new EngineHarness();
        await harness.LoadDemoAsync(customers: 20, invoices: 100);
        harness.Connector.NextBatchFailure = new SyncFailure { Source = FailureSource.Transport, Messages = ["Connection reset before the request was sent"] };
        await harness.SyncAllAsync();
        Assert.NotEmpty(await harness.AllEntriesAsync(LedgerState.RetryScheduled));

        var early = await AssertPreviewAndRunAgreeAsync(harness);
        Assert.Contains(early.Lines, l => l.State == LedgerState.RetryScheduled && !l.Ready);

        harness.Time.Advance(TimeSpan.FromHours(2));
        var due = await AssertPreviewAndRunAgreeAsync(harness);
        Assert.DoesNotContain(due.Lines, l => l.State == LedgerState.RetryScheduled);
        Assert.Empty(await harness.AllEntriesAsync(LedgerState.RetryScheduled));
    }

    /// <summary>What the preview calls ready is exactly what the run sends; every other line is the state the run leaves.</summary>
    private static async Task<SyncPreview> AssertPreviewAndRunAgreeAsync(EngineHarness harness)
    {
        var preview = await harness.Engine.PreviewAsync(new SyncRequest { TenantId = EngineHarness.Tenant });
        var sent = new ConcurrentDictionary<LedgerKey, bool>();
        harness.Connector.ServerErrorWhen = element =>
        {
            sent.TryAdd(element.Key, true);
            return false;
        };

        var run = await harness.SyncAllAsync();
        harness.Connector.ServerErrorWhen = null;

        var ready = preview.Lines.Where(l => l.Ready).Select(l => l.Key).ToHashSet();
        Assert.True(ready.SetEquals(sent.Keys), $"Preview ready but not sent: {string.Join(", ", ready.Except(sent.Keys))}; sent but not ready in the preview: {string.Join(", ", sent.Keys.Except(ready))}.");
        Assert.Equal(ready.Count, run.Counts.Sent);
        foreach (var line in preview.Lines.Where(l => !l.Ready))
        {
            var entry = await harness.RequiredEntryAsync(line.Key.Kind, line.Key.SourceId);
            Assert.True(line.State == entry.State, $"{line.Key}: the preview said {line.State}, the run left {entry.State}.");
            Assert.Equal(line.Error?.RuleId, entry.Error?.RuleId);
        }

        return preview;
    }
}
