using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using SyncKit.Testing.Emulator;

namespace SyncKit.Testing.Tests.OpenApi;

/// <summary>
/// The emulator against Xero's own OpenAPI files: every JSON body it produces validates against the schema of the
/// operation that produced it, and Xero's example requests validate and, where accepted, answer valid bodies.
/// </summary>
public sealed class ContractTests
{
    private static readonly string[] s_supported =
        ["Contacts", "Items", "Invoices", "CreditNotes", "Payments", "PurchaseOrders", "Accounts", "TaxRates", "TrackingCategories", "Organisation", "Currencies"];

    // Xero's own file: the deletePayment example wraps {"Status":"DELETED"} in "Payments" while its schema
    // (PaymentDelete) is the bare object. The emulator accepts both shapes.
    private static readonly HashSet<string> s_examplesThatContradictTheirSchema = ["post /Payments/{PaymentID}"];

    [OpenApiFact]
    public async Task Every_response_body_validates_against_the_openapi_schemas()
    {
        await using var session = await Session.CreateAsync();
        await RunScenarioAsync(session);

        var failures = new List<string>();
        var validated = 0;
        foreach (var exchange in session.Exchanges)
        {
            var result = Validate(exchange);
            if (result is null)
            {
                continue;
            }

            validated++;
            failures.AddRange(result);
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40)));
        Assert.True(validated >= 40, $"only {validated} bodies validated");
    }

    [OpenApiFact]
    public async Task Xero_example_requests_validate_and_accepted_ones_answer_valid_bodies()
    {
        await using var session = await Session.CreateAsync();
        await RunScenarioAsync(session);
        var doc = OpenApiFiles.Accounting;
        var validator = new SchemaValidator(doc) { StrictMsDates = false };
        var failures = new List<string>();
        var sent = 0;
        var accepted = 0;
        foreach (var (template, pathItem) in doc["paths"]!.AsObject())
        {
            var segments = template.Trim('/').Split('/');
            if (!s_supported.Contains(segments[0]) || segments.Length > 3 || (segments.Length == 3 && segments[2] != "Options"))
            {
                continue;
            }

            foreach (var method in new[] { "put", "post" })
            {
                if (pathItem![method] is not JsonObject operation || RequestBody(validator, operation) is not { } body)
                {
                    continue;
                }

                var (schema, example) = body;
                if (!s_examplesThatContradictTheirSchema.Contains(method + " " + template))
                {
                    foreach (var error in validator.Validate(example, schema))
                    {
                        failures.Add($"example {method.ToUpperInvariant()} {template}: {error}");
                    }
                }

                var path = "api.xro/2.0" + FillPath(template, session);
                var exchange = await session.SendAsync(new HttpMethod(method.ToUpperInvariant()), path + "?summarizeErrors=false", example!.ToJsonString());
                sent++;
                if (exchange.Status == HttpStatusCode.OK)
                {
                    var elements = exchange.Json?.AsObject().Where(p => p.Value is JsonArray).SelectMany(p => p.Value!.AsArray()).ToList() ?? [];
                    accepted += elements.Count(e => e?["StatusAttributeString"]?.GetValue<string>() == "OK");
                }

                failures.AddRange(Validate(exchange) ?? []);
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40)));
        Assert.True(sent >= 15, $"only {sent} examples sent");
        Assert.True(accepted >= 5, $"only {accepted} example elements accepted");
    }

    /// <summary>Validates one exchange's body against the operation's response schema; null when there is nothing to validate.</summary>
    private static List<string>? Validate(Exchange exchange)
    {
        if (exchange.Json is null)
        {
            return null;
        }

        JsonObject doc;
        string relative;
        if (exchange.Path.StartsWith("/api.xro/2.0/", StringComparison.OrdinalIgnoreCase))
        {
            doc = OpenApiFiles.Accounting;
            relative = exchange.Path["/api.xro/2.0".Length..];
        }
        else if (exchange.Path.StartsWith("/connections", StringComparison.OrdinalIgnoreCase))
        {
            doc = OpenApiFiles.Identity;
            relative = exchange.Path;
        }
        else if (exchange.Path.StartsWith("/connect/token", StringComparison.OrdinalIgnoreCase) && exchange.Status == HttpStatusCode.OK)
        {
            var identity = new SchemaValidator(OpenApiFiles.Identity) { StrictMsDates = true };
            return identity.Validate(exchange.Json, identity.Resolve("#/components/schemas/AccessToken")).Select(e => $"{exchange}: {e}").ToList();
        }
        else
        {
            return null;
        }

        var validator = new SchemaValidator(doc) { StrictMsDates = true };
        var schema = ResponseSchema(validator, doc, relative, exchange.Method, (int)exchange.Status);
        if (schema is null)
        {
            return [$"{exchange}: no schema in the OpenAPI file for this response"];
        }

        return validator.Validate(exchange.Json, schema).Select(e => $"{exchange}: {e}").ToList();
    }

    private static JsonObject? ResponseSchema(SchemaValidator validator, JsonObject doc, string relative, string method, int status)
    {
        var segments = relative.Trim('/').Split('/');
        JsonObject? best = null;
        var bestScore = -1;
        foreach (var (template, item) in doc["paths"]!.AsObject())
        {
            var parts = template.Trim('/').Split('/');
            if (parts.Length != segments.Length || item![method.ToLowerInvariant()] is null)
            {
                continue;
            }

            var score = 0;
            var match = true;
            for (var i = 0; i < parts.Length && match; i++)
            {
                if (parts[i].StartsWith('{'))
                {
                    continue;
                }

                match = string.Equals(parts[i], segments[i], StringComparison.OrdinalIgnoreCase);
                score++;
            }

            if (match && score > bestScore)
            {
                best = item[method.ToLowerInvariant()]!.AsObject();
                bestScore = score;
            }
        }

        var responses = best?["responses"] as JsonObject;
        var response = responses?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] as JsonObject;
        if (response?["$ref"] is JsonValue reference)
        {
            response = validator.Resolve(reference.GetValue<string>());
        }

        if (response is null && status == 400 && doc["components"]?["schemas"]?["Error"] is not null)
        {
            return validator.Resolve("#/components/schemas/Error");
        }

        return response?["content"]?["application/json"]?["schema"] as JsonObject;
    }

    private static (JsonObject Schema, JsonNode? Example)? RequestBody(SchemaValidator validator, JsonObject operation)
    {
        var body = operation["requestBody"] as JsonObject;
        if (body?["$ref"] is JsonValue reference)
        {
            body = validator.Resolve(reference.GetValue<string>());
        }

        var content = body?["content"]?["application/json"] as JsonObject;
        if (content?["schema"] is not JsonObject schema || content["example"] is not JsonObject example)
        {
            return null;
        }

        return (schema, example);
    }

    private static string FillPath(string template, Session session)
    {
        var segments = template.Trim('/').Split('/');
        if (segments.Length > 1 && segments[1].StartsWith('{'))
        {
            segments[1] = session.IdFor(segments[0]);
        }

        return "/" + string.Join('/', segments);
    }

    /// <summary>Exercises every supported endpoint, the error paths included.</summary>
    private static async Task RunScenarioAsync(Session s)
    {
        foreach (var resource in new[] { "Organisation", "Currencies", "Accounts", "TaxRates", "TrackingCategories", "Contacts", "Items", "Invoices", "CreditNotes", "PurchaseOrders", "Payments" })
        {
            await s.SendAsync(HttpMethod.Get, "api.xro/2.0/" + resource);
        }

        var contact = await s.SendAsync(HttpMethod.Put, "api.xro/2.0/Contacts", """
            {"Contacts":[{"Name":"Contract Co","FirstName":"Con","LastName":"Tract","EmailAddress":"c@contract.test","Addresses":[{"AddressType":"POBOX","City":"Sydney"}],"Phones":[{"PhoneType":"DEFAULT","PhoneNumber":"5555"}]}]}
            """);
        var contactId = contact.Json!["Contacts"]![0]!["ContactID"]!.GetValue<string>();
        s.Ids["Contacts"] = contactId;
        await s.SendAsync(HttpMethod.Post, "api.xro/2.0/Contacts/" + contactId, """{"Contacts":[{"EmailAddress":"new@contract.test"}]}""");
        await s.SendAsync(HttpMethod.Put, "api.xro/2.0/Contacts?summarizeErrors=false", """{"Contacts":[{"Name":"Contract Co"},{"Name":"Second Co"}]}""");
        await s.SendAsync(HttpMethod.Put, "api.xro/2.0/Contacts", """{"Contacts":[{"Name":"Contract Co"}]}""");
        await s.SendAsync(HttpMethod.Get, "api.xro/2.0/Contacts/" + contactId);
        await s.SendAsync(HttpMethod.Get, "api.xro/2.0/Contacts?page=1&pageSize=1");

        var item = await s.SendAsync(HttpMethod.Put, "api.xro/2.0/Items", """{"Items":[{"Code":"ITEM-1","Name":"Item","Description":"An item","SalesDetails":{"UnitPrice":10,"AccountCode":"200","TaxType":"OUTPUT"},"PurchaseDetails":{"UnitPrice":5,"AccountCode":"310"}}]}""");
        s.Ids["Items"] = item.Json!["Items"]![0]!["ItemID"]!.GetValue<string>();
        await s.SendAsync(HttpMethod.Get, "api.xro/2.0/Items/" + s.Ids["Items"]);

        var invoices = await s.SendAsync(HttpMethod.Put, "api.xro/2.0/Invoices?summarizeErrors=false&unitdp=4", $$"""
            {"Invoices":[
              {"Type":"ACCREC","Contact":{"ContactID":"{{contactId}}"},"Date":"2026-07-10","DueDate":"2026-08-10","Status":"AUTHORISED","Reference":"R1",
               "LineItems":[{"Description":"Work","Quantity":2,"UnitAmount":10.1234,"AccountCode":"200","TaxType":"OUTPUT","DiscountRate":10,"Tracking":[{"Name":"Region","Option":"North"}]},{"ItemCode":"ITEM-1","Quantity":1}]},
              {"Type":"ACCPAY","Contact":{"Name":"Supplier From Invoice"},"Date":"2026-07-10","LineItems":[{"Description":"Bill","Quantity":1,"UnitAmount":50,"AccountCode":"310"}]},
              {"Type":"ACCREC","Contact":{"ContactID":"{{contactId}}"},"Date":"2026-01-01","Status":"AUTHORISED","LineItems":[{"Description":"Locked","Quantity":1,"UnitAmount":5,"AccountCode":"999"}]}]}
            """);
        var invoiceId = invoices.Json!["Invoices"]![0]!["InvoiceID"]!.GetValue<string>();
        s.Ids["Invoices"] = invoiceId;
        await s.SendAsync(HttpMethod.Put, "api.xro/2.0/Invoices", $$"""{"Invoices":[{"Type":"ACCREC","Contact":{"ContactID":"{{contactId}}"},"Date":"2026-01-01","Status":"AUTHORISED","LineItems":[{"Description":"x","Quantity":1,"UnitAmount":1,"AccountCode":"200"}]}]}""");
        await s.SendAsync(HttpMethod.Post, "api.xro/2.0/Invoices/" + invoiceId, """{"Invoices":[{"Reference":"R2"}]}""");
        await s.SendAsync(HttpMethod.Get, "api.xro/2.0/Invoices/" + invoiceId);
        await s.SendAsync(HttpMethod.Get, "api.xro/2.0/Invoices?page=1&Statuses=AUTHORISED&where=" + Uri.EscapeDataString("Type==\"ACCREC\""));

        var credit = await s.SendAsync(HttpMethod.Put, "api.xro/2.0/CreditNotes", $$"""{"CreditNotes":[{"Type":"ACCRECCREDIT","Contact":{"ContactID":"{{contactId}}"},"Date":"2026-07-11","Status":"AUTHORISED","LineItems":[{"Description":"Credit","Quantity":1,"UnitAmount":5,"AccountCode":"200","TaxType":"OUTPUT"}]}]}""");
        s.Ids["CreditNotes"] = credit.Json!["CreditNotes"]![0]!["CreditNoteID"]!.GetValue<string>();
        await s.SendAsync(HttpMethod.Get, "api.xro/2.0/CreditNotes/" + s.Ids["CreditNotes"]);

        var po = await s.SendAsync(HttpMethod.Put, "api.xro/2.0/PurchaseOrders", $$"""{"PurchaseOrders":[{"Contact":{"ContactID":"{{contactId}}"},"Date":"2026-07-11","DeliveryDate":"2026-07-20","LineItems":[{"Description":"Stock","Quantity":3,"UnitAmount":4,"AccountCode":"310"}]}]}""");
        s.Ids["PurchaseOrders"] = po.Json!["PurchaseOrders"]![0]!["PurchaseOrderID"]!.GetValue<string>();
        await s.SendAsync(HttpMethod.Get, "api.xro/2.0/PurchaseOrders/" + s.Ids["PurchaseOrders"]);

        var payment = await s.SendAsync(HttpMethod.Put, "api.xro/2.0/Payments", $$"""{"Payments":[{"Invoice":{"InvoiceID":"{{invoiceId}}"},"Account":{"Code":"090"},"Date":"2026-07-12","Amount":5,"Reference":"part"}]}""");
        s.Ids["Payments"] = payment.Json!["Payments"]![0]!["PaymentID"]!.GetValue<string>();
        await s.SendAsync(HttpMethod.Put, "api.xro/2.0/Payments", $$"""{"Payments":[{"Invoice":{"InvoiceID":"{{invoiceId}}"},"Account":{"Code":"200"},"Date":"2026-07-12","Amount":5000}]}""");
        await s.SendAsync(HttpMethod.Get, "api.xro/2.0/Payments/" + s.Ids["Payments"]);
        await s.SendAsync(HttpMethod.Post, "api.xro/2.0/Payments/" + s.Ids["Payments"], """{"Payments":[{"Status":"DELETED"}]}""");

        var account = await s.SendAsync(HttpMethod.Put, "api.xro/2.0/Accounts", """{"Code":"499","Name":"Contract Expenses","Type":"EXPENSE","TaxType":"INPUT"}""");
        s.Ids["Accounts"] = account.Json!["Accounts"]![0]!["AccountID"]!.GetValue<string>();
        await s.SendAsync(HttpMethod.Post, "api.xro/2.0/Accounts/" + s.Ids["Accounts"], """{"Accounts":[{"Status":"ARCHIVED"}]}""");
        await s.SendAsync(HttpMethod.Get, "api.xro/2.0/Accounts/" + s.Ids["Accounts"]);
        await s.SendAsync(HttpMethod.Put, "api.xro/2.0/TaxRates", """{"TaxRates":[{"Name":"Special","TaxComponents":[{"Name":"Special","Rate":7.5,"IsCompound":false,"IsNonRecoverable":false}]}]}""");
        s.Ids["TaxRates"] = "OUTPUT";
        await s.SendAsync(HttpMethod.Get, "api.xro/2.0/TaxRates/OUTPUT");
        var tracking = await s.SendAsync(HttpMethod.Put, "api.xro/2.0/TrackingCategories", """{"Name":"Project"}""");
        s.Ids["TrackingCategories"] = tracking.Json!["TrackingCategories"]![0]!["TrackingCategoryID"]!.GetValue<string>();
        await s.SendAsync(HttpMethod.Put, $"api.xro/2.0/TrackingCategories/{s.Ids["TrackingCategories"]}/Options", """{"Name":"Alpha"}""");
        await s.SendAsync(HttpMethod.Get, "api.xro/2.0/TrackingCategories/" + s.Ids["TrackingCategories"]);
        await s.SendAsync(HttpMethod.Put, "api.xro/2.0/Currencies", """{"Code":"USD"}""");
        await s.SendAsync(HttpMethod.Get, "connections");
        await s.RefreshAsync();
    }

    private sealed record Exchange(string Method, string Path, HttpStatusCode Status, JsonNode? Json)
    {
        public override string ToString() => $"{Method} {Path} -> {(int)Status}";
    }

    private sealed class Session : IAsyncDisposable
    {
        private readonly XeroEmulator _emulator;
        private readonly HttpClient _client;
        private readonly EmulatorTenant _tenant;

        private Session(XeroEmulator emulator, EmulatorTenant tenant)
        {
            _emulator = emulator;
            _tenant = tenant;
            _client = emulator.CreateHttpClient();
        }

        public List<Exchange> Exchanges { get; } = [];

        public Dictionary<string, string> Ids { get; } = new(StringComparer.OrdinalIgnoreCase);

        public string IdFor(string resource) => Ids.TryGetValue(resource, out var id) ? id : Guid.Empty.ToString();

        public static async Task<Session> CreateAsync()
        {
            var emulator = XeroEmulator.Create(new XeroEmulatorOptions { TimeProvider = new FakeTimeProvider(EmulatorFixture.Start), MinuteLimit = 100_000 });
            var tenant = await emulator.CreateTenantAsync(new EmulatorTenantOptions { Name = "Contract Co Ltd", PeriodLockDate = new DateOnly(2026, 6, 30) });
            return new Session(emulator, tenant);
        }

        public async Task<Exchange> SendAsync(HttpMethod method, string path, string? body = null)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tenant.AccessToken);
            request.Headers.Add("xero-tenant-id", _tenant.TenantId.ToString());
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            using var response = await _client.SendAsync(request);
            return Record(request, response, await response.Content.ReadAsStringAsync());
        }

        public async Task RefreshAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "connect/token")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "refresh_token",
                    ["refresh_token"] = _tenant.RefreshToken,
                    ["client_id"] = _tenant.ClientId,
                    ["client_secret"] = _tenant.ClientSecret,
                }),
            };
            using var response = await _client.SendAsync(request);
            Record(request, response, await response.Content.ReadAsStringAsync());
        }

        private Exchange Record(HttpRequestMessage request, HttpResponseMessage response, string text)
        {
            var json = response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true && text.Length > 0 ? JsonNode.Parse(text) : null;
            var exchange = new Exchange(request.Method.Method, Uri.UnescapeDataString(request.RequestUri!.IsAbsoluteUri ? request.RequestUri.AbsolutePath : "/" + request.RequestUri.OriginalString.Split('?')[0]), response.StatusCode, json);
            Exchanges.Add(exchange);
            return exchange;
        }

        public async ValueTask DisposeAsync()
        {
            _client.Dispose();
            await _emulator.DisposeAsync();
        }
    }
}
