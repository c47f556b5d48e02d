using SyncKit.Xero;

namespace SyncKit.AspNetCore.Connect;

/// <summary>How a connect attempt ended.</summary>
public enum XeroConnectResult
{
    /// <summary>Organisations were connected and registered.</summary>
    Connected,

    /// <summary>A disconnected organisation was connected again.</summary>
    Reconnected,

    /// <summary>The user pressed Cancel at Xero (<c>error=access_denied</c>); nothing was connected.</summary>
    Cancelled,

    /// <summary>The app's Xero plan has no room for another connection; the user was not sent to Xero.</summary>
    ConnectionLimitReached,

    /// <summary>A reconnect brought back another organisation; nothing was changed.</summary>
    OtherOrganisation,

    /// <summary>A reconnect named a tenant that was never connected.</summary>
    UnknownTenant,

    /// <summary>The callback's state was missing, expired or not the one this browser started with (a forged or stale link).</summary>
    InvalidState,

    /// <summary>The host's authorizer refused the user.</summary>
    Refused,

    /// <summary>Xero answered with an error (at consent or at the code exchange).</summary>
    Failed,
}

/// <summary>The outcome of a connect attempt, given to <see cref="XeroConnectOptions.OnOutcome"/>.</summary>
public sealed record XeroConnectOutcome
{
    /// <summary>How it ended.</summary>
    public required XeroConnectResult Result { get; init; }

    /// <summary>What to tell the user.</summary>
    public required string Message { get; init; }

    /// <summary>The organisations connected (empty unless connected or reconnected).</summary>
    public IReadOnlyList<XeroConnection> Connections { get; init; } = [];

    /// <summary>The tenant of a reconnect, or null.</summary>
    public string? TenantId { get; init; }

    /// <summary>Xero's error code (for example <c>access_denied</c>, <c>invalid_scope</c>, <c>invalid_grant</c>), or null.</summary>
    public string? Error { get; init; }

    /// <summary>The local URL the connect request asked to return to, or null.</summary>
    public string? ReturnUrl { get; init; }
}
