using System.Net;
using System.Text;
using SyncKit.Errors;
using SyncKit.Records;
using SyncKit.Xero.Tests.Infrastructure;

namespace SyncKit.Xero.Tests.Identity;

public sealed class TokenManagerTests
{
    private static StubHttpHandler TokenEndpoint() => new(_ => Responses.Fixture("token.json"));

    [Fact]
    public async Task AccessTokenExpiringInMoreThanFiveMinutes_IsUsedAsItIs()
    {
        var context = new TokenTestContext(TokenEndpoint());
        await context.StoreTokenAsync(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        var token = await context.Manager.GetAccessTokenAsync(TokenTestContext.Connection);

        Assert.Equal("access-1", token);
        Assert.Equal(0, context.TokenRequests);
    }

    [Fact]
    public async Task AccessTokenExpiringWithinFiveMinutes_IsRefreshedFirst()
    {
        var context = new TokenTestContext(TokenEndpoint());
        await context.StoreTokenAsync(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));

        var token = await context.Manager.GetAccessTokenAsync(TokenTestContext.Connection);

        Assert.Equal("access-2", token);
        var request = Assert.Single(context.Handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("grant_type=refresh_token&refresh_token=refresh-1", request.Body);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("client-id:client-secret")), request.Header("Authorization"));
    }

    [Fact]
    public async Task TwentyConcurrentCallers_ShareOneRefresh()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new StubHttpHandler(async (_, ct) =>
        {
            await gate.Task.WaitAsync(ct);
            return Responses.Fixture("token.json");
        });
        var context = new TokenTestContext(handler);
        await context.StoreTokenAsync(TimeSpan.FromMinutes(-1));

        var callers = Enumerable.Range(0, 20).Select(_ => Task.Run(() => context.Manager.GetAccessTokenAsync(TokenTestContext.Connection).AsTask())).ToArray();
        gate.SetResult();
        var tokens = await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.All(tokens, t => Assert.Equal("access-2", t));
        Assert.Equal(1, context.TokenRequests);
    }

    [Fact]
    public async Task RotatedRefreshToken_IsSavedBeforeTheNewAccessTokenIsUsed()
    {
        TokenTestContext? context = null;
        string? storedRefreshTokenAtApiCall = null;
        var handler = new StubHttpHandler(r =>
        {
            if (r.Path == "/connect/token")
            {
                return Responses.Fixture("token.json");
            }

            var stored = context!.Store.GetAsync(TokenTestContext.Connection).GetAwaiter().GetResult()!;
            storedRefreshTokenAtApiCall = context.Read(stored).RefreshToken;
            return Responses.Fixture("invoices-put-1.json");
        });
        context = new TokenTestContext(handler);
        await context.StoreTokenAsync(TimeSpan.FromMinutes(-1));
        var connector = TestConnector.Create(handler, context.Options, context.Manager, context.Time);

        await connector.PushAsync(TestRecords.Batch(RecordKind.Invoice, TestRecords.InvoiceElement("1")) with { TenantId = TokenTestContext.Connection });

        Assert.Equal("refresh-2", storedRefreshTokenAtApiCall);
        Assert.Equal("Bearer access-2", handler.Requests.Last().Header("Authorization"));
    }

    [Fact]
    public async Task StoredTokens_AreNeverInClearText()
    {
        var context = new TokenTestContext(TokenEndpoint());
        await context.StoreTokenAsync(TimeSpan.FromMinutes(-1));

        await context.Manager.GetAccessTokenAsync(TokenTestContext.Connection);

        var saved = context.Store.Saves.Last();
        Assert.DoesNotContain("refresh-2", saved.ProtectedPayload, StringComparison.Ordinal);
        Assert.DoesNotContain("access-2", saved.ProtectedPayload, StringComparison.Ordinal);
        Assert.Equal("refresh-2", context.Read(saved).RefreshToken);
    }

    [Fact]
    public async Task InvalidGrant_IsAnAuthorizationFailure()
    {
        var context = new TokenTestContext(new StubHttpHandler(_ => Responses.Fixture("token-invalid-grant.json", HttpStatusCode.BadRequest)));
        await context.StoreTokenAsync(TimeSpan.FromMinutes(-1));

        var ex = await Assert.ThrowsAsync<XeroAuthorizationException>(() => context.Manager.GetAccessTokenAsync(TokenTestContext.Connection).AsTask());

        Assert.Equal("invalid_grant", ex.Error);
        Assert.Equal(FailureSource.Authorization, ex.Failure.Source);
    }

    [Fact]
    public async Task InvalidGrantDuringAPush_FailsTheBatchSoTheTenantIsDisconnected()
    {
        var handler = new StubHttpHandler(r => r.Path == "/connect/token" ? Responses.Fixture("token-invalid-grant.json", HttpStatusCode.BadRequest) : Responses.Fixture("invoices-put-1.json"));
        var context = new TokenTestContext(handler);
        await context.StoreTokenAsync(TimeSpan.FromMinutes(-1));
        var connector = TestConnector.Create(handler, context.Options, context.Manager, context.Time);

        var result = await connector.PushAsync(TestRecords.Batch(RecordKind.Invoice, TestRecords.InvoiceElement("1")) with { TenantId = TokenTestContext.Connection });

        var failure = Assert.IsType<SyncFailure>(result.BatchFailure);
        Assert.Equal(FailureSource.Authorization, failure.Source);
        Assert.Equal("invalid_grant", failure.ErrorType);
        Assert.Equal(ErrorDisposition.Reconnect, XeroErrorRules.All.First(r => r.Matches(failure)).Disposition);
        Assert.DoesNotContain(handler.Requests, r => r.Path.StartsWith("/api.xro", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InvalidGrantBecauseAnotherProcessRotatedTheToken_UsesTheOtherProcesssToken()
    {
        TokenTestContext? context = null;
        var handler = new StubHttpHandler(_ =>
        {
            // Another process refreshed first and saved its rotated token.
            context!.StoreTokenAsync(TimeSpan.FromMinutes(30), "access-other", "refresh-other").GetAwaiter().GetResult();
            return Responses.Fixture("token-invalid-grant.json", HttpStatusCode.BadRequest);
        });
        context = new TokenTestContext(handler);
        await context.StoreTokenAsync(TimeSpan.FromMinutes(-1));

        var token = await context.Manager.GetAccessTokenAsync(TokenTestContext.Connection);

        Assert.Equal("access-other", token);
    }

    [Fact]
    public async Task Api401TokenExpired_RefreshesEvenBeforeTheClockSaysSoAndRetriesOnce()
    {
        var handler = new StubHttpHandler(r => r.Path == "/connect/token"
            ? Responses.Fixture("token.json")
            : r.Header("Authorization") == "Bearer access-1" ? Responses.Fixture("error-401-token-expired.json", HttpStatusCode.Unauthorized) : Responses.Fixture("invoices-put-1.json"));
        var context = new TokenTestContext(handler);
        await context.StoreTokenAsync(TimeSpan.FromMinutes(20));
        var connector = TestConnector.Create(handler, context.Options, context.Manager, context.Time);

        var result = await connector.PushAsync(TestRecords.Batch(RecordKind.Invoice, TestRecords.InvoiceElement("1")) with { TenantId = TokenTestContext.Connection });

        Assert.True(Assert.Single(result.Outcomes).Succeeded);
        Assert.Equal(1, context.TokenRequests);
        Assert.Equal(2, handler.Requests.Count(r => r.Path == "/api.xro/2.0/Invoices"));
    }

    [Fact]
    public async Task NoStoredConnection_IsANotConnectedAuthorizationFailure()
    {
        var context = new TokenTestContext(TokenEndpoint());

        var ex = await Assert.ThrowsAsync<XeroAuthorizationException>(() => context.Manager.GetAccessTokenAsync("unknown").AsTask());

        Assert.Equal("NotConnected", ex.Error);
        Assert.Equal("xero.not-connected", XeroErrorRules.All.First(r => r.Matches(ex.Failure)).Id);
    }

    [Fact]
    public async Task CustomConnection_UsesTheClientCredentialsGrantWithoutTheTokenStore()
    {
        var context = new TokenTestContext(TokenEndpoint(), o => o.UseCustomConnection = true);

        var token = await context.Manager.GetAccessTokenAsync("custom");
        var again = await context.Manager.GetAccessTokenAsync("custom");

        Assert.Equal("access-2", token);
        Assert.Equal(token, again);
        var request = Assert.Single(context.Handler.Requests);
        Assert.Equal("grant_type=client_credentials&scope=accounting.settings", request.Body);
        Assert.Empty(context.Store.Saves);
    }
}
