using SyncKit.Testing.Emulator.Http;

namespace SyncKit.Testing.Emulator.State;

/// <summary>Idempotency keys of one tenant: the first response per key, kept for <see cref="Window"/> of emulator time.</summary>
internal sealed class IdempotencyStore
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(6);

    public const int MaxKeyLength = 128;

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public Entry? Find(string key, DateTimeOffset now)
    {
        Purge(now);
        return _entries.TryGetValue(key, out var entry) ? entry : null;
    }

    public void Store(string key, string fingerprint, EmulatorResponse response, DateTimeOffset now) =>
        _entries[key] = new Entry(fingerprint, response.Copy(), now + Window);

    private void Purge(DateTimeOffset now)
    {
        foreach (var key in _entries.Where(e => e.Value.ExpiresAt <= now).Select(e => e.Key).ToList())
        {
            _entries.Remove(key);
        }
    }

    internal sealed record Entry(string Fingerprint, EmulatorResponse Response, DateTimeOffset ExpiresAt);
}
