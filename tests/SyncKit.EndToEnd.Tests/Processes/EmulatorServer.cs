using System.Net.Http.Json;
using System.Text.Json;
using SyncKit.EndToEnd.Tests.ExactlyOnce;

namespace SyncKit.EndToEnd.Tests.Processes;

/// <summary>The <c>SyncKit.Testing.Server</c> program in a process of its own on a free loopback port, driven through its control API.</summary>
internal sealed class EmulatorServer : IAsyncDisposable
{
    private const string Listening = "Xero emulator listening on ";

    private readonly ChildProcess _process;
    private readonly HttpClient _control;

    private EmulatorServer(ChildProcess process, Uri address)
    {
        _process = process;
        Address = address;
        _control = new HttpClient { BaseAddress = new Uri(address, "_emulator/") };
    }

    public Uri Address { get; }

    public static async Task<EmulatorServer> StartAsync()
    {
        var process = ChildProcess.Start("the emulator server", Path.Combine(AppContext.BaseDirectory, "SyncKit.Testing.Server.dll"), ["--urls", "http://127.0.0.1:0"]);
        var line = await process.WaitForLineAsync(l => l.StartsWith(Listening, StringComparison.Ordinal), "its address");
        return new EmulatorServer(process, new Uri(line[Listening.Length..].Trim()));
    }

    /// <summary>Creates a tenant (<c>POST /_emulator/tenants</c>) and returns its id, client id and secret.</summary>
    public async Task<(Guid TenantId, string ClientId, string ClientSecret)> CreateTenantAsync(object settings)
    {
        using var response = await _control.PostAsJsonAsync("tenants", settings);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("tenantId").GetGuid(), body.GetProperty("clientId").GetString()!, body.GetProperty("clientSecret").GetString()!);
    }

    public async Task AddFaultAsync(object fault)
    {
        using var response = await _control.PostAsJsonAsync("faults", fault);
        response.EnsureSuccessStatusCode();
    }

    public async Task ClearFaultsAsync()
    {
        using var response = await _control.DeleteAsync("faults");
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Every document SyncKit could have written to the organisation or the practice, from their exports.</summary>
    public async Task<List<XeroDocument>> DocumentsAsync(Guid organisation, Guid practice) =>
        XeroDocument.FromExports(await ExportAsync(organisation), await ExportAsync(practice));

    private async Task<JsonElement> ExportAsync(Guid tenantId) =>
        await _control.GetFromJsonAsync<JsonElement>($"tenants/{tenantId}/export");

    public async ValueTask DisposeAsync()
    {
        _control.Dispose();
        await _process.DisposeAsync();
    }
}
