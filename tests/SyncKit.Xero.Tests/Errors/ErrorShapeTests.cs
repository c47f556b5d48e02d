using System.Net;
using SyncKit.Errors;
using SyncKit.Records;
using SyncKit.Xero.Errors;
using SyncKit.Xero.Tests.Infrastructure;

namespace SyncKit.Xero.Tests.Errors;

/// <summary>Every shape Xero answers an error with becomes a <see cref="SyncFailure"/> that the rules classify.</summary>
public sealed class ErrorShapeTests
{
    private static async Task<SyncFailure> BatchFailureOf(Func<HttpResponseMessage> answer, StaticTokenSource? tokens = null)
    {
        var connector = TestConnector.Create(new StubHttpHandler(_ => answer()), tokens: tokens);
        var result = await connector.PushAsync(TestRecords.Batch(RecordKind.Invoice, TestRecords.InvoiceElement("1")));
        Assert.Empty(result.Outcomes);
        return Assert.IsType<SyncFailure>(result.BatchFailure);
    }

    private static string RuleFor(SyncFailure failure) => XeroErrorRules.All.First(r => r.Matches(failure)).Id;

    [Fact]
    public async Task ValidationException400WithElements_TakesTheElementsMessages()
    {
        var failure = await BatchFailureOf(() => Responses.Fixture("error-400-validation.json", HttpStatusCode.BadRequest));

        Assert.Equal(FailureSource.Remote, failure.Source);
        Assert.Equal(400, failure.StatusCode);
        Assert.Equal("ValidationException", failure.ErrorType);
        Assert.Equal(["Organisation is not subscribed to currency EUR", "One or more line items must be specified"], failure.Messages);
        Assert.Equal("EUR", failure.Details["CurrencyCode"]);
        Assert.Equal("xero.currency", RuleFor(failure));
    }

    [Fact]
    public async Task ValidationException400WithoutElements_TakesTheMessage()
    {
        var failure = await BatchFailureOf(() => Responses.Fixture("error-400-message-only.json", HttpStatusCode.BadRequest));

        Assert.Equal(["Idempotency Key: key-Invoice is used with a different request."], failure.Messages);
        Assert.Equal("xero.idempotency-key-reused", RuleFor(failure));
    }

    [Fact]
    public async Task Unauthorized401TokenExpired_IsRefreshedAndSentOnceMore()
    {
        var tokens = new StaticTokenSource("old", "new");
        var handler = StubHttpHandler.Sequence(() => Responses.Fixture("error-401-token-expired.json", HttpStatusCode.Unauthorized), () => Responses.Fixture("invoices-put-1.json"));
        var connector = TestConnector.Create(handler, tokens: tokens);

        var result = await connector.PushAsync(TestRecords.Batch(RecordKind.Invoice, TestRecords.InvoiceElement("1")));

        Assert.True(Assert.Single(result.Outcomes).Succeeded);
        Assert.Equal(1, tokens.Refreshes);
        Assert.Equal(["Bearer old", "Bearer new"], handler.Requests.Select(r => r.Header("Authorization")));
        Assert.Equal("key-Invoice", handler.Requests[1].Header("Idempotency-Key"));
    }

    [Fact]
    public async Task Unauthorized401TokenExpiredTwice_SurfacesAsAnAuthorizationFailureAfterOneRetry()
    {
        var tokens = new StaticTokenSource("old", "new");
        var failure = await BatchFailureOf(() => Responses.Fixture("error-401-token-expired.json", HttpStatusCode.Unauthorized), tokens);

        Assert.Equal(1, tokens.Refreshes);
        Assert.Equal(FailureSource.Authorization, failure.Source);
        Assert.Equal(401, failure.StatusCode);
        Assert.Equal("TokenExpired", failure.ErrorType);
        Assert.Equal("xero.token-expired", RuleFor(failure));
    }

    [Fact]
    public async Task Unauthorized401AuthorizationUnsuccessful_IsNotRetriedAndAsksToReconnect()
    {
        var tokens = new StaticTokenSource();
        var failure = await BatchFailureOf(() => Responses.Fixture("error-401-authorization-unsuccessful.json", HttpStatusCode.Unauthorized), tokens);

        Assert.Equal(0, tokens.Refreshes);
        Assert.Equal("AuthorizationUnsuccessful", failure.ErrorType);
        Assert.Equal(ErrorDisposition.Reconnect, XeroErrorRules.All.First(r => r.Matches(failure)).Disposition);
    }

    [Fact]
    public async Task Unauthorized401InsufficientScope_IsNotRefreshed_AndAsksToReconnectToGrantTheKindsScope()
    {
        var tokens = new StaticTokenSource();
        var failure = await BatchFailureOf(
            () =>
            {
                var response = Responses.Fixture("error-401-authorization-unsuccessful.json", HttpStatusCode.Unauthorized);
                response.Headers.TryAddWithoutValidation("WWW-Authenticate", "Bearer error=\"insufficient_scope\"");
                return response;
            },
            tokens);

        Assert.Equal(0, tokens.Refreshes);
        Assert.Equal("InsufficientScope", failure.ErrorType);
        Assert.StartsWith("Reconnect to grant accounting.invoices", failure.Messages[0], StringComparison.Ordinal);
        Assert.Equal("xero.missing-scope", RuleFor(failure));
    }

