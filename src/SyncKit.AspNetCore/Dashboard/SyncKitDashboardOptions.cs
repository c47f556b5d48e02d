namespace SyncKit.AspNetCore.Dashboard;

/// <summary>How the sync dashboard is secured and what it shows.</summary>
/// <remarks>
/// The dashboard refuses to start until its authorization is stated: set <see cref="AuthorizationPolicy"/>, call
/// <c>RequireAuthorization(...)</c> on the builder <c>MapSyncKitDashboard</c> returns, or set <see cref="AllowAnonymous"/>
/// (local development only). Every page, asset and action goes through that authorization; each action also asks the
/// host's <see cref="SyncKit.Authorization.ISyncAuthorizer"/>.
/// </remarks>
public sealed class SyncKitDashboardOptions
{
    /// <summary>The name of the authorization policy every page, asset and action requires.</summary>
    public string? AuthorizationPolicy { get; set; }

    /// <summary>Lets anyone who can reach the address use the dashboard. For local development only.</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Shows everything and offers no action: buttons are hidden and every action is refused.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>The heading of every page.</summary>
    public string Title { get; set; } = "Xero sync";

    /// <summary>Rows per page on the record lists (10–500; default 50).</summary>
    public int PageSize { get; set; } = 50;

    /// <summary>
    /// The address of the host's reconnect page for a tenant (for example the Xero connect endpoint), or null when the
    /// host has none; shown beside a Disconnected connection.
    /// </summary>
    public Func<string, string?>? ReconnectUrl { get; set; }

    /// <summary>Called after each action the dashboard runs or refuses, to keep the host's own audit trail.</summary>
    /// <remarks>The dashboard also logs each action and keeps the latest ones in memory for its Activity page.</remarks>
    public Func<DashboardAction, CancellationToken, ValueTask>? OnAction { get; set; }
}
