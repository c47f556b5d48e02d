using System.Globalization;
using System.Net;
using System.Xml;
using System.Xml.Linq;
using SyncKit.Testing.Emulator.Http;
using SyncKit.Testing.Emulator.State;

namespace SyncKit.Testing.Emulator.PracticeManager;

/// <summary>
/// A minimal Practice Manager 3.1 surface, XML as Xero's: clients, jobs, job states, job costs and staff.
/// Errors come back as <c>&lt;Response&gt;&lt;Status&gt;ERROR&lt;/Status&gt;...</c> with HTTP 200, as XPM sometimes does.
/// </summary>
internal sealed class PracticeManagerApi
{
    private readonly EmulatorHost _host;

    public PracticeManagerApi(EmulatorHost host) => _host = host;

    public EmulatorResponse Handle(EmulatorRequest request, TenantState tenant)
    {
        var practice = tenant.Practice!;
        var rest = request.Path[EmulatorHost.PracticeManagerPrefix.Length..].Trim('/');
        var segments = rest.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var method = request.Method.ToUpperInvariant();
        var route = segments.Length >= 2 ? (segments[0] + "/" + segments[1]).ToLowerInvariant() : rest.ToLowerInvariant();
        var arg = segments.Length > 2 ? segments[2] : null;
        try
        {
            return (route, method) switch
            {
                ("client.api/list", "GET") => ListClients(practice, request),
                ("client.api/paged-list", "GET") => PagedClients(practice, request),
                ("client.api/get", "GET") when segments.Length == 4 && segments[3].Equals("customfield", StringComparison.OrdinalIgnoreCase) => CustomFields(practice, ClientOwner(practice, arg), linkClient: true),
                ("client.api/get", "GET") => GetClient(practice, arg),
                ("client.api/add", "POST") => AddClient(practice, Body(request)),
                ("client.api/update", "PUT") => UpdateClient(practice, Body(request), archive: false),
                ("client.api/archive", "PUT") => UpdateClient(practice, Body(request), archive: true),
                ("job.api/current", "GET") => Ok(new XElement("Jobs", practice.Jobs.Where(j => !j.Deleted && j.State != "Completed").Select(j => JobXml(practice, j)))),
                ("job.api/list", "GET") => ListJobs(practice, request),
                ("job.api/get", "GET") when segments.Length == 4 && segments[3].Equals("customfield", StringComparison.OrdinalIgnoreCase) => CustomFields(practice, arg is null ? null : practice.FindJob(arg)?.Id, linkClient: false),
                ("job.api/get", "GET") => GetJob(practice, arg),
                ("job.api/add", "POST") => AddJob(practice, Body(request)),
                ("job.api/update", "PUT") => UpdateJob(practice, Body(request)),
                ("customfield.api/definition", "GET") => Ok(new XElement("CustomFieldDefinitions", practice.CustomFieldDefinitions.Select(DefinitionXml))),
                ("job.api/state", "PUT") => SetState(practice, Body(request)),
                ("job.api/delete", "POST") => DeleteJob(practice, Body(request)),
                ("job.api/costs", "GET") => GetCosts(practice, arg),
                ("job.api/cost", "POST") => AddCost(practice, Body(request)),
                ("staff.api/list", "GET") => Ok(new XElement("StaffList", practice.StaffMembers.Select(s =>
                    new XElement("Staff", new XElement("UUID", s.Uuid), new XElement("Name", s.Name), new XElement("Email", s.Email))))),
                _ => EmulatorResponse.Text(HttpStatusCode.NotFound, XeroMessages.NotFound.Template),
            };
        }
        catch (XmlException ex)
        {
            return Error(XeroMessages.XpmBadRequest.Format(ex.Message));
        }
    }

    /// <summary>Sets a job's state from the control API; false when the job or state is unknown.</summary>
    public static bool TrySetState(PracticeState practice, string jobId, string state, DateTimeOffset now)
    {
        var job = practice.FindJob(jobId);
        var name = PracticeState.StateName(state);
        if (job is null || name is null)
        {
            return false;
        }

        job.State = name;
        job.Modified = now;
        return true;
    }

