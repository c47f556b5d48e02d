using SyncKit.Storage;
using Xunit;

namespace SyncKit.Testing.Storage;

/// <summary>The behaviour every <see cref="WebhookInbox"/> must show: stored once, claimed by one processor, re-claimed after a crash.</summary>
/// <param name="fixture">The provider's fixture.</param>
public abstract class WebhookInboxContract(StoreFixture fixture) : StoreContract(fixture)
{
    /// <summary>An event with every field set.</summary>
    /// <param name="id">The event id.</param>
    /// <param name="receivedAt">When it was received (defaults to <c>T0</c>).</param>
    /// <param name="tenantId">The tenant.</param>
    /// <returns>The event.</returns>
    protected static WebhookEvent Event(string id, DateTimeOffset? receivedAt = null, string tenantId = "tenant-a") => new()
    {
        EventId = id,
        TenantId = tenantId,
        Category = "INVOICE",
        EventType = "UPDATE",
        ResourceId = "res-" + id,
        OccurredAt = T0.AddMinutes(-1),
        ReceivedAt = receivedAt ?? T0,
    };

    private static WebhookInbox Inbox(StoreSet stores) => stores.Webhooks ?? throw new InvalidOperationException("The provider's store set has no webhook inbox.");

    /// <summary>An event delivered twice is stored once, and the second delivery does not change it.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task An_event_added_twice_is_stored_once()
    {
        await using var stores = await CreateStoresAsync();
        var inbox = Inbox(stores);
        Assert.Equal(2, await inbox.AddAsync([Event("e1"), Event("e2")]));
        Assert.Equal(1, await inbox.AddAsync([Event("e1", T0.AddHours(1)), Event("e3")]));

        var found = await inbox.GetAsync(["e1", "e2", "e3", "missing"]);
        Assert.Equal(["e1", "e2", "e3"], found.Keys.Order(StringComparer.Ordinal));
        var e1 = found["e1"];
        Assert.Equal(T0, e1.ReceivedAt);
        Assert.Equal(Event("e1"), e1);
    }

    /// <summary>A claim takes received events oldest first, up to the limit and the debounce time, and counts an attempt.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Claim_takes_the_oldest_events_received_before_the_debounce_time()
    {
        await using var stores = await CreateStoresAsync();
        var inbox = Inbox(stores);
        await inbox.AddAsync([Event("late", T0.AddSeconds(30)), Event("b", T0.AddSeconds(2)), Event("a", T0.AddSeconds(1)), Event("c", T0.AddSeconds(3))]);

        var claimed = await inbox.ClaimAsync("claim-1", T0.AddMinutes(1), T0.AddMinutes(2), receivedBefore: T0.AddSeconds(10), limit: 2);

        Assert.Equal(["a", "b"], claimed.Select(e => e.EventId));
        Assert.All(claimed, e => Assert.Equal(1, e.Attempts));
        var rest = await inbox.ClaimAsync("claim-2", T0.AddMinutes(1), T0.AddMinutes(2), receivedBefore: T0.AddSeconds(10), limit: 10);
        Assert.Equal(["c"], rest.Select(e => e.EventId));
    }

    /// <summary>A claim held by one processor is not given to another until it runs out; then it is, with a second attempt.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task A_claim_that_ran_out_is_claimed_again()
    {
        await using var stores = await CreateStoresAsync();
        var inbox = Inbox(stores);
        await inbox.AddAsync([Event("e1")]);
        Assert.Single(await inbox.ClaimAsync("crashed", T0, T0.AddMinutes(5), T0, 10));

        Assert.Empty(await inbox.ClaimAsync("other", T0.AddMinutes(4), T0.AddMinutes(9), T0.AddMinutes(4), 10));
        var again = Assert.Single(await inbox.ClaimAsync("other", T0.AddMinutes(6), T0.AddMinutes(11), T0.AddMinutes(6), 10));

        Assert.Equal(2, again.Attempts);

        // The crashed processor's late completion does not count: the event is the new claimer's.
        Assert.Equal(0, await inbox.CompleteAsync("crashed", ["e1"], WebhookEventState.Processed, null, T0.AddMinutes(7)));
        Assert.Equal(1, await inbox.CompleteAsync("other", ["e1"], WebhookEventState.Processed, "pulled", T0.AddMinutes(7)));
    }

