namespace SyncKit.Storage.InMemory;

/// <summary>Token sets held in memory, saved with compare-and-swap on the version.</summary>
internal sealed class InMemoryTokenStore : TokenStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, StoredToken> _tokens = new(StringComparer.Ordinal);

    public override Task<StoredToken?> GetAsync(string connectionKey, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_tokens.GetValueOrDefault(connectionKey));
        }
    }

    public override Task<bool> TrySaveAsync(StoredToken token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var storedVersion = _tokens.TryGetValue(token.ConnectionKey, out var stored) ? stored.Version : 0;
            if (storedVersion != token.Version)
            {
                return Task.FromResult(false);
            }

            _tokens[token.ConnectionKey] = token with { Version = token.Version + 1 };
            return Task.FromResult(true);
        }
    }

    public override Task<bool> DeleteAsync(string connectionKey, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_tokens.Remove(connectionKey));
        }
    }
}
