using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace SyncKit.Xero.Tests.Infrastructure;

/// <summary>A request as the stub saw it (body read eagerly, so it survives disposal).</summary>
public sealed record RecordedRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? Body, string? ContentType)
{
    public string PathAndQuery => Uri.PathAndQuery;

    public string Path => Uri.AbsolutePath;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string? Query(string name)
    {
        var query = Uri.Query.TrimStart('?');
        foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var pieces = part.Split('=', 2);
            if (Uri.UnescapeDataString(pieces[0]) == name)
            {
                return pieces.Length > 1 ? Uri.UnescapeDataString(pieces[1]) : string.Empty;
            }
        }

        return null;
    }
}

/// <summary>Records every request and answers through a responder; never touches the network.</summary>
public sealed class StubHttpHandler : HttpMessageHandler
{
    private readonly Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>> _responder;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    public StubHttpHandler(Func<RecordedRequest, HttpResponseMessage> responder)
        : this((r, _) => Task.FromResult(responder(r)))
    {
    }

    public StubHttpHandler(Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>> responder) => _responder = responder;

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    /// <summary>A handler that answers a fixed sequence, then repeats the last answer.</summary>
    public static StubHttpHandler Sequence(params Func<HttpResponseMessage>[] answers)
    {
        var index = -1;
        return new StubHttpHandler(_ =>
        {
            var i = Math.Min(Interlocked.Increment(ref index), answers.Length - 1);
            return answers[i]();
        });
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var h in request.Headers)
        {
            headers[h.Key] = string.Join(",", h.Value);
        }

        string? body = null;
        string? contentType = null;
        if (request.Content is not null)
        {
            body = await request.Content.ReadAsStringAsync(cancellationToken);
            contentType = request.Content.Headers.ContentType?.MediaType;
            foreach (var h in request.Content.Headers)
            {
                headers[h.Key] = string.Join(",", h.Value);
            }
        }

        var recorded = new RecordedRequest(request.Method, request.RequestUri!, headers, body, contentType);
        _requests.Enqueue(recorded);
        var response = await _responder(recorded, cancellationToken);
        response.RequestMessage ??= request;
        return response;
    }
}

public static class Responses
{
    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Text(string text, HttpStatusCode status) =>
        new(status) { Content = new StringContent(text, Encoding.UTF8, "text/plain") };

    public static HttpResponseMessage Xml(string xml, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(xml, Encoding.UTF8, "application/xml") };

    public static HttpResponseMessage Fixture(string name, HttpStatusCode status = HttpStatusCode.OK) =>
        name.EndsWith(".xml", StringComparison.Ordinal) ? Xml(Fixtures.Read(name), status) : Json(Fixtures.Read(name), status);

    public static HttpResponseMessage RateLimited(string problem, int? retryAfterSeconds)
    {
        var response = new HttpResponseMessage((HttpStatusCode)429) { Content = new StringContent(string.Empty) };
        response.Headers.TryAddWithoutValidation("X-Rate-Limit-Problem", problem);
        if (retryAfterSeconds is { } seconds)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return response;
    }
}

public static class Fixtures
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));
}
