using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SyncKit.Testing.Emulator.Http;

/// <summary>The emulator behind Kestrel on a loopback address, adapting <see cref="HttpContext"/> to the same pipeline.</summary>
internal sealed class EmulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmulatorServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Kestrel's own cap (64 MiB): bodies between the emulator's limit and this are drained and answered 413.</summary>
    public const long KestrelMaxRequestBodyBytes = 64L * 1024 * 1024;

    public Uri Address { get; }

    /// <summary>Checks a URL is http(s) on a loopback host; the emulator never listens elsewhere.</summary>
    public static IPAddress LoopbackAddress(Uri url)
    {
        if (url.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException("The emulator server listens on http only: " + url, nameof(url));
        }

        if (string.Equals(url.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        if (IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip))
        {
            return ip;
        }

        throw new ArgumentException("The emulator binds to loopback only (127.0.0.1, ::1 or localhost), not " + url.Host + ".", nameof(url));
    }

    public static async Task<EmulatorServer> StartAsync(EmulatorHost host, Uri url, CancellationToken cancellationToken)
    {
        var ip = LoopbackAddress(url);
        var port = url.Port;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();

        // A library must not hook the process's Ctrl+C / SIGTERM: the host program decides when to stop.
        builder.Services.AddSingleton<IHostLifetime, PassiveLifetime>();
        builder.WebHost.ConfigureKestrel(options =>
        {
            options.Listen(ip, port);
            // Above the emulator's own limit, so the emulator reads (and drains) an over-size body and answers a clean
            // 413 instead of Kestrel cutting the connection while the client is still sending.
            options.Limits.MaxRequestBodySize = KestrelMaxRequestBodyBytes;
        });
        var app = builder.Build();
        app.Run(context => HandleAsync(host, context));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var address = new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        return new EmulatorServer(app, address);
    }

    private static async Task HandleAsync(EmulatorHost host, HttpContext context)
    {
        var (body, tooLarge) = await BoundedBody.ReadAsync(context.Request.Body, context.RequestAborted).ConfigureAwait(false);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in context.Request.Headers)
        {
            headers[name] = values.ToString();
        }

        var query = context.Request.QueryString.Value ?? string.Empty;
        var request = new EmulatorRequest
        {
            Method = context.Request.Method,
            Path = (context.Request.PathBase + context.Request.Path).Value ?? "/",
            RawQuery = query.TrimStart('?'),
            Query = EmulatorRequest.ParseQuery(query),
            Headers = headers,
            Body = body,
            BodyTooLarge = tooLarge,
        };
        var response = await host.HandleAsync(request, context.RequestAborted).ConfigureAwait(false);
        if (response.DropConnection)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = response.StatusCode;
        foreach (var (name, value) in response.Headers)
        {
            context.Response.Headers[name] = value;
        }

        if (response.ContentType is not null)
        {
            context.Response.ContentType = response.ContentType;
        }

        if (response.Body.Length > 0)
        {
            await context.Response.Body.WriteAsync(response.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private sealed class PassiveLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
