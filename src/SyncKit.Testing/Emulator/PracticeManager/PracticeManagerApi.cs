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
                ("client.api/list", "GET") => Ok(new XElement("Clients", practice.Clients.Where(c => !c.IsArchived).Select(ClientXml))),
                ("client.api/get", "GET") => GetClient(practice, arg),
                ("client.api/add", "POST") => AddClient(practice, Body(request)),
                ("job.api/current", "GET") => Ok(new XElement("Jobs", practice.Jobs.Where(j => !j.Deleted && j.State != "Completed").Select(j => JobXml(practice, j)))),
                ("job.api/get", "GET") => GetJob(practice, arg),
                ("job.api/add", "POST") => AddJob(practice, Body(request)),
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
    public static bool TrySetState(PracticeState practice, string jobId, string state)
    {
        var job = practice.FindJob(jobId);
        var name = PracticeState.StateName(state);
        if (job is null || name is null)
        {
            return false;
        }

        job.State = name;
        return true;
    }

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

        var client = new PracticeState.Client { Uuid = _host.Ids.NewGuid(), Name = name, Email = Value(body, "Email"), Phone = Value(body, "Phone") };
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
        new XElement("IsArchived", client.IsArchived ? "Yes" : "No"));

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
