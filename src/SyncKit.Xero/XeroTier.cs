namespace SyncKit.Xero;

/// <summary>Xero's developer pricing tiers (from 2 March 2026).</summary>
/// <remarks>
/// Each tier caps the app's connected organisations and its monthly egress; Starter also allows only 1,000 calls per
/// organisation a day (the others 5,000). Practice Manager, Journals and bulk connections need Advanced.
/// See <see cref="XeroTiers"/> for the numbers SyncKit uses.
/// </remarks>
public enum XeroTier
{
    /// <summary>Free: 5 connections, 1,000 calls per organisation a day.</summary>
    Starter = 0,

    /// <summary>50 connections, 10 GB egress a month.</summary>
    Core = 1,

    /// <summary>1,000 connections, 50 GB egress a month.</summary>
    Plus = 2,

    /// <summary>10,000 connections, 250 GB egress a month; Practice Manager API.</summary>
    Advanced = 3,

    /// <summary>Negotiated with Xero: set the limits in <see cref="XeroOptions"/>.</summary>
    Enterprise = 4,
}

/// <summary>The published limits of each <see cref="XeroTier"/>.</summary>
public static class XeroTiers
{
    private const long Gigabyte = 1L << 30;

    /// <summary>Calls per organisation per day when nothing else says (no tier set): Xero's long-standing 5,000.</summary>
    public const int DefaultDailyCallLimit = 5_000;

    /// <summary>Calls per organisation per day on a tier.</summary>
    /// <param name="tier">The tier.</param>
    /// <returns>1,000 on Starter; 5,000 otherwise.</returns>
    public static int DailyCallLimit(XeroTier tier) => tier == XeroTier.Starter ? 1_000 : DefaultDailyCallLimit;

    /// <summary>Connected organisations an app on a tier may have.</summary>
    /// <param name="tier">The tier.</param>
    /// <returns>The cap, or null when negotiated (Enterprise).</returns>
    public static int? ConnectionLimit(XeroTier tier) => tier switch
    {
        XeroTier.Starter => 5,
        XeroTier.Core => 50,
        XeroTier.Plus => 1_000,
        XeroTier.Advanced => 10_000,
        _ => null,
    };

    /// <summary>Bytes a month included before egress is billed.</summary>
    /// <param name="tier">The tier.</param>
    /// <returns>The allowance, or null when not published (Starter, Enterprise).</returns>
    public static long? MonthlyEgressAllowanceBytes(XeroTier tier) => tier switch
    {
        XeroTier.Core => 10 * Gigabyte,
        XeroTier.Plus => 50 * Gigabyte,
        XeroTier.Advanced => 250 * Gigabyte,
        _ => null,
    };

    /// <summary>Whether a tier may use the Practice Manager API.</summary>
    /// <param name="tier">The tier.</param>
    /// <returns>True for Advanced and Enterprise.</returns>
    public static bool AllowsPracticeManager(XeroTier tier) => tier is XeroTier.Advanced or XeroTier.Enterprise;
}
