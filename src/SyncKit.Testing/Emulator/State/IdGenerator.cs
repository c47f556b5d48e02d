namespace SyncKit.Testing.Emulator.State;

/// <summary>Seeded, thread-safe generator of GUIDs, tokens and fault dice, so runs and exports are reproducible.</summary>
internal sealed class IdGenerator
{
    private readonly Random _random;
    private readonly Lock _gate = new();

    public IdGenerator(int seed) => _random = new Random(seed);

    public Guid NewGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        lock (_gate)
        {
            _random.NextBytes(bytes);
        }

        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    public string NewToken(int bytesLength = 32)
    {
        var bytes = new byte[bytesLength];
        lock (_gate)
        {
            _random.NextBytes(bytes);
        }

        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public string NewHex(int length)
    {
        var bytes = new byte[(length + 1) / 2];
        lock (_gate)
        {
            _random.NextBytes(bytes);
        }

        return Convert.ToHexStringLower(bytes)[..length];
    }

    public double NextDouble()
    {
        lock (_gate)
        {
            return _random.NextDouble();
        }
    }
}
