using SyncKit.Telemetry;
using SyncKit.Xero.Identity;

namespace SyncKit.Xero.Tests.Identity;

public sealed class TenantReferenceTests
{
    [Theory]
    [InlineData("2f4a1b6c-0000-4000-8000-000000000001")]
    [InlineData("customer-42@example.com")]
    public void ConnectorLogLines_NameATenantAsTheEngineAndSchedulerDo(string tenantId)
    {
        // The rate governor's lines ("waiting 12 s for tenant ...") must match the engine's and the scheduler's.
        Assert.Equal(SyncKitTelemetry.TenantReference(tenantId), XeroTokenManager.Hash(tenantId));
    }
}
