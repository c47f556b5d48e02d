using SyncKit.Storage;
using Xunit;

namespace SyncKit.Testing.Storage;

/// <summary>The behaviour every <see cref="TokenStore"/> must show: compare-and-swap on the version.</summary>
/// <param name="fixture">The provider's fixture.</param>
public abstract class TokenStoreContract(StoreFixture fixture) : StoreContract(fixture)
{
    /// <summary>A new token for <c>conn-1</c>.</summary>
    /// <param name="payload">The protected payload.</param>
    /// <param name="version">The version read at.</param>
    /// <returns>The token.</returns>
    protected static StoredToken Token(string payload, long version = 0) => new()
    {
        ConnectionKey = "conn-1",
        ProtectedPayload = payload,
        UpdatedAt = T0,
        Version = version,
    };

    /// <summary>An unknown connection reads as null.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Get_unknown_connection_returns_null()
    {
        await using var stores = await CreateStoresAsync();

        Assert.Null(await stores.Tokens.GetAsync("conn-1"));
    }

    /// <summary>A new token saves at version 0 and reads back at version 1 with every field.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Save_new_token_round_trips_at_version_one()
    {
        await using var stores = await CreateStoresAsync();
        var payload = "CfDJ8" + new string('x', 4000) + "==";

        Assert.True(await stores.Tokens.TrySaveAsync(Token(payload)));

        Assert.Equal(Token(payload, version: 1), await stores.Tokens.GetAsync("conn-1"));
    }

    /// <summary>A save at the stored version succeeds and increments it.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Save_at_current_version_succeeds()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Tokens.TrySaveAsync(Token("one"));

        Assert.True(await stores.Tokens.TrySaveAsync(Token("two", version: 1) with { UpdatedAt = T0.AddMinutes(30) }));

        Assert.Equal(Token("two", version: 2) with { UpdatedAt = T0.AddMinutes(30) }, await stores.Tokens.GetAsync("conn-1"));
    }

    /// <summary>A save at a stale version (another writer refreshed first) fails and changes nothing.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Save_at_stale_version_fails_and_keeps_stored_token()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Tokens.TrySaveAsync(Token("one"));
        await stores.Tokens.TrySaveAsync(Token("two", version: 1));

        Assert.False(await stores.Tokens.TrySaveAsync(Token("stale", version: 1)));
        Assert.False(await stores.Tokens.TrySaveAsync(Token("new", version: 0)));
        Assert.False(await stores.Tokens.TrySaveAsync(Token("future", version: 9)));

        Assert.Equal(Token("two", version: 2), await stores.Tokens.GetAsync("conn-1"));
    }

    /// <summary>A save at a version other than 0 for an unknown connection fails.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Save_update_of_missing_token_fails()
    {
        await using var stores = await CreateStoresAsync();

        Assert.False(await stores.Tokens.TrySaveAsync(Token("x", version: 3)));
        Assert.Null(await stores.Tokens.GetAsync("conn-1"));
    }

    /// <summary>Delete reports whether a token was there; a token can be saved anew afterwards.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Delete_removes_token_and_reports_whether_it_existed()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Tokens.TrySaveAsync(Token("one"));
        await stores.Tokens.TrySaveAsync(Token("other") with { ConnectionKey = "conn-2" });

        Assert.True(await stores.Tokens.DeleteAsync("conn-1"));
        Assert.False(await stores.Tokens.DeleteAsync("conn-1"));

        Assert.Null(await stores.Tokens.GetAsync("conn-1"));
        Assert.NotNull(await stores.Tokens.GetAsync("conn-2"));
        Assert.True(await stores.Tokens.TrySaveAsync(Token("again")));
    }

    /// <summary>Eight refreshes racing from one version: exactly one is saved.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Racing_saves_from_same_version_exactly_one_wins()
    {
        await using var stores = await CreateStoresAsync();
        await stores.Tokens.TrySaveAsync(Token("one"));

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            stores.Tokens.TrySaveAsync(Token($"refresh-{i}", version: 1)))));

        Assert.Equal(1, results.Count(r => r));
        var stored = (await stores.Tokens.GetAsync("conn-1"))!;
        Assert.Equal(2, stored.Version);
        Assert.Equal($"refresh-{Array.IndexOf(results, true)}", stored.ProtectedPayload);
    }
}
