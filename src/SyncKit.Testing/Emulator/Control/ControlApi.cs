using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using SyncKit.Testing.Emulator.Http;
using SyncKit.Testing.Emulator.PracticeManager;
using SyncKit.Testing.Emulator.State;

namespace SyncKit.Testing.Emulator.Control;

/// <summary>The control API under <c>/_emulator/</c> (camelCase JSON, no auth: the server binds to loopback only).</summary>
internal sealed class ControlApi
{
    private readonly EmulatorHost _host;

    public ControlApi(EmulatorHost host) => _host = host;

    public EmulatorResponse Handle(EmulatorRequest request)
    {
        var segments = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();
        var method = request.Method.ToUpperInvariant();
        var body = request.Body.Length > 0 ? JsonNode.Parse(request.Body, XeroJson.NodeOptions) as JsonObject : null;
        var first = segments.Length > 0 ? segments[0].ToLowerInvariant() : string.Empty;
        try
        {
            switch (first, method, segments.Length)
            {
                case ("tenants", "POST", 1):
                    return CreateTenant(body ?? []);
                case ("tenants", "GET", 1):
                    return Json(HttpStatusCode.OK, new JsonArray(_host.Tenants.Select(t => (JsonNode?)new JsonObject
                    {
                        ["tenantId"] = t.TenantId.ToString(),
                        ["name"] = t.Name,
                        ["tenantType"] = t.IsPractice ? "PRACTICEMANAGER" : "ORGANISATION",
                    }).ToArray()));
                case ("tenants", "PATCH", 2):
                    {
                        var tenant = Tenant(segments[1]);
                        if (tenant is null)
                        {
                            return NotFound();
                        }

                        var error = ApplyPatch(tenant, body ?? []);
                        return error is null ? Json(HttpStatusCode.OK, Summary(tenant)) : BadRequest(error);
                    }

                case ("tenants", "GET", 3) when segments[2].Equals("export", StringComparison.OrdinalIgnoreCase):
                    {
                        var tenant = Tenant(segments[1]);
                        return tenant is null ? NotFound() : Json(HttpStatusCode.OK, Export(tenant));
                    }

                case ("clock", "GET", 1):
                    return Json(HttpStatusCode.OK, Clock());
                case ("clock", "POST", 1):
                    {
                        var seconds = XeroJson.GetDecimal(body, "advanceSeconds") ?? 0m;
                        if (seconds < 0m)
                        {
                            return BadRequest("advanceSeconds must not be negative.");
                        }

                        _host.Clock.Advance(TimeSpan.FromSeconds((double)seconds));
                        return Json(HttpStatusCode.OK, Clock());
                    }

                case ("faults", "POST", 1):
                    {
                        var fault = ParseFault(body ?? [], out var error);
                        if (fault is null)
                        {
                            return BadRequest(error!);
                        }

                        var id = _host.Faults.Add(fault, _host.Ids.NewGuid());
                        return Json(HttpStatusCode.Created, new JsonObject { ["faultId"] = id.ToString() });
                    }

                case ("faults", "DELETE", 1):
                    _host.Faults.Clear();
                    return EmulatorResponse.Empty(HttpStatusCode.NoContent);
                case ("stats", "GET", 1):
                    return Json(HttpStatusCode.OK, StatsJson(_host.Stats.Snapshot()));
                default:
                    return NotFound();
            }
        }
        catch (FormatException ex)
        {
            return BadRequest(ex.Message);
        }
    }

    private EmulatorResponse CreateTenant(JsonObject body)
    {
        var options = new EmulatorTenantOptions
        {
            Name = XeroJson.GetString(body, "name") ?? "Emulated Company",
            BaseCurrency = XeroJson.GetString(body, "baseCurrency") ?? "AUD",
            PeriodLockDate = Date(body, "periodLockDate"),
            EndOfYearLockDate = Date(body, "endOfYearLockDate"),
            MinuteLimit = Int(body, "minuteLimit"),
            DayLimit = Int(body, "dayLimit"),
            ConcurrentLimit = Int(body, "concurrentLimit"),
            PracticeManager = XeroJson.GetBool(body, "practiceManager") ?? false,
            WipLockDate = Date(body, "wipLockDate"),
        };
        var tenant = _host.CreateTenant(options);
        return Json(HttpStatusCode.Created, new JsonObject
        {
            ["tenantId"] = tenant.TenantId.ToString(),
            ["connectionId"] = tenant.ConnectionId.ToString(),
            ["name"] = tenant.Name,
            ["accessToken"] = tenant.AccessToken,
            ["refreshToken"] = tenant.RefreshToken,
            ["clientId"] = tenant.ClientId,
            ["clientSecret"] = tenant.ClientSecret,
        });
    }

