using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace SyncKit.Hosting;

/// <summary>Where each tenant falls in a scheduling period: a stable offset from a hash of its id.</summary>
internal static class TenantSchedule
{
    /// <summary>The tenant's offset into each period: in [0, every × jitter), the same on every node and every run.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="every">The period.</param>
    /// <param name="jitter">The fraction of the period tenants are spread over.</param>
    /// <returns>The offset.</returns>
    public static TimeSpan Offset(string tenantId, TimeSpan every, double jitter)
    {
        if (jitter <= 0)
        {
            return TimeSpan.Zero;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(tenantId), hash);
        var fraction = BinaryPrimitives.ReadUInt32BigEndian(hash) / 4_294_967_296.0;
        return TimeSpan.FromTicks((long)(every.Ticks * jitter * fraction));
    }

    /// <summary>The start of the cycle after <paramref name="cycle"/>, skipping cycles wholly missed (the host was suspended or overloaded).</summary>
    /// <param name="cycle">The cycle just run.</param>
    /// <param name="every">The period.</param>
    /// <param name="now">The time now.</param>
    /// <param name="skipped">How many cycles were skipped.</param>
    /// <returns>The next cycle's start.</returns>
    public static DateTimeOffset NextCycle(DateTimeOffset cycle, TimeSpan every, DateTimeOffset now, out long skipped)
    {
        var next = cycle + every;
        skipped = 0;
        if (now - next >= every)
        {
            skipped = (now - next).Ticks / every.Ticks;
            next += TimeSpan.FromTicks(skipped * every.Ticks);
        }

        return next;
    }
}
