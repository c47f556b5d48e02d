using System.Net;
using System.Net.Http.Headers;

namespace SyncKit.Testing.Emulator.Http;

/// <summary>The emulator as an in-process <see cref="HttpMessageHandler"/>: no sockets, same pipeline as the server.</summary>
internal sealed class EmulatorHttpHandler : HttpMessageHandler
{
    private readonly EmulatorHost _host;

    public EmulatorHttpHandler(EmulatorHost host) => _host = host;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("The request has no URI; set HttpClient.BaseAddress.");
        var (body, tooLarge) = request.Content is null
            ? ([], false)
            : await ReadBodyAsync(request.Content, cancellationToken).ConfigureAwait(false);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = string.Join(", ", values);
        }

        if (request.Content is not null)
        {
            foreach (var (name, values) in request.Content.Headers)
            {
                headers[name] = string.Join(", ", values);
            }
        }

        var emulatorRequest = new EmulatorRequest
        {
            Method = request.Method.Method,
            Path = Uri.UnescapeDataString(uri.AbsolutePath),
            RawQuery = uri.Query.TrimStart('?'),
            Query = EmulatorRequest.ParseQuery(uri.Query),
            Headers = headers,
            Body = body,
            BodyTooLarge = tooLarge,
        };
        var response = await _host.HandleAsync(emulatorRequest, cancellationToken).ConfigureAwait(false);
        if (response.DropConnection)
        {
            throw new HttpRequestException(
                HttpRequestError.ResponseEnded,
                "The response ended prematurely (emulated connection drop after commit).",
                new IOException("The connection was closed by the emulator after the request was processed."));
        }

        var message = new HttpResponseMessage((HttpStatusCode)response.StatusCode)
        {
            RequestMessage = request,
            Content = new ByteArrayContent(response.Body),
        };
        if (response.ContentType is not null)
        {
            message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(response.ContentType);
        }

        foreach (var (name, value) in response.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }

    /// <summary>
    /// Reads the body (buffered by the content, so a client may send the same request again); a body declared or found
    /// to be longer than <see cref="EmulatorHost.MaxRequestBodyBytes"/> is not kept, only flagged.
    /// </summary>
    private static async Task<(byte[] Body, bool TooLarge)> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > EmulatorHost.MaxRequestBodyBytes)
        {
            return ([], true);
        }

        var body = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return body.Length > EmulatorHost.MaxRequestBodyBytes ? ([], true) : (body, false);
    }
}