    /// <summary><c>client.api/list</c>: every client, archived ones included; <c>modifiedsince</c> (UTC) keeps those changed since.</summary>
    private static EmulatorResponse ListClients(PracticeState practice, EmulatorRequest request)
    {
        var since = request.QueryValue("modifiedsince");
        DateTimeOffset? from = null;
        if (since is not null)
        {
            if (!DateTime.TryParseExact(since, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return Error(XeroMessages.XpmBadRequest.Format("modifiedsince must be yyyy-MM-ddTHH:mm:ss"));
            }

            from = new DateTimeOffset(parsed, TimeSpan.Zero);
        }

        return Ok(new XElement("Clients", practice.Clients.Where(c => from is null || c.Modified >= from).Select(ClientXml)));
    }

    /// <summary>
    /// <c>client.api/paged-list</c>: active clients (not archived, not deleted), <c>pageSize</c> 1–500 (default 50), continued
    /// by an opaque token in <c>Pagination/Links/Next</c>; no Next on the last page. The token is a keyset (the last client
    /// of the page), so clients added while a caller pages are not skipped or repeated.
    /// </summary>
    private EmulatorResponse PagedClients(PracticeState practice, EmulatorRequest request)
    {
        var size = int.TryParse(request.QueryValue("pageSize"), NumberStyles.None, CultureInfo.InvariantCulture, out var requested) ? Math.Clamp(requested, 1, 500) : 50;
        var after = string.Empty;
        if (request.QueryValue("pageToken") is { Length: > 0 } token)
        {
            try
            {
                after = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/').PadRight(token.Length + ((4 - (token.Length % 4)) % 4), '=')));
            }
            catch (FormatException)
            {
                return Error(XeroMessages.XpmBadRequest.Format("pageToken is not valid"));
            }
        }

        var ordered = practice.Clients.Where(c => !c.IsArchived).OrderBy(c => c.Uuid.ToString(), StringComparer.Ordinal)
            .Where(c => string.CompareOrdinal(c.Uuid.ToString(), after) > 0).Take(size + 1).ToList();
        var page = ordered.Take(size).ToList();
        var first = (_host.Options.BaseAddress?.ToString().TrimEnd('/') ?? "http://127.0.0.1") + EmulatorHost.PracticeManagerPrefix + "client.api/paged-list?pageSize=" + size.ToString(CultureInfo.InvariantCulture);
        var links = new XElement("Links", new XElement("First", first));
        if (ordered.Count > size)
        {
            var next = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(page[^1].Uuid.ToString())).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            links.Add(new XElement("Next", first.Replace("?pageSize=", "?pageToken=" + next + "&pageSize=", StringComparison.Ordinal)));
        }

        return Ok(new XElement("Clients", page.Select(ClientXml)), new XElement("Pagination", links));
    }

    private EmulatorResponse UpdateClient(PracticeState practice, XElement body, bool archive)
    {
        var uuid = Value(body, "UUID");
        var client = Guid.TryParse(uuid, out var id) ? practice.Clients.FirstOrDefault(c => c.Uuid == id) : null;
        if (client is null)
        {
            return Error(XeroMessages.XpmClientNotFound.Format(uuid ?? string.Empty));
        }

        if (archive)
        {
            client.IsArchived = true;
        }
        else
        {
            client.Name = Value(body, "Name") ?? client.Name;
            client.Email = Value(body, "Email") ?? client.Email;
            client.Phone = Value(body, "Phone") ?? client.Phone;
        }

        client.Modified = _host.Clock.GetUtcNow();
        return Ok(ClientXml(client));
    }

