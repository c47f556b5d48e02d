using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using SyncKit.Testing.Emulator;

namespace SyncKit.Testing.Tests;

/// <summary>One emulator, one tenant and an in-process client per test: parallel-safe, on a fake clock.</summary>
internal sealed class EmulatorFixture : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 7, 15, 9, 0, 0, TimeSpan.Zero);

    private EmulatorFixture(FakeTimeProvider time, XeroEmulator emulator, EmulatorTenant tenant)
    {
        Time = time;
        Emulator = emulator;
        Tenant = tenant;
        Client = emulator.CreateHttpClient();
    }

    public FakeTimeProvider Time { get; }

    public XeroEmulator Emulator { get; }

    public EmulatorTenant Tenant { get; }

    public HttpClient Client { get; }

    public string AccessToken { get; set; } = string.Empty;

    public static async Task<EmulatorFixture> CreateAsync(EmulatorTenantOptions? tenant = null, XeroEmulatorOptions? options = null)
    {
        var time = options?.TimeProvider as FakeTimeProvider ?? new FakeTimeProvider(Start);
        var emulator = XeroEmulator.Create(new XeroEmulatorOptions
        {
            TimeProvider = time,
            Seed = options?.Seed ?? 7,
            AppMinuteLimit = options?.AppMinuteLimit ?? 10_000,
            MinuteLimit = options?.MinuteLimit ?? 1_000,
            DayLimit = options?.DayLimit ?? 100_000,
            ConcurrentLimit = options?.ConcurrentLimit ?? 5,
        });
        var created = await emulator.CreateTenantAsync(tenant ?? new EmulatorTenantOptions { Name = "Test Co", PeriodLockDate = new DateOnly(2026, 6, 30) });
        return new EmulatorFixture(time, emulator, created) { AccessToken = created.AccessToken };
    }

    public Task<Reply> GetAsync(string path, Action<HttpRequestMessage>? configure = null) => SendAsync(HttpMethod.Get, path, null, configure);

    public Task<Reply> PutAsync(string path, string json, Action<HttpRequestMessage>? configure = null) => SendAsync(HttpMethod.Put, path, json, configure);

    public Task<Reply> PostAsync(string path, string json, Action<HttpRequestMessage>? configure = null) => SendAsync(HttpMethod.Post, path, json, configure);

    public async Task<Reply> SendAsync(HttpMethod method, string path, string? json, Action<HttpRequestMessage>? configure = null, Guid? tenantId = null)
    {
        using var request = new HttpRequestMessage(method, path.StartsWith('/') ? path[1..] : path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken);
        request.Headers.TryAddWithoutValidation("xero-tenant-id", (tenantId ?? Tenant.TenantId).ToString());
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        configure?.Invoke(request);
        using var response = await Client.SendAsync(request);
        return await Reply.ReadAsync(response);
    }

    /// <summary>Creates a contact and returns its id.</summary>
    public async Task<string> CreateContactAsync(string name)
    {
        var reply = await PutAsync("api.xro/2.0/Contacts", $$"""{"Contacts":[{"Name":"{{name}}"}]}""");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        return reply.Json!["Contacts"]![0]!["ContactID"]!.GetValue<string>();
    }

    /// <summary>Creates an authorised sales invoice for 100.00 + GST and returns the element.</summary>
    public async Task<JsonObject> CreateInvoiceAsync(string contactId, string? number = null, string status = "AUTHORISED", string date = "2026-07-10", decimal unit = 100m)
    {
        var numberJson = number is null ? string.Empty : $",\"InvoiceNumber\":\"{number}\"";
        var reply = await PutAsync("api.xro/2.0/Invoices", $$"""
            {"Invoices":[{"Type":"ACCREC","Contact":{"ContactID":"{{contactId}}"},"Date":"{{date}}","DueDate":"2026-08-10","Status":"{{status}}"{{numberJson}},
              "LineItems":[{"Description":"Work","Quantity":1,"UnitAmount":{{unit.ToString(System.Globalization.CultureInfo.InvariantCulture)}},"AccountCode":"200","TaxType":"OUTPUT"}]}]}
            """);
        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
        return (JsonObject)reply.Json!["Invoices"]![0]!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Emulator.DisposeAsync();
    }
}

/// <summary>A response read fully: status, headers, body text and JSON (when it is JSON).</summary>
internal sealed class Reply
{
    public required HttpStatusCode Status { get; init; }

    public required string Body { get; init; }

    public required Dictionary<string, string> Headers { get; init; }

    public JsonNode? Json { get; init; }

    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

    /// <summary>The first validation message of the first element (summarised or not).</summary>
    public IReadOnlyList<string> Messages(string collection)
    {
        var elements = Json?["Elements"] as JsonArray ?? Json?[collection] as JsonArray ?? [];
        return elements.SelectMany(e => (e?["ValidationErrors"] as JsonArray ?? []).Select(v => v!["Message"]!.GetValue<string>())).ToList();
    }

    public static async Task<Reply> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in response.Headers)
        {
            headers[k] = string.Join(",", v);
        }

        foreach (var (k, v) in response.Content.Headers)
        {
            headers[k] = string.Join(",", v);
        }

        JsonNode? json = null;
        if (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true && body.Length > 0)
        {
            json = JsonNode.Parse(body);
        }

        return new Reply { Status = response.StatusCode, Body = body, Headers = headers, Json = json };
    }
}
