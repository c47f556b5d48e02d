using Microsoft.Extensions.Options;

namespace SyncKit.Authorization;

/// <summary>The authorizer used when the host registers none: deny-by-default for Sync All, everything else allowed.</summary>
internal sealed class DefaultSyncAuthorizer(IOptionsMonitor<SyncAuthorizationOptions> options) : ISyncAuthorizer
{
    public ValueTask<bool> IsAllowedAsync(SyncAuthorizationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        if (request.Permission != SyncPermission.SyncAll)
        {
            return ValueTask.FromResult(true);
        }

        var current = options.CurrentValue;
        return ValueTask.FromResult(current.AllowSyncAll || current.SyncAllRoles.Any(request.User.IsInRole));
    }
}