    /// <summary><c>job.api/list?from=YYYYMMDD&amp;to=YYYYMMDD</c>: jobs whose start-to-due span meets the range, completed ones included.</summary>
    private static EmulatorResponse ListJobs(PracticeState practice, EmulatorRequest request)
    {
        if (!XeroJson.TryParseDate(request.QueryValue("from"), out var from) || !XeroJson.TryParseDate(request.QueryValue("to"), out var to))
        {
            return Error(XeroMessages.XpmBadRequest.Format("from and to are required (YYYYMMDD)"));
        }

        return Ok(new XElement("Jobs", practice.Jobs.Where(j => !j.Deleted && j.StartDate <= to && j.DueDate >= from).Select(j => JobXml(practice, j))));
    }

    private EmulatorResponse UpdateJob(PracticeState practice, XElement body)
    {
        var id = Value(body, "ID") ?? string.Empty;
        var job = practice.FindJob(id);
        if (job is null || job.Deleted)
        {
            return Error(job is null ? XeroMessages.XpmJobNotFound.Format(id) : XeroMessages.XpmJobDeleted.Format(id));
        }

        job.Name = Value(body, "Name") ?? job.Name;
        job.Description = Value(body, "Description") ?? job.Description;
        if (XeroJson.TryParseDate(Value(body, "StartDate"), out var start))
        {
            job.StartDate = start;
        }

        if (XeroJson.TryParseDate(Value(body, "DueDate"), out var due))
        {
            job.DueDate = due;
        }

        job.Modified = _host.Clock.GetUtcNow();
        return Ok(JobXml(practice, job));
    }

    private static string? ClientOwner(PracticeState practice, string? uuid) =>
        Guid.TryParse(uuid, out var id) && practice.Clients.Any(c => c.Uuid == id) ? id.ToString() : null;

    /// <summary>A client's or job's custom field values: each field that applies, its value in the element named for its type.</summary>
    private static EmulatorResponse CustomFields(PracticeState practice, string? owner, bool linkClient)
    {
        if (owner is null)
        {
            return Error(linkClient ? XeroMessages.XpmClientNotFound.Format(string.Empty) : XeroMessages.XpmJobNotFound.Format(string.Empty));
        }

        return Ok(new XElement("CustomFields", practice.CustomFieldDefinitions
            .Where(d => linkClient ? d.LinkClient : d.LinkJob)
            .Where(d => practice.CustomFieldValues.ContainsKey((owner, d.Uuid)))
            .Select(d => new XElement("CustomField", new XElement("UUID", d.Uuid), new XElement("Name", d.Name), new XElement(d.Type, practice.CustomFieldValues[(owner, d.Uuid)])))));
    }

    private static XElement DefinitionXml(PracticeState.CustomFieldDefinition definition) => new(
        "CustomFieldDefinition",
        new XElement("UUID", definition.Uuid),
        new XElement("Name", definition.Name),
        new XElement("Type", definition.Type),
        new XElement("LinkClient", definition.LinkClient ? "true" : "false"),
        new XElement("LinkJob", definition.LinkJob ? "true" : "false"));

    private EmulatorResponse GetClient(PracticeState practice, string? uuid)
    {
        var client = Guid.TryParse(uuid, out var id) ? practice.Clients.FirstOrDefault(c => c.Uuid == id) : null;
        return client is null ? Error(XeroMessages.XpmClientNotFound.Format(uuid ?? string.Empty)) : Ok(ClientXml(client));
    }

    private EmulatorResponse AddClient(PracticeState practice, XElement body)
    {
        var name = Value(body, "Name");
        if (string.IsNullOrWhiteSpace(name))
        {
            return Error(XeroMessages.XpmBadRequest.Format("Name is required"));
        }

        var client = new PracticeState.Client { Uuid = _host.Ids.NewGuid(), Name = name, Email = Value(body, "Email"), Phone = Value(body, "Phone"), Modified = _host.Clock.GetUtcNow() };
        practice.Clients.Add(client);
        return Ok(ClientXml(client));
    }

