using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Microsoft.Extensions.Options;
using SyncKit.Connectors;
using SyncKit.Errors;
using SyncKit.Inbound;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Xero.Api;
using SyncKit.Xero.Connector;
using SyncKit.Xero.Errors;

namespace SyncKit.Xero.PracticeManager;

/// <summary>
/// Xero Practice Manager 3.1 (XML, method-style): clients, jobs and job costs, one record per call. Every answer's
/// <c>&lt;Status&gt;</c> is checked — XPM answers ERROR with HTTP 200 too.
/// </summary>
internal sealed partial class PracticeManagerClient(XeroApiClient api, IOptions<XeroOptions> options)
{
    private const string DateFormat = "yyyyMMdd";
    private readonly XeroOptions _options = options.Value;

    public async Task<PushResult> PushAsync(PushBatch batch, CancellationToken cancellationToken = default)
    {
        var outcomes = new List<ElementOutcome>();
        foreach (var element in batch.Elements)
        {
            var (outcome, batchFailure) = element.Record switch
            {
                ClientRecord client => await PushClientAsync(batch.TenantId, element, client, cancellationToken).ConfigureAwait(false),
                JobRecord job => await PushJobAsync(batch.TenantId, element, job, cancellationToken).ConfigureAwait(false),
                CostRecord cost => await PushCostAsync(batch.TenantId, element, cost, cancellationToken).ConfigureAwait(false),
                _ => throw new NotSupportedException($"Practice Manager does not take {element.Record.Kind} records."),
            };

            if (batchFailure is not null)
            {
                return new PushResult { Outcomes = outcomes, BatchFailure = batchFailure };
            }

            outcomes.Add(outcome!);
        }

        return new PushResult { Outcomes = outcomes };
    }

