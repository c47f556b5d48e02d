using SyncKit.Authorization;

namespace SyncKit.AspNetCore.Dashboard;

/// <summary>One action a user asked of the dashboard: the action log's row (who, what, when).</summary>
public sealed record DashboardAction
{
    /// <summary>Who asked (the user's name, or "anonymous").</summary>
    public required string User { get; init; }

    /// <summary>What they asked to do.</summary>
    public required SyncPermission Permission { get; init; }

    /// <summary>The tenant it was for.</summary>
    public required string TenantId { get; init; }

    /// <summary>What it acted on, in words (a record, a category, a mapping).</summary>
    public required string Target { get; init; }

    /// <summary>When.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>Whether it was allowed and run.</summary>
    public required bool Allowed { get; init; }

    /// <summary>What came of it, for the user.</summary>
    public string? Result { get; init; }
}