    private EmulatorResponse GetJob(PracticeState practice, string? id)
    {
        var job = id is null ? null : practice.FindJob(id);
        return job is null ? Error(XeroMessages.XpmJobNotFound.Format(id ?? string.Empty)) : Ok(JobXml(practice, job));
    }

    private EmulatorResponse AddJob(PracticeState practice, XElement body)
    {
        var name = Value(body, "Name");
        var clientText = Value(body, "ClientUUID") ?? Value(body, "ClientID") ?? body.Element("Client")?.Element("UUID")?.Value;
        var client = Guid.TryParse(clientText, out var clientId) ? practice.Clients.FirstOrDefault(c => c.Uuid == clientId) : null;
        if (string.IsNullOrWhiteSpace(name))
        {
            return Error(XeroMessages.XpmBadRequest.Format("Name is required"));
        }

        if (client is null)
        {
            return Error(XeroMessages.XpmClientNotFound.Format(clientText ?? string.Empty));
        }

        var today = _host.Clock.Today;
        practice.JobSequence++;
        var job = new PracticeState.Job
        {
            Id = "J" + practice.JobSequence.ToString("000000", CultureInfo.InvariantCulture),
            Uuid = _host.Ids.NewGuid(),
            Name = name,
            Description = Value(body, "Description"),
            ClientUuid = client.Uuid,
            State = PracticeState.StateName(Value(body, "State")) ?? "In Progress",
            StartDate = XeroJson.TryParseDate(Value(body, "StartDate"), out var start) ? start : today,
            DueDate = XeroJson.TryParseDate(Value(body, "DueDate"), out var due) ? due : today.AddDays(30),
            Modified = _host.Clock.GetUtcNow(),
        };
        practice.Jobs.Add(job);
        return Ok(JobXml(practice, job));
    }

    private EmulatorResponse SetState(PracticeState practice, XElement body)
    {
        var id = Value(body, "ID") ?? string.Empty;
        var job = practice.FindJob(id);
        if (job is null || job.Deleted)
        {
            return Error(job is null ? XeroMessages.XpmJobNotFound.Format(id) : XeroMessages.XpmJobDeleted.Format(id));
        }

        var state = PracticeState.StateName(Value(body, "State"));
        if (state is null)
        {
            return Error(XeroMessages.XpmBadRequest.Format("Unknown state " + Value(body, "State")));
        }

        job.State = state;
        job.Modified = _host.Clock.GetUtcNow();
        return Ok();
    }

    private EmulatorResponse DeleteJob(PracticeState practice, XElement body)
    {
        var id = Value(body, "ID") ?? string.Empty;
        var job = practice.FindJob(id);
        if (job is null || job.Deleted)
        {
            return Error(XeroMessages.XpmJobNotFound.Format(id));
        }

        job.Deleted = true;
        job.Modified = _host.Clock.GetUtcNow();
        return Ok();
    }

    private EmulatorResponse GetCosts(PracticeState practice, string? id)
    {
        var job = id is null ? null : practice.FindJob(id);
        if (job is null)
        {
            return Error(XeroMessages.XpmJobNotFound.Format(id ?? string.Empty));
        }

        return Ok(new XElement("Costs", practice.Costs.Where(c => c.JobId == job.Id).Select(CostXml)));
    }

