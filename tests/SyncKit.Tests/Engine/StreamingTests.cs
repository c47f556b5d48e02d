using SyncKit.Records;

namespace SyncKit.Tests.Engine;

public sealed class StreamingTests
{
    [Fact]
    public async Task ARun_HoldsAtMostOneChunkOfUnsavedRecords_WhileTheSourceStreams()
    {
        const int chunk = 100;
        await using var harness = new EngineHarness(o => o.ReadChunkSize = chunk);
        var contacts = Enumerable.Range(1, 2_000).Select(i => new ContactRecord { SourceId = $"c-{i:D5}", Name = $"Customer {i}", BillingContact = new ContactPerson { Email = $"c{i}@example.com" } });
        harness.Sources.Contacts.PutRange(EngineHarness.Tenant, contacts);
        var yielded = 0;
        var maxUnsaved = 0;
        harness.Sources.Contacts.OnYield = async _ =>
        {
            yielded++;
            var saved = (await harness.AllEntriesAsync()).Count;
            maxUnsaved = Math.Max(maxUnsaved, yielded - saved);
        };

        await harness.SyncAllAsync();

        Assert.Equal(2_000, yielded);
        Assert.InRange(maxUnsaved, 1, chunk);
    }
}
