using SyncKit.Authorization;

namespace SyncKit.Samples.Web;

/// <summary>The sample's rule: every user may do everything (a real host checks roles, for example only admins may run Sync All).</summary>
internal sealed class EveryoneMayDoEverything : ISyncAuthorizer
{
    public ValueTask<bool> IsAllowedAsync(SyncAuthorizationRequest request, CancellationToken cancellationToken = default) => ValueTask.FromResult(true);
}
