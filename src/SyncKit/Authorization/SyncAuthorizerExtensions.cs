using System.Security.Claims;

namespace SyncKit.Authorization;

/// <summary>Asks an <see cref="ISyncAuthorizer"/> and acts on a refusal.</summary>
public static class SyncAuthorizerExtensions
{
    /// <summary>Throws <see cref="SyncAuthorizationException"/> unless the user may do it.</summary>
    /// <param name="authorizer">The host's authorizer.</param>
    /// <param name="user">The user.</param>
    /// <param name="permission">What the user asks to do.</param>
    /// <param name="tenantId">The tenant, or null when it is not for one tenant.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>A task that completes when the user is allowed.</returns>
    /// <exception cref="SyncAuthorizationException">The user is refused.</exception>
    public static async ValueTask EnsureAllowedAsync(this ISyncAuthorizer authorizer, ClaimsPrincipal user, SyncPermission permission, string? tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(authorizer);
        ArgumentNullException.ThrowIfNull(user);
        var request = new SyncAuthorizationRequest { Permission = permission, User = user, TenantId = tenantId };
        if (!await authorizer.IsAllowedAsync(request, cancellationToken).ConfigureAwait(false))
        {
            throw new SyncAuthorizationException(request);
        }
    }

    /// <summary>The engine as seen by one user: every call is first checked with <paramref name="authorizer"/>.</summary>
    /// <param name="engine">The engine.</param>
    /// <param name="user">The user the calls are made for (an anonymous principal when nobody is signed in).</param>
    /// <param name="authorizer">The host's authorizer (resolve <see cref="ISyncAuthorizer"/> from the container).</param>
    /// <returns>An engine that throws <see cref="SyncAuthorizationException"/>, doing nothing, for a refused call.</returns>
    /// <remarks>
    /// <see cref="ISyncEngine.SyncAsync"/> is Sync All; sending one record again is Retry; reads are View. Unchanged
    /// calls on the engine itself (the scheduler's, the host's own jobs) are not checked.
    /// </remarks>
    public static ISyncEngine For(this ISyncEngine engine, ClaimsPrincipal user, ISyncAuthorizer authorizer)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(authorizer);
        return new AuthorizedSyncEngine(engine, user, authorizer);
    }
}
