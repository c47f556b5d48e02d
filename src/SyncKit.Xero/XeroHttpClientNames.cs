namespace SyncKit.Xero;

/// <summary>The names of the HTTP clients the connector registers, for hosts that configure them further.</summary>
internal static class XeroHttpClientNames
{
    /// <summary>The token endpoint (<see cref="XeroOptions.IdentityBaseUrl"/>): no governor, no retries of token grants.</summary>
    public const string Identity = "SyncKit.Xero.Identity";
}