    /// <summary>Applies a tenant patch; returns an error text or null.</summary>
    public string? ApplyPatch(TenantState tenant, JsonObject body)
    {
        lock (tenant.Gate)
        {
            if (XeroJson.GetString(body, "name") is { Length: > 0 } name)
            {
                tenant.Name = name;
            }

            if (XeroJson.Has(body, "periodLockDate") || body.Any(p => p.Key.Equals("periodLockDate", StringComparison.OrdinalIgnoreCase)))
            {
                tenant.PeriodLockDate = Date(body, "periodLockDate");
            }

            if (body.Any(p => p.Key.Equals("endOfYearLockDate", StringComparison.OrdinalIgnoreCase)))
            {
                tenant.EndOfYearLockDate = Date(body, "endOfYearLockDate");
            }

            if (XeroJson.GetBool(body, "offline") is { } offline)
            {
                tenant.Offline = offline;
            }

            tenant.MinuteLimit = Int(body, "minuteLimit") ?? tenant.MinuteLimit;
            tenant.DayLimit = Int(body, "dayLimit") ?? tenant.DayLimit;
            tenant.ConcurrentLimit = Int(body, "concurrentLimit") ?? tenant.ConcurrentLimit;
            foreach (var (field, status) in new[] { ("archiveAccount", "ARCHIVED"), ("unarchiveAccount", "ACTIVE") })
            {
                if (XeroJson.GetString(body, field) is { Length: > 0 } code)
                {
                    var account = tenant.FindAccount(code, Guid.TryParse(code, out var g) ? g : null);
                    if (account is null)
                    {
                        return "Unknown account " + code;
                    }

                    account["Status"] = status;
                    account["UpdatedDateUTC"] = XeroJson.MsDate(_host.Clock.GetUtcNow());
                }
            }

            if (XeroJson.GetArray(body, "currencies") is { } currencies)
            {
                foreach (var c in currencies.Select(c => c?.GetValue<string>()).Where(c => c is { Length: 3 }))
                {
                    tenant.Currencies.Add(c!.ToUpperInvariant());
                }
            }

            if (body.Any(p => p.Key.Equals("wipLockDate", StringComparison.OrdinalIgnoreCase)))
            {
                if (tenant.Practice is null)
                {
                    return "The tenant is not a Practice Manager practice.";
                }

                tenant.Practice.WipLockDate = Date(body, "wipLockDate");
            }

            var jobStates = XeroJson.GetArray(body, "jobStates")?.OfType<JsonObject>().ToList() ?? [];
            if (XeroJson.GetObject(body, "jobState") is { } single)
            {
                jobStates.Add(single);
            }

            foreach (var jobState in jobStates)
            {
                var job = XeroJson.GetString(jobState, "job") ?? string.Empty;
                var state = XeroJson.GetString(jobState, "state") ?? string.Empty;
                if (tenant.Practice is null || !PracticeManagerApi.TrySetState(tenant.Practice, job, state))
                {
                    return "Unknown job or state: " + job + " " + state;
                }
            }

            return null;
        }
    }

    public JsonObject Export(TenantState tenant)
    {
        lock (tenant.Gate)
        {
            static JsonArray All(EntitySet set) => new(set.All.Select(e => (JsonNode?)e.DeepClone()).ToArray());
            var export = new JsonObject
            {
                ["tenantId"] = tenant.TenantId.ToString(),
                ["name"] = tenant.Name,
                ["offline"] = tenant.Offline,
                ["organisation"] = SeedData.Organisation(tenant),
                ["currencies"] = new JsonArray(tenant.Currencies.OrderBy(c => c, StringComparer.Ordinal).Select(c => (JsonNode?)c).ToArray()),
                ["accounts"] = All(tenant.Accounts),
                ["taxRates"] = All(tenant.TaxRates),
                ["trackingCategories"] = All(tenant.TrackingCategories),
                ["contacts"] = All(tenant.Contacts),
                ["items"] = All(tenant.Items),
                ["invoices"] = All(tenant.Invoices),
                ["creditNotes"] = All(tenant.CreditNotes),
                ["purchaseOrders"] = All(tenant.PurchaseOrders),
                ["payments"] = All(tenant.Payments),
            };
            if (tenant.Practice is { } practice)
            {
                export["practiceManager"] = new JsonObject
                {
                    ["wipLockDate"] = practice.WipLockDate is { } w ? XeroJson.IsoDate(w) : null,
                    ["staff"] = new JsonArray(practice.StaffMembers.Select(s => (JsonNode?)new JsonObject { ["uuid"] = s.Uuid.ToString(), ["name"] = s.Name, ["email"] = s.Email }).ToArray()),
                    ["clients"] = new JsonArray(practice.Clients.Select(c => (JsonNode?)new JsonObject { ["uuid"] = c.Uuid.ToString(), ["name"] = c.Name, ["email"] = c.Email }).ToArray()),
                    ["jobs"] = new JsonArray(practice.Jobs.Select(j => (JsonNode?)new JsonObject
                    {
                        ["id"] = j.Id,
                        ["uuid"] = j.Uuid.ToString(),
                        ["name"] = j.Name,
                        ["clientUuid"] = j.ClientUuid.ToString(),
                        ["state"] = j.State,
                        ["deleted"] = j.Deleted,
                    }).ToArray()),
                    ["costs"] = new JsonArray(practice.Costs.Select(c => (JsonNode?)new JsonObject
                    {
                        ["uuid"] = c.Uuid.ToString(),
                        ["job"] = c.JobId,
                        ["date"] = XeroJson.IsoDate(c.Date),
                        ["description"] = c.Description,
                        ["quantity"] = c.Quantity,
                        ["unitCost"] = c.UnitCost,
                        ["unitPrice"] = c.UnitPrice,
                        ["billable"] = c.Billable,
                    }).ToArray()),
                };
            }

            return export;
        }
    }