    private EmulatorResponse AddCost(PracticeState practice, XElement body)
    {
        var jobId = Value(body, "Job") ?? string.Empty;
        var job = practice.FindJob(jobId);
        if (job is null)
        {
            return Error(XeroMessages.XpmJobNotFound.Format(jobId));
        }

        if (job.Deleted)
        {
            return Error(XeroMessages.XpmJobDeleted.Format(job.Id));
        }

        if (job.State != "In Progress")
        {
            return Error(XeroMessages.XpmJobNotInProgress.Format(job.Id, job.State));
        }

        if (!XeroJson.TryParseDate(Value(body, "Date"), out var date))
        {
            date = _host.Clock.Today;
        }

        if (practice.WipLockDate is { } wip && date <= wip)
        {
            return Error(XeroMessages.XpmCostWipLocked.Format(date.ToString("yyyyMMdd", CultureInfo.InvariantCulture), wip.ToString("yyyyMMdd", CultureInfo.InvariantCulture)));
        }

        var cost = new PracticeState.Cost
        {
            Uuid = _host.Ids.NewGuid(),
            JobId = job.Id,
            Date = date,
            Description = Value(body, "Description"),
            Code = Value(body, "Code"),
            Note = Value(body, "Note"),
            Quantity = Decimal(Value(body, "Quantity")) ?? 1m,
            UnitCost = Decimal(Value(body, "UnitCost")) ?? 0m,
            UnitPrice = Decimal(Value(body, "UnitPrice")) ?? 0m,
            Billable = !string.Equals(Value(body, "Billable"), "false", StringComparison.OrdinalIgnoreCase),
        };
        practice.Costs.Add(cost);
        return Ok(CostXml(cost));
    }

    private static XElement Body(EmulatorRequest request) => XDocument.Parse(request.BodyText).Root ?? throw new XmlException("Empty body");

    private static string? Value(XElement element, string name) =>
        element.Elements().FirstOrDefault(e => string.Equals(e.Name.LocalName, name, StringComparison.OrdinalIgnoreCase))?.Value is { Length: > 0 } v ? v : null;

    private static decimal? Decimal(string? text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    private static string XpmDate(DateOnly date) => date.ToString("yyyy-MM-dd'T00:00:00'", CultureInfo.InvariantCulture);

    private static XElement ClientXml(PracticeState.Client client) => new(
        "Client",
        new XElement("UUID", client.Uuid),
        new XElement("Name", client.Name),
        new XElement("Email", client.Email ?? string.Empty),
        new XElement("Phone", client.Phone ?? string.Empty),
        new XElement("IsArchived", client.IsArchived ? "Yes" : "No"),
        new XElement("IsDeleted", "No"));

    private static XElement JobXml(PracticeState practice, PracticeState.Job job)
    {
        var client = practice.Clients.FirstOrDefault(c => c.Uuid == job.ClientUuid);
        return new XElement(
            "Job",
            new XElement("ID", job.Id),
            new XElement("UUID", job.Uuid),
            new XElement("Name", job.Name),
            new XElement("Description", job.Description ?? string.Empty),
            new XElement("State", job.Deleted ? "Deleted" : job.State),
            new XElement("StartDate", XpmDate(job.StartDate)),
            new XElement("DueDate", XpmDate(job.DueDate)),
            new XElement("Client", new XElement("UUID", job.ClientUuid), new XElement("Name", client?.Name ?? string.Empty)));
    }

    private static XElement CostXml(PracticeState.Cost cost) => new(
        "Cost",
        new XElement("UUID", cost.Uuid),
        new XElement("Job", cost.JobId),
        new XElement("Date", XpmDate(cost.Date)),
        new XElement("Description", cost.Description ?? string.Empty),
        new XElement("Code", cost.Code ?? string.Empty),
        new XElement("Note", cost.Note ?? string.Empty),
        new XElement("Quantity", cost.Quantity.ToString(CultureInfo.InvariantCulture)),
        new XElement("UnitCost", cost.UnitCost.ToString(CultureInfo.InvariantCulture)),
        new XElement("UnitPrice", cost.UnitPrice.ToString(CultureInfo.InvariantCulture)),
        new XElement("Billable", cost.Billable ? "true" : "false"));

    private static EmulatorResponse Ok(params object[] content) =>
        EmulatorResponse.Xml(HttpStatusCode.OK, new XElement("Response", new XElement("Status", "OK"), content).ToString(SaveOptions.DisableFormatting));

    private static EmulatorResponse Error(string description) =>
        EmulatorResponse.Xml(HttpStatusCode.OK, new XElement("Response", new XElement("Status", "ERROR"), new XElement("ErrorDescription", description)).ToString(SaveOptions.DisableFormatting));
}