    [Fact]
    public async Task Forbidden403_IsAnAuthorizationFailureThatAsksToReconnect()
    {
        var failure = await BatchFailureOf(() => Responses.Fixture("error-403-forbidden.json", HttpStatusCode.Forbidden));

        Assert.Equal(FailureSource.Authorization, failure.Source);
        Assert.Equal("AuthenticationUnsuccessful", failure.ErrorType);
        Assert.Equal("xero.tenant-forbidden", RuleFor(failure));
    }

    [Fact]
    public async Task NotFound404PlainText_KeepsTheText()
    {
        var failure = await BatchFailureOf(() => Responses.Text("The resource you're looking for cannot be found", HttpStatusCode.NotFound));

        Assert.Equal(404, failure.StatusCode);
        Assert.Equal(["The resource you're looking for cannot be found"], failure.Messages);
        Assert.Equal("xero.not-found", RuleFor(failure));
    }

    [Fact]
    public async Task TooManyRequests429Minute_CarriesTheProblemAndRetryAfter()
    {
        var failure = await BatchFailureOf(() => Responses.RateLimited("Minute", 42));

        Assert.Equal(429, failure.StatusCode);
        Assert.Equal("minute", failure.RateLimitProblem);
        Assert.Equal(TimeSpan.FromSeconds(42), failure.RetryAfter);
        Assert.Equal("xero.rate-limit-minute", RuleFor(failure));
    }

    [Fact]
    public async Task TooManyRequests429Day_PausesTheTenant()
    {
        var failure = await BatchFailureOf(() => Responses.RateLimited("day", 66_975));

        Assert.Equal("day", failure.RateLimitProblem);
        Assert.Equal(TimeSpan.FromSeconds(66_975), failure.RetryAfter);
        Assert.Equal(ErrorDisposition.PauseTenant, XeroErrorRules.All.First(r => r.Matches(failure)).Disposition);
    }

    [Fact]
    public async Task ServerError500OnAWrite_MayHaveLanded()
    {
        var failure = await BatchFailureOf(() => Responses.Fixture("error-500.json", HttpStatusCode.InternalServerError));

        Assert.Equal(500, failure.StatusCode);
        Assert.Equal(["An unhandled error with the Xero API"], failure.Messages);
        Assert.True(failure.WriteMayHaveLanded);
        Assert.Equal("xero.write-may-have-landed", RuleFor(failure));
    }

    [Theory]
    [InlineData("The Organisation is offline", "xero.organisation-offline")]
    [InlineData("The Xero API is currently offline for maintenance", "xero.maintenance")]
    [InlineData("The Xero API is temporarily unavailable", "xero.maintenance")]
    public async Task ServiceUnavailable503_IsRetriedLaterAndDidNotLand(string text, string rule)
    {
        var failure = await BatchFailureOf(() => Responses.Text(text, HttpStatusCode.ServiceUnavailable));

        Assert.Equal(503, failure.StatusCode);
        Assert.Equal([text], failure.Messages);
        Assert.False(failure.WriteMayHaveLanded);
        Assert.Equal(rule, RuleFor(failure));
    }

    [Fact]
    public async Task TransportFailureOnAWrite_IsThrownSoTheEngineReconciles()
    {
        var connector = TestConnector.Create(new StubHttpHandler(_ => throw new HttpRequestException("Connection reset by peer")));

        await Assert.ThrowsAsync<HttpRequestException>(() => connector.PushAsync(TestRecords.Batch(RecordKind.Invoice, TestRecords.InvoiceElement("1"))));
    }

    [Theory]
    [InlineData("""{"error":"invalid_grant"}""", "invalid_grant", "xero.invalid-grant")]
    [InlineData("""{"error":"invalid_client"}""", "invalid_client", "xero.invalid-client")]
    [InlineData("""{"error":"unauthorized_client","error_description":"Unauthorized client"}""", "unauthorized_client", "xero.unauthorized-client")]
    public void TokenEndpointOAuthError_IsAnAuthorizationFailure(string body, string error, string rule)
    {
        var failure = XeroErrorParser.FromTokenError(HttpStatusCode.BadRequest, body);

        Assert.Equal(FailureSource.Authorization, failure.Source);
        Assert.Equal(error, failure.ErrorType);
        Assert.NotEmpty(failure.MessageText);
        Assert.Equal(rule, RuleFor(failure));
    }

    [Fact]
    public void ServerErrorWithoutBody_StillHasAMessage()
    {
        var failure = XeroErrorParser.FromResponse(HttpStatusCode.BadGateway, null, string.Empty, RecordKind.Contact, isWrite: false, DateTimeOffset.UnixEpoch);

        Assert.NotEmpty(Assert.Single(failure.Messages));
        Assert.False(failure.WriteMayHaveLanded);
    }
}
