using SyncKit.Connectors;

namespace SyncKit.Tests.Engine;

/// <summary>The tenant's status carries what the connector says of its permissions and its use of the ledger's limits.</summary>
public sealed class StatusUsageTests
{
    [Fact]
    public async Task Status_CarriesTheConnectorsScopesBudgetAndEgress()
    {
        await using var harness = new EngineHarness();
        var resets = harness.Time.GetUtcNow().AddHours(20);
        harness.Connector.Usage = new LedgerUsage
        {
            GrantedScopes = ["accounting.invoices", "accounting.settings"],
            MissingScopes = ["accounting.payments"],
            CallBudget = new CallBudget { DailyLimit = 1_000, Remaining = 140, Reserve = 100, ResetsAt = resets },
            Egress = new MonthlyEgress { Month = "2026-03", Bytes = 12_345, BytesByEndpoint = new Dictionary<string, long> { ["GET Accounts"] = 12_345 }, AllowanceBytes = 10_000_000_000 },
        };

        var status = await harness.Engine.GetStatusAsync(EngineHarness.Tenant);

        Assert.Equal(["accounting.invoices", "accounting.settings"], status.GrantedScopes);
        Assert.Equal(["accounting.payments"], status.MissingScopes);
        Assert.Equal(harness.Connector.Usage.CallBudget, status.CallBudget);
        Assert.Same(harness.Connector.Usage.Egress, status.Egress);
    }

    [Fact]
    public async Task Status_OfAConnectorThatKeepsNoUsage_HasNoBudgetAndNoMissingScopes()
    {
        await using var harness = new EngineHarness();

        var status = await harness.Engine.GetStatusAsync(EngineHarness.Tenant);

        Assert.Null(status.GrantedScopes);
        Assert.Empty(status.MissingScopes);
        Assert.Null(status.CallBudget);
        Assert.Null(status.Egress);
    }
}
