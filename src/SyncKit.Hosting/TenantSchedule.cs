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

    /// <summary>
    /// When a tenant new to the rota is first due: its slot in the first period, counted from <paramref name="start"/>;
    /// or now, when that slot has passed — a tenant connected mid-period is synced at the next pass instead of waiting
    /// up to a whole period (its slot may have fallen between the connection and the pass that found it).
    /// </summary>
    /// <param name="start">When this node's first period began.</param>
    /// <param name="offset">The tenant's offset into each period.</param>
    /// <param name="now">The time now.</param>
    /// <returns>The first due time.</returns>
    public static DateTimeOffset FirstDue(DateTimeOffset start, TimeSpan offset, DateTimeOffset now)
    {
        var due = start + offset;
        return due < now ? now : due;
    }

    /// <summary>
    /// When a tenant run for its slot at <paramref name="due"/> is next due: the first later slot still ahead of
    /// <paramref name="now"/>. Slots that passed while the run went on (or the host was suspended) are skipped.
    /// </summary>
    /// <param name="due">The slot just run.</param>
    /// <param name="every">The period.</param>
    /// <param name="now">The time now.</param>
    /// <param name="skipped">How many slots were skipped.</param>
    /// <returns>The next due time.</returns>
    public static DateTimeOffset NextDue(DateTimeOffset due, TimeSpan every, DateTimeOffset now, out long skipped)
    {
        var next = due + every;
        skipped = 0;
        if (next <= now)
        {
            skipped = ((now - next).Ticks / every.Ticks) + 1;
            next += TimeSpan.FromTicks(skipped * every.Ticks);
        }

        return next;
    }

    /// <summary>How many of a running tenant's later slots have passed by <paramref name="now"/>.</summary>
    /// <param name="due">The slot being run.</param>
    /// <param name="every">The period.</param>
    /// <param name="now">The time now.</param>
    /// <returns>The number of slots passed.</returns>
    public static long SlotsPassed(DateTimeOffset due, TimeSpan every, DateTimeOffset now) =>
        now <= due ? 0 : (now - due).Ticks / every.Ticks;
}