    /// <summary>The practice's current jobs and their states (<c>job.api/current</c>).</summary>
    public async Task<IReadOnlyList<LedgerJob>> GetCurrentJobsAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var (xml, failure) = await SendAsync(tenantId, HttpMethod.Get, "job.api/current", null, null, cancellationToken).ConfigureAwait(false);
        ThrowIfFailed(failure);
        return Jobs(xml!).ToArray();
    }

    /// <summary>
    /// Every Practice Manager record that fits an element: a client by name, a job by its number, a cost on its job by
    /// description + date + quantity + unit cost + unit price (costs have no unique key).
    /// </summary>
    public async Task<IReadOnlyList<RemoteMatch>> FindCandidatesAsync(string tenantId, PushElement element, CancellationToken cancellationToken = default)
    {
        switch (element.Record)
        {
            case ClientRecord client:
                {
                    var (xml, failure) = await SendAsync(tenantId, HttpMethod.Get, "client.api/list", null, RecordKind.Client, cancellationToken).ConfigureAwait(false);
                    ThrowIfFailed(failure);
                    return xml!.Descendants("Client")
                        .Where(c => c.Element("UUID") is not null && XeroRecordMapper.SameName((string?)c.Element("Name"), client.Name))
                        .Select(c => new RemoteMatch
                        {
                            RemoteId = c.Element("UUID")!.Value,
                            RemoteReference = (string?)c.Element("Name"),
                            Description = XeroRecordMapper.Describe("Client " + (string?)c.Element("Name"), (string?)c.Element("Email")),
                        })
                        .ToList();
                }

            case JobRecord job when !string.IsNullOrWhiteSpace(job.JobNumber):
                {
                    var (xml, failure) = await SendAsync(tenantId, HttpMethod.Get, "job.api/get/" + Uri.EscapeDataString(XeroRecordMapper.Wire(job.JobNumber.Trim())), null, RecordKind.Job, cancellationToken).ConfigureAwait(false);
                    if (failure is not null && IsNotFound(failure))
                    {
                        return [];
                    }

                    ThrowIfFailed(failure);
                    return xml!.Descendants("Job")
                        .Where(j => j.Element("ID") is { } id && XeroRecordMapper.SameKey(id.Value, job.JobNumber))
                        .Select(JobMatch)
                        .ToList();
                }

            case JobRecord job:
                {
                    // Practice Manager numbered the job itself: that client's current jobs with the same name.
                    var clientId = element.LinkedRemoteId(RecordKind.Client, job.ClientSourceId);
                    if (clientId is null)
                    {
                        return [];
                    }

                    var (xml, failure) = await SendAsync(tenantId, HttpMethod.Get, "job.api/current", null, RecordKind.Job, cancellationToken).ConfigureAwait(false);
                    ThrowIfFailed(failure);
                    return xml!.Descendants("Job")
                        .Where(j => j.Element("ID") is not null)
                        .Where(j => XeroRecordMapper.SameKey(JobClientId(j), clientId))
                        .Where(j => XeroRecordMapper.SameKey((string?)j.Element("Name"), job.Name))
                        .Select(JobMatch)
                        .ToList();
                }

            case CostRecord cost:
                {
                    var jobNumber = element.LinkedRemoteId(RecordKind.Job, cost.JobSourceId ?? cost.OrganisationKey);
                    if (jobNumber is null)
                    {
                        return [];
                    }

                    var (xml, failure) = await SendAsync(tenantId, HttpMethod.Get, "job.api/costs/" + Uri.EscapeDataString(jobNumber), null, RecordKind.Cost, cancellationToken).ConfigureAwait(false);
                    if (failure is not null && IsNotFound(failure))
                    {
                        return [];
                    }

                    ThrowIfFailed(failure);
                    var date = cost.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    return xml!.Descendants("Cost")
                        .Where(c => XeroRecordMapper.SameName((string?)c.Element("Description"), cost.Description)
                            && ((string?)c.Element("Date"))?.StartsWith(date, StringComparison.Ordinal) != false
                            && (Decimal(c.Element("Quantity")) is not { } quantity || quantity == cost.Quantity)
                            && (Decimal(c.Element("UnitCost")) is not { } unitCost || unitCost == cost.UnitCost)
                            && (Decimal(c.Element("UnitPrice")) is not { } unitPrice || unitPrice == cost.UnitPrice))
                        .Select(c => new RemoteMatch
                        {
                            RemoteId = CostId(c, jobNumber, element),
                            RemoteReference = jobNumber,
                            Description = XeroRecordMapper.Describe(
                                "Cost on job " + jobNumber,
                                (string?)c.Element("Description"),
                                ((string?)c.Element("Date"))?[..Math.Min(10, ((string?)c.Element("Date"))!.Length)],
                                Decimal(c.Element("Quantity")) is { } q ? "quantity " + q.ToString("0.####", CultureInfo.InvariantCulture) : null,
                                Decimal(c.Element("UnitCost")) is { } u ? "unit cost " + u.ToString("0.00", CultureInfo.InvariantCulture) : null),
                        })
                        .ToList();
                }

            default:
                return [];
        }
    }

    private async Task<(ElementOutcome? Outcome, SyncFailure? BatchFailure)> PushClientAsync(string tenantId, PushElement element, ClientRecord client, CancellationToken cancellationToken)
    {
        var body = new XElement(
            "Client",
            element.RemoteId is { } uuid ? new XElement("UUID", uuid) : null,
            new XElement("Name", client.Name),
            Optional("Email", client.Email),
            Optional("Phone", client.Phone),
            Optional("Address", JoinLines(client.Address?.Line1, client.Address?.Line2)),
            Optional("City", client.Address?.City),
            Optional("Region", client.Address?.Region),
            Optional("PostCode", client.Address?.PostalCode),
            Optional("Country", client.Address?.Country));
        var (method, path) = element.RemoteId is null ? (HttpMethod.Post, "client.api/add") : (HttpMethod.Put, "client.api/update");
        return await WriteAsync(tenantId, element, method, path, body, xml => (string?)xml.Descendants("Client").FirstOrDefault()?.Element("UUID") ?? element.RemoteId, _ => null, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(ElementOutcome? Outcome, SyncFailure? BatchFailure)> PushJobAsync(string tenantId, PushElement element, JobRecord job, CancellationToken cancellationToken)
    {
        var clientId = element.LinkedRemoteId(RecordKind.Client, job.ClientSourceId);
        if (clientId is null)
        {
            return (Failed(element, XeroRecordMapper.MissingLink(element, RecordKind.Client, job.ClientSourceId)), null);
        }

        var body = new XElement(
            "Job",
            element.RemoteId is { } id ? new XElement("ID", id) : Optional("ID", job.JobNumber),
            new XElement("Name", job.Name),
            new XElement("Description", job.Description ?? job.Name),
            new XElement("ClientUUID", clientId),
            Optional("StartDate", job.StartDate?.ToString(DateFormat, CultureInfo.InvariantCulture)),
            Optional("DueDate", job.DueDate?.ToString(DateFormat, CultureInfo.InvariantCulture)));
        var (method, path) = element.RemoteId is null ? (HttpMethod.Post, "job.api/add") : (HttpMethod.Put, "job.api/update");
        var result = await WriteAsync(tenantId, element, method, path, body, xml => (string?)xml.Descendants("Job").FirstOrDefault()?.Element("ID") ?? element.RemoteId ?? job.JobNumber, n => n, cancellationToken).ConfigureAwait(false);
        if (result.Outcome is not { Succeeded: true } outcome || string.IsNullOrWhiteSpace(job.State))
        {
            return result;
        }

        // The state is set separately (job.api/state); a refusal leaves the job written, with a warning.
        var state = new XElement("Job", new XElement("ID", outcome.RemoteId), new XElement("State", job.State));
        var (_, stateFailure) = await SendAsync(tenantId, HttpMethod.Put, "job.api/state", state, RecordKind.Job, cancellationToken).ConfigureAwait(false);
        return stateFailure is null
            ? result
            : (outcome with { Warnings = [.. outcome.Warnings, new SyncWarning { Code = "JobState", Message = $"The job was saved but its state could not be set to '{job.State}': {stateFailure.MessageText}" }] }, null);
    }

    private async Task<(ElementOutcome? Outcome, SyncFailure? BatchFailure)> PushCostAsync(string tenantId, PushElement element, CostRecord cost, CancellationToken cancellationToken)
    {
        var jobNumber = element.LinkedRemoteId(RecordKind.Job, cost.JobSourceId ?? cost.OrganisationKey);
        if (jobNumber is null)
        {
            var failure = cost.JobSourceId is { } jobSourceId
                ? XeroRecordMapper.MissingLink(element, RecordKind.Job, jobSourceId)
                : element.LinkedRemoteId(RecordKind.Client, cost.OrganisationKey) is null
                    ? Unmapped(element, "MissingMapping.Client", $"The organisation '{cost.OrganisationKey}' is not mapped to a Practice Manager client.", cost.OrganisationKey)
                    : Unmapped(element, "MissingMapping.Job", $"No Practice Manager job is mapped for the organisation '{cost.OrganisationKey}'.", cost.OrganisationKey);
            return (Failed(element, failure), null);
        }

        var body = new XElement(
            "Cost",
            element.RemoteId is { } uuid && !uuid.Contains('/', StringComparison.Ordinal) ? new XElement("UUID", uuid) : null,
            new XElement("Job", jobNumber),
            new XElement("Date", cost.Date.ToString(DateFormat, CultureInfo.InvariantCulture)),
            new XElement("Description", cost.Description),
            new XElement("Code", cost.Code ?? string.Empty),
            new XElement("Note", cost.Note ?? string.Empty),
            new XElement("Quantity", cost.Quantity.ToString(CultureInfo.InvariantCulture)),
            new XElement("UnitCost", cost.UnitCost.ToString(CultureInfo.InvariantCulture)),
            new XElement("UnitPrice", cost.UnitPrice.ToString(CultureInfo.InvariantCulture)),
            new XElement("Billable", cost.Billable ? "true" : "false"));
        var method = element.RemoteId is { } existing && !existing.Contains('/', StringComparison.Ordinal) ? HttpMethod.Put : HttpMethod.Post;
        return await WriteAsync(tenantId, element, method, "job.api/cost", body, xml => xml.Descendants("Cost").FirstOrDefault() is { } c ? CostId(c, jobNumber, element) : CostId(null, jobNumber, element), _ => jobNumber, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(ElementOutcome? Outcome, SyncFailure? BatchFailure)> WriteAsync(
        string tenantId,
        PushElement element,
        HttpMethod method,
        string path,
        XElement body,
        Func<XElement, string?> id,
        Func<string?, string?> reference,
        CancellationToken cancellationToken)
    {
        var (xml, failure) = await SendAsync(tenantId, method, path, body, element.Record.Kind, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            // An XPM ERROR envelope concerns this record; anything else (429, 401/403, 5xx) stops the batch.
            return failure.ErrorType == XeroErrorParser.PracticeManagerError && failure.StatusCode is < 500
                ? (Failed(element, failure), null)
                : (null, failure);
        }

        var remoteId = id(xml!);
        if (string.IsNullOrEmpty(remoteId))
        {
            return (Failed(element, new SyncFailure
            {
                Source = FailureSource.Remote,
                StatusCode = 200,
                Kind = element.Record.Kind,
                WriteMayHaveLanded = true,
                Messages = ["Practice Manager answered OK without the record's id; it is looked up before it is sent again."],
            }), null);
        }

        return (new ElementOutcome { SourceId = element.Record.SourceId, RemoteId = remoteId, RemoteReference = reference(remoteId) }, null);
    }

    /// <summary>Sends an XML call; answers with the parsed <c>&lt;Response&gt;</c> or a failure (ERROR envelope or HTTP error).</summary>
    private async Task<(XElement? Response, SyncFailure? Failure)> SendAsync(string tenantId, HttpMethod method, string path, XElement? body, RecordKind? kind, CancellationToken cancellationToken)
    {
        var response = await api.SendAsync(
            new XeroRequest
            {
                TenantId = tenantId,
                Method = method,
                Path = XeroApiClient.PracticeManagerPath + path,
                Body = body?.ToString(SaveOptions.DisableFormatting),
                BodyMediaType = "application/xml",
                Accept = "application/xml",
                Kind = kind,
                XeroTenantIdOverride = _options.PracticeManagerTenantIdForTenant?.Invoke(tenantId),
            },
            cancellationToken).ConfigureAwait(false);

        var xml = Parse(response.Body);
        var status = (string?)xml?.Element("Status");
        if (xml is not null && string.Equals(status, "ERROR", StringComparison.OrdinalIgnoreCase))
        {
            return (null, XeroErrorParser.FromPracticeManager(response.StatusCode, (string?)xml.Element("ErrorDescription") ?? (string?)xml.Element("Error"), kind));
        }

        if (response.Failure is not null)
        {
            return (null, response.Failure);
        }

        if (xml is null || !string.Equals(status, "OK", StringComparison.OrdinalIgnoreCase))
        {
            return (null, new SyncFailure
            {
                Source = FailureSource.Remote,
                StatusCode = response.StatusCode,
                ErrorType = XeroErrorParser.PracticeManagerError,
                Kind = kind,
                WriteMayHaveLanded = method != HttpMethod.Get,
                Messages = ["Practice Manager answered without a <Status>OK</Status> envelope."],
            });
        }

        return (xml, null);
    }

    private static XElement? Parse(string body)
    {
        if (string.IsNullOrWhiteSpace(body) || body.TrimStart()[0] != '<')
        {
            return null;
        }

        try
        {
            var root = XElement.Parse(body);
            return root.Name.LocalName == "Response" ? root : root.Element("Response");
        }
        catch (XmlException)
        {
            return null;
        }
    }

    private static IEnumerable<LedgerJob> Jobs(XElement response) =>
        response.Descendants("Job")
            .Where(j => j.Element("ID") is not null)
            .Select(j => new LedgerJob
            {
                JobNumber = j.Element("ID")!.Value,
                ClientId = JobClientId(j),
                State = (string?)j.Element("State") ?? string.Empty,
                IsDeleted = string.Equals((string?)j.Element("State"), "Deleted", StringComparison.OrdinalIgnoreCase),
            });

    private static string? JobClientId(XElement job) => (string?)job.Element("Client")?.Element("UUID") ?? (string?)job.Element("Client")?.Element("ID");

    private static RemoteMatch JobMatch(XElement job) => new()
    {
        RemoteId = job.Element("ID")!.Value,
        RemoteReference = job.Element("ID")!.Value,
        Description = XeroRecordMapper.Describe("Job " + job.Element("ID")!.Value, (string?)job.Element("Name"), (string?)job.Element("Client")?.Element("Name"), (string?)job.Element("State")),
    };

    /// <summary>A cost's id: its UUID when XPM returns one, else job number and source id (stable, so re-pushes can find it).</summary>
    private static string CostId(XElement? cost, string jobNumber, PushElement element) =>
        (string?)cost?.Element("UUID") ?? (string?)cost?.Element("ID") ?? $"{jobNumber}/{element.Record.SourceId}";

    /// <summary>A missing mapping, with the engine's code (<c>FailureCodes.MissingMapping(MappingKind.Client | Job)</c>).</summary>
    private static SyncFailure Unmapped(PushElement element, string code, string message, string organisationKey) => new()
    {
        Source = FailureSource.Mapping,
        Code = code,
        Kind = element.Record.Kind,
        Messages = [message],
        Details = new Dictionary<string, string> { ["OrganisationKey"] = organisationKey },
    };

    private static ElementOutcome Failed(PushElement element, SyncFailure failure) =>
        new() { SourceId = element.Record.SourceId, Failure = failure };

    private static bool IsNotFound(SyncFailure failure) =>
        failure.StatusCode == 404 || failure.MessageText.Contains("not found", StringComparison.OrdinalIgnoreCase);

    private static decimal? Decimal(XElement? element) =>
        element is not null && decimal.TryParse(element.Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static XElement? Optional(string name, string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : new XElement(name, value);

    private static string? JoinLines(string? a, string? b) =>
        string.IsNullOrWhiteSpace(b) ? a : string.IsNullOrWhiteSpace(a) ? b : a + "\n" + b;

    private static void ThrowIfFailed(SyncFailure? failure)
    {
        if (failure is not null)
        {
            throw new ConnectorException(failure);
        }
    }
}
