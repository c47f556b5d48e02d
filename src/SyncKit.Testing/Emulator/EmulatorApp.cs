namespace SyncKit.Testing.Emulator;

/// <summary>Xero's developer tiers (from 2 March 2026), as the emulator applies them.</summary>
public enum EmulatorTier
{
    /// <summary>No tier: an app from before the tiers, with Xero's long-standing limits and no connection cap.</summary>
    Legacy = 0,

    /// <summary>Free: 5 connections, 1,000 calls per organisation a day.</summary>
    Starter = 1,

    /// <summary>50 connections.</summary>
    Core = 2,

    /// <summary>1,000 connections.</summary>
    Plus = 3,

    /// <summary>10,000 connections.</summary>
    Advanced = 4,
}

/// <summary>What to create with <see cref="XeroEmulator.CreateApp"/>.</summary>
public sealed class EmulatorAppOptions
{
    /// <summary>The app's name.</summary>
    public string Name { get; init; } = "Emulated App";

    /// <summary>When the app was created in the developer portal: from 2 March 2026 it may ask only for granular scopes.</summary>
    public DateOnly CreatedOn { get; init; } = new(2026, 3, 2);

    /// <summary>The app's tier: sets its connection cap and the daily call limit of its organisations.</summary>
    public EmulatorTier Tier { get; init; } = EmulatorTier.Starter;

    /// <summary>A custom connection (client-credentials grant): created after 29 April 2026 it is refused broad scopes at token time.</summary>
    public bool CustomConnection { get; init; }

    /// <summary>The connection cap; null takes the tier's (Starter 5, Core 50, Plus 1,000, Advanced 10,000; none for Legacy).</summary>
    public int? ConnectionLimit { get; init; }
}

/// <summary>An app created in the emulator, with its client credentials.</summary>
public sealed class EmulatorApp
{
    /// <summary>The client id.</summary>
    public required string ClientId { get; init; }

    /// <summary>The client secret.</summary>
    public required string ClientSecret { get; init; }

    /// <summary>When it was created.</summary>
    public required DateOnly CreatedOn { get; init; }

    /// <summary>Its tier.</summary>
    public required EmulatorTier Tier { get; init; }
}
