using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using SyncKit.Testing.Emulator.Http;
using SyncKit.Testing.Emulator.PracticeManager;
using SyncKit.Testing.Emulator.State;

namespace SyncKit.Testing.Emulator.Control;

/// <summary>The control API under <c>/_emulator/</c> (camelCase JSON, no auth: the server binds to loopback only).</summary>
internal sealed class ControlApi
{
    private const decimal MaxAdvanceSeconds = 100m * 365 * 24 * 60 * 60;
    private const decimal MaxLatencyMilliseconds = 24m * 60 * 60 * 1000;

    private static readonly string[] s_rateLimitProblems = ["minute", "day", "appminute", "concurrent"];

    private readonly EmulatorHost _host;

    private static readonly string[] s_userCollections = ["Payments", "Invoices", "Contacts", "CreditNotes"];

    public ControlApi(EmulatorHost host) => _host = host;

    public EmulatorResponse Handle(EmulatorRequest request)
    {
        var segments = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();
        var method = request.Method.ToUpperInvariant();
        JsonObject? body = null;

        // A Practice Manager user's call carries XML, read by the practice's API.
        var practiceUser = segments.Length == 5 && segments[2].Equals("as-user", StringComparison.OrdinalIgnoreCase);
        if (request.Body.Length > 0 && !practiceUser)
        {
            body = JsonBody.TryParseObject(request.Body, out var bodyError);
            if (body is null)
            {
                return BadRequest("The body could not be read: " + bodyError);
            }
        }

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

                case ("tenants", "POST", 5) when segments[2].Equals("as-user", StringComparison.OrdinalIgnoreCase):
                    {
                        // "A user in Practice Manager": as-user/{api}/{method}, e.g. as-user/client.api/add; ?method=PUT for updates.
                        var tenant = Tenant(segments[1]);
                        if (tenant is null)
                        {
                            return NotFound();
                        }

                        if (tenant.Practice is null)
                        {
                            return BadRequest("The tenant is not a Practice Manager practice.");
                        }

                        return _host.ActAsPracticeUser(tenant, request.QueryValue("method") ?? "POST", segments[3] + "/" + segments[4], request.Body);
                    }

                case ("tenants", "POST", 4) when segments[2].Equals("as-user", StringComparison.OrdinalIgnoreCase):
                    {
                        // "A user in Xero": payments made, invoices voided, contacts edited in Xero's own screens.
                        var tenant = Tenant(segments[1]);
                        if (tenant is null)
                        {
                            return NotFound();
                        }

                        var collection = s_userCollections.FirstOrDefault(c => c.Equals(segments[3], StringComparison.OrdinalIgnoreCase));
                        return collection is null
                            ? BadRequest("A user in Xero can write " + string.Join(", ", s_userCollections) + ", not " + segments[3] + ".")
                            : _host.ActAsUser(tenant, collection, request.Body);
                    }

                case ("tenants", "POST", 6) when segments[2].Equals("as-user", StringComparison.OrdinalIgnoreCase)
                    && segments[3].Equals("CreditNotes", StringComparison.OrdinalIgnoreCase) && segments[5].Equals("Allocations", StringComparison.OrdinalIgnoreCase):
                    {
                        // "A user in Xero" allocates a credit note to an invoice: PUT CreditNotes/{id}/Allocations as the API applies it.
                        var tenant = Tenant(segments[1]);
                        return tenant is null ? NotFound() : _host.ActAsUser(tenant, "CreditNotes/" + segments[4] + "/Allocations", request.Body, "PUT");
                    }

                case ("clock", "GET", 1):
                    return Json(HttpStatusCode.OK, Clock());
                case ("clock", "POST", 1):
                    {
                        var seconds = Number(body, "advanceSeconds", 0m, MaxAdvanceSeconds) ?? 0m;
                        _host.Clock.Advance(TimeSpan.FromSeconds((double)seconds));
                        _host.Webhooks.Wake();
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
                case ("egress", "GET", 1):
                    return Json(HttpStatusCode.OK, EgressJson(_host.Stats.Snapshot()));
                case ("apps", "POST", 1):
                    return CreateApp(body ?? []);
                case ("webhooks", "POST", 1):
                    return CreateWebhook(body ?? []);
                case ("webhooks", "POST", 2) when segments[1].Equals("intent", StringComparison.OrdinalIgnoreCase):
                    {
                        var clientId = Text(body ?? [], "clientId") ?? _host.Tokens.DefaultApp.ClientId;
                        return _host.Webhooks.QueueIntentToReceive(clientId)
                            ? Json(HttpStatusCode.Accepted, WebhookJson(_host.Webhooks.Find(clientId)!))
                            : NotFound();
                    }

                case ("webhooks", "GET", 1):
                    return Json(HttpStatusCode.OK, new JsonArray([.. _host.Webhooks.All().Select(w => (JsonNode?)WebhookJson(w))]));
                case ("webhooks", "PATCH", 1):
                    return ChangeWebhookDelivery(body ?? []);
                default:
                    return NotFound();
            }
        }
        catch (FormatException ex)
        {
            return BadRequest(ex.Message);
        }
    }

    /// <summary>Bytes each app pulled from each tenant, with the endpoints they came from.</summary>
    private static JsonArray EgressJson(EmulatorStats stats) => new(stats.Egress.Select(e => (JsonNode?)new JsonObject
    {
        ["clientId"] = e.ClientId,
        ["tenantId"] = e.TenantId.ToString(),
        ["bytes"] = e.Bytes,
        ["byEndpoint"] = new JsonObject(e.ByEndpoint.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
    }).ToArray());

    /// <summary>Creates an app's webhook (<c>url</c>, optional <c>clientId</c>) and answers its key; the check is sent by <c>POST webhooks/intent</c>.</summary>
    private EmulatorResponse CreateWebhook(JsonObject body)
    {
        var clientId = Text(body, "clientId") ?? _host.Tokens.DefaultApp.ClientId;
        if (_host.Tokens.FindApp(clientId) is null)
        {
            return BadRequest("No app " + clientId + " in this emulator.");
        }

        if (!Uri.TryCreate(Text(body, "url"), UriKind.Absolute, out var url))
        {
            return BadRequest("url must be an absolute http URL on a loopback address.");
        }

        try
        {
            return Json(HttpStatusCode.Created, WebhookJson(_host.Webhooks.Create(clientId, url)));
        }
        catch (ArgumentException ex)
        {
            return BadRequest(ex.Message);
        }
    }

    /// <summary>Drops (<c>drop</c>) or delays (<c>delaySeconds</c>) webhook deliveries.</summary>
    private EmulatorResponse ChangeWebhookDelivery(JsonObject body)
    {
        var drop = Bool(body, "drop");
        var delay = Number(body, "delaySeconds", 0m, MaxAdvanceSeconds);
        if (drop is { } d)
        {
            _host.Webhooks.Drop = d;
        }

        if (delay is { } seconds)
        {
            _host.Webhooks.Delay = TimeSpan.FromSeconds((double)seconds);
        }

        return Json(HttpStatusCode.OK, new JsonObject { ["drop"] = _host.Webhooks.Drop, ["delaySeconds"] = _host.Webhooks.Delay.TotalSeconds });
    }

    private static JsonObject WebhookJson(EmulatorWebhook webhook) => new()
    {
        ["clientId"] = webhook.ClientId,
        ["url"] = webhook.Url.ToString(),
        ["webhookKey"] = webhook.WebhookKey,
        ["status"] = webhook.Status.ToString(),
        ["delivered"] = webhook.Delivered,
        ["failedAttempts"] = webhook.FailedAttempts,
        ["waiting"] = webhook.Waiting,
        ["eventsDelivered"] = webhook.EventsDelivered,
    };

    private EmulatorResponse CreateApp(JsonObject body)
    {
        var tierText = Text(body, "tier");
        EmulatorTier tier = EmulatorTier.Starter;
        if (tierText is not null && !Enum.TryParse(tierText, ignoreCase: true, out tier))
        {
            return BadRequest($"tier must be one of {string.Join(", ", Enum.GetNames<EmulatorTier>())}; it is '{tierText}'.");
        }

        var app = _host.CreateApp(new EmulatorAppOptions
        {
            Name = Text(body, "name") ?? "Emulated App",
            CreatedOn = Date(body, "createdOn") ?? new DateOnly(2026, 3, 2),
            Tier = tier,
            CustomConnection = Bool(body, "customConnection") ?? false,
            ConnectionLimit = Limit(body, "connectionLimit"),
        });
        return Json(HttpStatusCode.Created, new JsonObject
        {
            ["clientId"] = app.ClientId,
            ["clientSecret"] = app.ClientSecret,
            ["createdOn"] = XeroJson.IsoDate(app.CreatedOn),
            ["tier"] = app.Tier.ToString(),
        });
    }

    private EmulatorResponse CreateTenant(JsonObject body)
    {
        var options = new EmulatorTenantOptions
        {
            Name = Text(body, "name") ?? "Emulated Company",
            BaseCurrency = Currency(body, "baseCurrency") ?? "AUD",
            PeriodLockDate = Date(body, "periodLockDate"),
            EndOfYearLockDate = Date(body, "endOfYearLockDate"),
            MinuteLimit = Limit(body, "minuteLimit"),
            DayLimit = Limit(body, "dayLimit"),
            ConcurrentLimit = Limit(body, "concurrentLimit"),
            PracticeManager = Bool(body, "practiceManager") ?? false,
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

    /// <summary>Applies a tenant patch: all of it, or (when any part is bad) none of it; returns an error text or null.</summary>
    public string? ApplyPatch(TenantState tenant, JsonObject body)
    {
        lock (tenant.Gate)
        {
            // Read and check everything first, so a bad part leaves the tenant untouched.
            string? name;
            DateOnly? periodLockDate, endOfYearLockDate, wipLockDate;
            bool? offline;
            int? minuteLimit, dayLimit, concurrentLimit;
            List<string> currencies;
            try
            {
                name = Text(body, "name");
                periodLockDate = Date(body, "periodLockDate");
                endOfYearLockDate = Date(body, "endOfYearLockDate");
                wipLockDate = Date(body, "wipLockDate");
                offline = Bool(body, "offline");
                minuteLimit = Limit(body, "minuteLimit");
                dayLimit = Limit(body, "dayLimit");
                concurrentLimit = Limit(body, "concurrentLimit");
                currencies = Currencies(body);
            }
            catch (FormatException ex)
            {
                return ex.Message;
            }

            var accountChanges = new List<(JsonObject Account, string Status)>();
            foreach (var (field, status) in new[] { ("archiveAccount", "ARCHIVED"), ("unarchiveAccount", "ACTIVE") })
            {
                if (XeroJson.GetString(body, field) is { Length: > 0 } code)
                {
                    var account = tenant.FindAccount(code, Guid.TryParse(code, out var g) ? g : null);
                    if (account is null)
                    {
                        return "Unknown account " + code;
                    }

                    accountChanges.Add((account, status));
                }
            }

            var hasWipLockDate = body.Any(p => p.Key.Equals("wipLockDate", StringComparison.OrdinalIgnoreCase));
            if (hasWipLockDate && tenant.Practice is null)
            {
                return "The tenant is not a Practice Manager practice.";
            }

            var jobStates = XeroJson.GetArray(body, "jobStates")?.ToList() ?? [];
            if (XeroJson.Get(body, "jobState") is { } single)
            {
                jobStates.Add(single);
            }

            var stateChanges = new List<(PracticeState.Job Job, string State)>();
            foreach (var node in jobStates)
            {
                var jobState = node as JsonObject;
                var job = XeroJson.GetString(jobState, "job") ?? string.Empty;
                var state = XeroJson.GetString(jobState, "state") ?? string.Empty;
                var found = tenant.Practice?.FindJob(job);
                var stateName = PracticeState.StateName(state);
                if (found is null || stateName is null)
                {
                    return "Unknown job or state: " + job + " " + state;
                }

                stateChanges.Add((found, stateName));
            }

            // Then apply.
            if (name is { Length: > 0 })
            {
                tenant.Name = name;
            }

            if (body.Any(p => p.Key.Equals("periodLockDate", StringComparison.OrdinalIgnoreCase)))
            {
                tenant.PeriodLockDate = periodLockDate;
            }

            if (body.Any(p => p.Key.Equals("endOfYearLockDate", StringComparison.OrdinalIgnoreCase)))
            {
                tenant.EndOfYearLockDate = endOfYearLockDate;
            }

            if (offline is { } isOffline)
            {
                tenant.Offline = isOffline;
            }

            tenant.MinuteLimit = minuteLimit ?? tenant.MinuteLimit;
            tenant.DayLimit = dayLimit ?? tenant.DayLimit;
            tenant.ConcurrentLimit = concurrentLimit ?? tenant.ConcurrentLimit;
            foreach (var (account, status) in accountChanges)
            {
                // Stored entities are never changed in place (see TenantState.Capture): edit a copy and replace.
                var updated = (JsonObject)account.DeepClone();
                updated["Status"] = status;
                updated["UpdatedDateUTC"] = XeroJson.MsDate(_host.Clock.GetUtcNow());
                tenant.Accounts.Replace(account, updated);
            }

            tenant.Currencies.UnionWith(currencies);
            if (hasWipLockDate)
            {
                tenant.Practice!.WipLockDate = wipLockDate;
            }

            foreach (var (job, state) in stateChanges)
            {
                job.State = state;
                job.Modified = _host.Clock.GetUtcNow();
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
        if (!Enum.TryParse<EmulatorFaultKind>(XeroJson.GetString(body, "kind"), ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
        {
            error = "kind must be one of " + string.Join(", ", Enum.GetNames<EmulatorFaultKind>());
            return null;
        }

        EmulatorFault fault;
        try
        {
            var tenantText = Text(body, "tenantId");
            Guid? tenantId = null;
            if (tenantText is not null)
            {
                tenantId = Guid.TryParse(tenantText, out var g) ? g : throw new FormatException("tenantId is not a GUID: " + tenantText);
            }

            fault = new EmulatorFault
            {
                Kind = kind,
                Method = Text(body, "method"),
                Path = Text(body, "path"),
                TenantId = tenantId,
                Count = Int(body, "count", 1, int.MaxValue),
                Probability = Number(body, "probability", 0m, 1m) is { } p ? (double)p : null,
                Latency = TimeSpan.FromMilliseconds((double)(Number(body, "latencyMs", 0m, MaxLatencyMilliseconds) ?? 1000m)),
                StatusCode = Int(body, "statusCode", int.MinValue, int.MaxValue) ?? 500,
                RateLimitProblem = Text(body, "rateLimitProblem") ?? "minute",
                RetryAfterSeconds = Int(body, "retryAfterSeconds", 0, int.MaxValue) ?? 60,
            };
        }
        catch (FormatException ex)
        {
            error = ex.Message;
            return null;
        }

        error = Validate(fault);
        return error is null ? fault : null;
    }

    /// <summary>What is wrong with a fault rule, or null: the control API answers it with 400, <c>AddFault</c> throws.</summary>
    public static string? Validate(EmulatorFault fault)
    {
        if (fault.Kind == EmulatorFaultKind.ServerError && fault.StatusCode is < 500 or > 599)
        {
            return "statusCode must be a 5xx status (500-599), not " + fault.StatusCode.ToString(CultureInfo.InvariantCulture) + ".";
        }

        if (fault.Probability is { } p && (double.IsNaN(p) || p < 0 || p > 1))
        {
            return "probability must be between 0 and 1.";
        }

        if (fault.Count is < 1)
        {
            return "count must be at least 1 (leave it out for no limit).";
        }

        if (fault.Latency < TimeSpan.Zero || fault.Latency > TimeSpan.FromMilliseconds((double)MaxLatencyMilliseconds))
        {
            return "latencyMs must be between 0 and " + MaxLatencyMilliseconds.ToString(CultureInfo.InvariantCulture) + ".";
        }

        if (fault.RetryAfterSeconds < 0)
        {
            return "retryAfterSeconds must not be negative.";
        }

        if (!s_rateLimitProblems.Contains(fault.RateLimitProblem, StringComparer.OrdinalIgnoreCase))
        {
            return "rateLimitProblem must be one of " + string.Join(", ", s_rateLimitProblems) + ".";
        }

        return null;
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
        var text = Text(body, name);
        if (text is null)
        {
            return null;
        }

        return XeroJson.TryParseDate(text, out var d) ? d : throw new FormatException(name + " is not a date (yyyy-MM-dd): " + text);
    }

    /// <summary>A string or number as text; null when absent; anything else is bad input.</summary>
    private static string? Text(JsonObject? body, string name) => XeroJson.Get(body, name) switch
    {
        null => null,
        JsonValue v when v.GetValueKind() is JsonValueKind.String or JsonValueKind.Number => XeroJson.GetString(body, name),
        var other => throw new FormatException(name + " must be text, not " + other.GetValueKind().ToString().ToLowerInvariant() + "."),
    };

    private static bool? Bool(JsonObject? body, string name) => XeroJson.Get(body, name) switch
    {
        null => null,
        var node => XeroJson.GetBool(body, name) ?? throw new FormatException(name + " must be true or false, not " + node.ToJsonString() + "."),
    };

    /// <summary>A number within [min, max] (JSON number or numeric text); null when absent.</summary>
    private static decimal? Number(JsonObject? body, string name, decimal min, decimal max)
    {
        var node = XeroJson.Get(body, name);
        if (node is null)
        {
            return null;
        }

        var value = XeroJson.ToDecimal(node);
        if (value is not { } d || d < min || d > max)
        {
            throw new FormatException(name + " must be a number from " + min.ToString(CultureInfo.InvariantCulture) + " to "
                + max.ToString(CultureInfo.InvariantCulture) + ", not " + node.ToJsonString() + ".");
        }

        return d;
    }

    private static int? Int(JsonObject? body, string name, int min, int max)
    {
        var value = Number(body, name, min, max);
        if (value is { } d && d != decimal.Truncate(d))
        {
            throw new FormatException(name + " must be a whole number, not " + d.ToString(CultureInfo.InvariantCulture) + ".");
        }

        return value is { } whole ? (int)whole : null;
    }

    /// <summary>A rate limit: a whole number of at least 1.</summary>
    private static int? Limit(JsonObject? body, string name) => Int(body, name, 1, int.MaxValue);

    private static string? Currency(JsonObject? body, string name)
    {
        var text = Text(body, name);
        return text is null || IsCurrencyCode(text)
            ? text?.ToUpperInvariant()
            : throw new FormatException(name + " must be a three-letter currency code, not " + text + ".");
    }

    private static List<string> Currencies(JsonObject? body)
    {
        var node = XeroJson.Get(body, "currencies");
        if (node is null)
        {
            return [];
        }

        if (node is not JsonArray array)
        {
            throw new FormatException("currencies must be an array of three-letter codes.");
        }

        return array.Select(c => c is JsonValue v && v.GetValueKind() == JsonValueKind.String && IsCurrencyCode(v.GetValue<string>())
                ? v.GetValue<string>().ToUpperInvariant()
                : throw new FormatException("currencies must be three-letter codes, not " + (c?.ToJsonString() ?? "null") + "."))
            .ToList();
    }

    private static bool IsCurrencyCode(string text) => text.Length == 3 && text.All(char.IsAsciiLetter);

    private static EmulatorResponse Json(HttpStatusCode status, JsonNode body) => EmulatorResponse.Json(status, body);

    private static EmulatorResponse NotFound() => Json(HttpStatusCode.NotFound, new JsonObject { ["error"] = "not found" });

    private static EmulatorResponse BadRequest(string message) => Json(HttpStatusCode.BadRequest, new JsonObject { ["error"] = message });
}