    public static EmulatorFault? ParseFault(JsonObject body, out string? error)
    {
        error = null;
        if (!Enum.TryParse<EmulatorFaultKind>(XeroJson.GetString(body, "kind"), ignoreCase: true, out var kind))
        {
            error = "kind must be one of " + string.Join(", ", Enum.GetNames<EmulatorFaultKind>());
            return null;
        }

        return new EmulatorFault
        {
            Kind = kind,
            Method = XeroJson.GetString(body, "method"),
            Path = XeroJson.GetString(body, "path"),
            TenantId = XeroJson.GetGuid(body, "tenantId"),
            Count = Int(body, "count"),
            Probability = XeroJson.GetDecimal(body, "probability") is { } p ? (double)p : null,
            Latency = TimeSpan.FromMilliseconds((double)(XeroJson.GetDecimal(body, "latencyMs") ?? 1000m)),
            StatusCode = Int(body, "statusCode") ?? 500,
            RateLimitProblem = XeroJson.GetString(body, "rateLimitProblem") ?? "minute",
            RetryAfterSeconds = Int(body, "retryAfterSeconds") ?? 60,
        };
    }

    public static JsonObject StatsJson(EmulatorStats stats)
    {
        var calls = new JsonObject();
        foreach (var (tenantId, endpoints) in stats.Calls.OrderBy(c => c.Key))
        {
            var perEndpoint = new JsonObject();
            foreach (var (endpoint, count) in endpoints.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                perEndpoint[endpoint] = count;
            }

            calls[tenantId.ToString()] = perEndpoint;
        }

        var writes = new JsonObject();
        foreach (var (tenantId, count) in stats.Writes.OrderBy(w => w.Key))
        {
            writes[tenantId.ToString()] = count;
        }

        var limited = new JsonObject();
        foreach (var (problem, count) in stats.RateLimited.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            limited[problem] = count;
        }

        var faults = new JsonObject();
        foreach (var (kind, count) in stats.Faults.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            faults[kind] = count;
        }

        return new JsonObject { ["totalCalls"] = stats.TotalCalls, ["calls"] = calls, ["writes"] = writes, ["rateLimited"] = limited, ["faults"] = faults };
    }

    private JsonObject Clock() => new() { ["utcNow"] = _host.Clock.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture) };

    private JsonObject Summary(TenantState tenant) => new()
    {
        ["tenantId"] = tenant.TenantId.ToString(),
        ["name"] = tenant.Name,
        ["periodLockDate"] = tenant.PeriodLockDate is { } p ? XeroJson.IsoDate(p) : null,
        ["endOfYearLockDate"] = tenant.EndOfYearLockDate is { } e ? XeroJson.IsoDate(e) : null,
        ["offline"] = tenant.Offline,
        ["minuteLimit"] = tenant.MinuteLimit,
        ["dayLimit"] = tenant.DayLimit,
        ["concurrentLimit"] = tenant.ConcurrentLimit,
        ["wipLockDate"] = tenant.Practice?.WipLockDate is { } w ? XeroJson.IsoDate(w) : null,
    };

    private TenantState? Tenant(string id) => Guid.TryParse(id, out var g) ? _host.FindTenant(g) : null;

    private static DateOnly? Date(JsonObject? body, string name)
    {
        var text = XeroJson.GetString(body, name);
        if (text is null)
        {
            return null;
        }

        return XeroJson.TryParseDate(text, out var d) ? d : throw new FormatException(name + " is not a date (yyyy-MM-dd): " + text);
    }

    private static int? Int(JsonObject? body, string name) => XeroJson.GetDecimal(body, name) is { } d ? (int)d : null;

    private static EmulatorResponse Json(HttpStatusCode status, JsonNode body) => EmulatorResponse.Json(status, body);

    private static EmulatorResponse NotFound() => Json(HttpStatusCode.NotFound, new JsonObject { ["error"] = "not found" });

    private static EmulatorResponse BadRequest(string message) => Json(HttpStatusCode.BadRequest, new JsonObject { ["error"] = message });
}
