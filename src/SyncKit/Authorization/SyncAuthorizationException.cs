namespace SyncKit.Authorization;

/// <summary>The host's <see cref="ISyncAuthorizer"/> refused what a user asked for; nothing was done.</summary>
public sealed class SyncAuthorizationException : UnauthorizedAccessException
{
    /// <summary>Creates the exception for a refused request.</summary>
    /// <param name="request">What was refused.</param>
    public SyncAuthorizationException(SyncAuthorizationRequest request)
        : base(Describe(request))
    {
        Request = request;
    }

    /// <summary>What was refused: the permission, the user and the tenant.</summary>
    public SyncAuthorizationRequest Request { get; }

    private static string Describe(SyncAuthorizationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var who = request.User.Identity?.Name is { Length: > 0 } name ? $"User '{name}'" : "An anonymous user";
        var tenant = request.TenantId is null ? string.Empty : $" for tenant '{request.TenantId}'";
        var hint = request.Permission == SyncPermission.SyncAll
            ? " Sync All is refused unless the host allows it (SyncAuthorizationOptions.AllowSyncAll or SyncAllRoles, or its own ISyncAuthorizer)."
            : " The host's ISyncAuthorizer refused it.";
        return $"{who} may not {request.Permission}{tenant}.{hint}";
    }
}
