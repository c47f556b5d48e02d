namespace SyncKit.Testing.Emulator;

/// <summary>A tenant created in the emulator, with a connected token set for it.</summary>
public sealed class EmulatorTenant
{
    /// <summary>The <c>xero-tenant-id</c> to send.</summary>
    public required Guid TenantId { get; init; }

    /// <summary>The connection id (what <c>DELETE /connections/{id}</c> takes).</summary>
    public required Guid ConnectionId { get; init; }

    /// <summary>Organisation name.</summary>
    public required string Name { get; init; }

    /// <summary>A 30-minute access token for this tenant.</summary>
    public required string AccessToken { get; init; }

    /// <summary>The refresh token of the same grant (rotates on use).</summary>
    public required string RefreshToken { get; init; }

    /// <summary>The app's client id.</summary>
    public required string ClientId { get; init; }

    /// <summary>The app's client secret.</summary>
    public required string ClientSecret { get; init; }
}
