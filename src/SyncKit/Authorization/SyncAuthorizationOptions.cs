namespace SyncKit.Authorization;

/// <summary>Options of SyncKit's default <see cref="ISyncAuthorizer"/>: every action is allowed except Sync All, which is refused unless allowed here.</summary>
/// <remarks>
/// Set with <c>services.Configure&lt;SyncAuthorizationOptions&gt;(...)</c>. A host with its own rules registers its own
/// <see cref="ISyncAuthorizer"/> instead, and these options are not read.
/// </remarks>
public sealed class SyncAuthorizationOptions
{
    /// <summary>Whether every user may run Sync All (default false: refused).</summary>
    public bool AllowSyncAll { get; set; }

    /// <summary>Roles whose users may run Sync All (for example "Super Admin", "Account Admin"); checked with <see cref="System.Security.Claims.ClaimsPrincipal.IsInRole"/>.</summary>
    public IList<string> SyncAllRoles { get; } = [];
}
