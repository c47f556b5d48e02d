using System.Security.Claims;

namespace SyncKit.Authorization;

/// <summary>
/// The host's rule for who may do what: every entry point that acts for a user (the engine's calls made on a user's
/// behalf, SyncKit's web endpoints and the dashboard) asks it before acting.
/// </summary>
/// <remarks>Register one with <c>services.AddSingleton&lt;ISyncAuthorizer, MyAuthorizer&gt;()</c>; it may be called concurrently.</remarks>
public interface ISyncAuthorizer
{
    /// <summary>Whether the user may do it.</summary>
    /// <param name="request">Who, what, and for which tenant.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>True to allow; false to refuse.</returns>
    ValueTask<bool> IsAllowedAsync(SyncAuthorizationRequest request, CancellationToken cancellationToken = default);
}

/// <summary>One question to the host's <see cref="ISyncAuthorizer"/>.</summary>
public sealed record SyncAuthorizationRequest
{
    /// <summary>What the user asks to do.</summary>
    public required SyncPermission Permission { get; init; }

    /// <summary>The user (an anonymous principal when nobody is signed in).</summary>
    public required ClaimsPrincipal User { get; init; }

    /// <summary>The tenant it is for, or null when it is not for one tenant (connecting a new organisation).</summary>
    public string? TenantId { get; init; }
}
