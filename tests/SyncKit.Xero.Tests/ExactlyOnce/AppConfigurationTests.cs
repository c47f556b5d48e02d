using System.Net;
using SyncKit.Errors;
using SyncKit.Xero.Errors;
using SyncKit.Xero.Identity;
using SyncKit.Xero.Tests.Identity;
using SyncKit.Xero.Tests.Infrastructure;

namespace SyncKit.Xero.Tests.ExactlyOnce;

/// <summary>An app-wide configuration error stops the run, naming the setting, and disconnects no tenant.</summary>
public sealed class AppConfigurationTests
{
    private static ErrorRule Classify(SyncFailure failure) => XeroErrorRules.All.First(r => r.Matches(failure));

    [Fact]
    public void InvalidClientFromTheTokenEndpoint_StopsTheRunNamingClientIdAndSecret()
    {
        var rule = Classify(XeroErrorParser.FromTokenError(HttpStatusCode.BadRequest, """{"error":"invalid_client"}"""));

        Assert.Equal(ErrorDisposition.StopRun, rule.Disposition);
        Assert.Contains("Xero:ClientId", rule.Reason, StringComparison.Ordinal);
        Assert.Contains("Xero:ClientSecret", rule.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidGrantFromTheTokenEndpoint_StillAsksToReconnect()
    {
        var rule = Classify(XeroErrorParser.FromTokenError(HttpStatusCode.BadRequest, """{"error":"invalid_grant"}"""));

        Assert.Equal(ErrorDisposition.Reconnect, rule.Disposition);
    }

    [Fact]
    public async Task StoredTokensTheConfiguredKeyCannotDecrypt_StopTheRunNamingTheKeySetting()
    {
        var saved = new TokenTestContext(new StubHttpHandler(_ => Responses.Json("{}")));
        await saved.StoreTokenAsync(TimeSpan.FromHours(1));
        var otherKey = new TokenTestContext(new StubHttpHandler(_ => Responses.Json("{}")), o => o.TokenEncryptionKey = Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray()));
        foreach (var token in saved.Store.Saves)
        {
            Assert.True(await otherKey.Store.TrySaveAsync(token with { Version = 0 }));
        }

        var ex = await Assert.ThrowsAsync<XeroAuthorizationException>(async () => await otherKey.Manager.GetAccessTokenAsync(TokenTestContext.Connection));

        var rule = Classify(ex.Failure);
        Assert.Equal(ErrorDisposition.StopRun, rule.Disposition);
        Assert.Contains("Xero:TokenEncryptionKey", rule.Reason, StringComparison.Ordinal);
    }
}
