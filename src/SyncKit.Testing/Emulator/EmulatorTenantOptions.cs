namespace SyncKit.Testing.Emulator;

/// <summary>What to create with <see cref="XeroEmulator.CreateTenantAsync"/>.</summary>
public sealed class EmulatorTenantOptions
{
    /// <summary>Organisation name.</summary>
    public string Name { get; init; } = "Emulated Company";

    /// <summary>Base currency (three letters).</summary>
    public string BaseCurrency { get; init; } = "AUD";

    /// <summary>Period lock date; documents dated on or before it are refused.</summary>
    public DateOnly? PeriodLockDate { get; init; }

    /// <summary>End of year lock date.</summary>
    public DateOnly? EndOfYearLockDate { get; init; }

    /// <summary>Calls per minute for this tenant; null takes the emulator's default.</summary>
    public int? MinuteLimit { get; init; }

    /// <summary>Calls per day for this tenant; null takes the emulator's default.</summary>
    public int? DayLimit { get; init; }

    /// <summary>Calls in flight for this tenant; null takes the emulator's default.</summary>
    public int? ConcurrentLimit { get; init; }

    /// <summary>When true the tenant is a Practice Manager practice (tenant type PRACTICEMANAGER) with seeded staff and states.</summary>
    public bool PracticeManager { get; init; }

    /// <summary>Practice Manager WIP lock date: costs dated on or before it are refused.</summary>
    public DateOnly? WipLockDate { get; init; }
}