    /// <summary>Completed events keep their state and message and are never claimed again.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Completed_events_are_not_claimed_again()
    {
        await using var stores = await CreateStoresAsync();
        var inbox = Inbox(stores);
        await inbox.AddAsync([Event("e1"), Event("e2")]);
        await inbox.ClaimAsync("c1", T0, T0.AddMinutes(5), T0, 10);

        await inbox.CompleteAsync("c1", ["e1"], WebhookEventState.Processed, null, T0.AddMinutes(1));
        await inbox.CompleteAsync("c1", ["e2"], WebhookEventState.Ignored, "Category PREPAYMENT is not synced.", T0.AddMinutes(1));

        Assert.Empty(await inbox.ClaimAsync("c2", T0.AddHours(1), T0.AddHours(2), T0.AddHours(1), 10));
        var found = await inbox.GetAsync(["e1", "e2"]);
        Assert.Equal(WebhookEventState.Processed, found["e1"].State);
        Assert.Equal(T0.AddMinutes(1), found["e1"].CompletedAt);
        Assert.Equal(WebhookEventState.Ignored, found["e2"].State);
        Assert.Equal("Category PREPAYMENT is not synced.", found["e2"].Message);
    }

    /// <summary>Released events are claimed again at once.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Released_events_are_claimed_again()
    {
        await using var stores = await CreateStoresAsync();
        var inbox = Inbox(stores);
        await inbox.AddAsync([Event("e1")]);
        await inbox.ClaimAsync("c1", T0, T0.AddMinutes(5), T0, 10);

        Assert.Equal(0, await inbox.ReleaseAsync("someone-else", ["e1"]));
        Assert.Equal(1, await inbox.ReleaseAsync("c1", ["e1"]));

        Assert.Single(await inbox.ClaimAsync("c2", T0, T0.AddMinutes(5), T0, 10));
    }

    /// <summary>The newest receipt is known per tenant and overall.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Last_received_is_the_newest_per_tenant_and_overall()
    {
        await using var stores = await CreateStoresAsync();
        var inbox = Inbox(stores);
        Assert.Null(await inbox.GetLastReceivedAsync());

        await inbox.AddAsync([Event("a1", T0.AddMinutes(1)), Event("a2", T0.AddMinutes(3)), Event("b1", T0.AddMinutes(5), "tenant-b")]);

        Assert.Equal(T0.AddMinutes(3), await inbox.GetLastReceivedAsync("tenant-a"));
        Assert.Equal(T0.AddMinutes(5), await inbox.GetLastReceivedAsync());
        Assert.Null(await inbox.GetLastReceivedAsync("tenant-c"));
    }

    /// <summary>Processors claiming at the same time (two nodes when the provider shares data) never get the same event.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Racing_claimers_never_share_an_event()
    {
        await using var node1 = await CreateStoresAsync();
        await using var node2 = await Fixture.OpenSecondNodeAsync(node1);
        var first = Inbox(node1);
        var second = node2 is null ? first : Inbox(node2);
        await first.AddAsync([.. Enumerable.Range(0, 40).Select(i => Event($"e{i:00}", T0.AddMilliseconds(i)))]);

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            (i % 2 == 0 ? first : second).ClaimAsync($"claim-{i}", T0.AddMinutes(1), T0.AddMinutes(5), T0.AddMinutes(1), 7))));

        var ids = claims.SelectMany(c => c).Select(e => e.EventId).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(40, ids.Count);
    }
}
