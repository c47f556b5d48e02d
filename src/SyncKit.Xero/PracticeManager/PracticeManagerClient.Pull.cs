using System.Globalization;
using System.Xml.Linq;
using SyncKit.Errors;
using SyncKit.Inbound;
using SyncKit.Records;

namespace SyncKit.Xero.PracticeManager;

/// <summary>The inbound half of Practice Manager: clients, jobs, staff, custom field values and definitions.</summary>
internal sealed partial class PracticeManagerClient
{
    /// <summary>
    /// One read of an inbound kind. Clients: the first pull walks <c>client.api/paged-list</c> by its continuation token
    /// (active clients, up to 500 a page); later pulls read <c>client.api/list?modifiedsince=</c> (archived ones included).
    /// Jobs: <c>job.api/current</c>, or <c>job.api/list?from=&amp;to=</c> for a date range. Staff: <c>staff.api/list</c>.
    /// Named records (<see cref="PullPageRequest.RemoteIds"/>): <c>client.api/get/{uuid}</c> and <c>job.api/get/{number}</c>,
    /// one call each (XPM has no filter by id); one not found is left out. Every list but paged-list answers whole
    /// (<see cref="PullPage.Unpaged"/>). Records carry no change time in XPM: they are stamped with <paramref name="asOf"/>.
    /// </summary>
    public async Task<PullPage> ReadChangesAsync(PullPageRequest request, DateTimeOffset asOf, CancellationToken cancellationToken = default)
    {
        if (request.Kind is not (RecordKind.Client or RecordKind.Job or RecordKind.Staff))
        {
            throw new NotSupportedException($"Practice Manager cannot pull {request.Kind}.");
        }

        var calls = 0;
        IReadOnlyList<PulledCustomFieldDefinition> definitions = [];
        if (request.IncludeCustomFields && request.Kind is RecordKind.Client or RecordKind.Job)
        {
            definitions = await ReadDefinitionsAsync(request.TenantId, request.Kind, cancellationToken).ConfigureAwait(false);
            calls++;
        }

        if (request.RemoteIds.Count > 0)
        {
            var (named, namedCalls) = await ReadNamedAsync(request, asOf, cancellationToken).ConfigureAwait(false);
            return new PullPage { Records = named, Calls = calls + namedCalls, AsOf = asOf, CustomFieldDefinitions = definitions };
        }

        var (path, current) = request.Kind switch
        {
            RecordKind.Client when request.ModifiedSince is { } since =>
                ("client.api/list?modifiedsince=" + since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), (bool?)null),
            RecordKind.Client =>
                ("client.api/paged-list?pageSize=" + Math.Clamp(request.PageSize, 1, 500).ToString(CultureInfo.InvariantCulture)
                    + (request.PageToken is { } token ? "&pageToken=" + Uri.EscapeDataString(token) : string.Empty), null),
            RecordKind.Job when request.From is { } from && request.To is { } to =>
                ("job.api/list?from=" + from.ToString(DateFormat, CultureInfo.InvariantCulture) + "&to=" + to.ToString(DateFormat, CultureInfo.InvariantCulture), null),
            RecordKind.Job => ("job.api/current", true),
            _ => ("staff.api/list", null),
        };
        var (xml, failure) = await SendAsync(request.TenantId, HttpMethod.Get, path, null, request.Kind, cancellationToken).ConfigureAwait(false);
        ThrowIfFailed(failure);
        calls++;
        var records = new List<PulledRecord>();
        var elements = request.Kind switch
        {
            RecordKind.Client => xml!.Element("Clients")?.Elements("Client"),
            RecordKind.Job => xml!.Element("Jobs")?.Elements("Job"),
            _ => xml!.Element("StaffList")?.Elements("Staff"),
        };
        foreach (var element in elements ?? [])
        {
            if (await ToPulledAsync(request, element, asOf, current, cancellationToken).ConfigureAwait(false) is { } record)
            {
                records.Add(record.Record);
                calls += record.Calls;
            }
        }

        if (request.Kind == RecordKind.Client && request.ModifiedSince is null)
        {
            // paged-list: the next page's link carries the continuation token; none on the last page.
            var next = NextPageToken((string?)xml!.Element("Pagination")?.Element("Links")?.Element("Next"));
            return new PullPage { Records = records, HasMore = next is not null, NextPageToken = next, Calls = calls, AsOf = asOf, CustomFieldDefinitions = definitions };
        }

        return new PullPage { Records = records, Unpaged = true, Calls = calls, AsOf = asOf, CustomFieldDefinitions = definitions };
    }

    /// <summary>Records by id: a client by UUID, a job by number, one call each; staff from the list, kept to the ids.</summary>
    private async Task<(IReadOnlyList<PulledRecord> Records, int Calls)> ReadNamedAsync(PullPageRequest request, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var records = new List<PulledRecord>();
        var calls = 0;
        if (request.Kind == RecordKind.Staff)
        {
            var (list, listFailure) = await SendAsync(request.TenantId, HttpMethod.Get, "staff.api/list", null, RecordKind.Staff, cancellationToken).ConfigureAwait(false);
            ThrowIfFailed(listFailure);
            var wanted = request.RemoteIds.ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var staff in list!.Element("StaffList")?.Elements("Staff") ?? [])
            {
                if (wanted.Contains((string?)staff.Element("UUID") ?? string.Empty) && await ToPulledAsync(request, staff, asOf, null, cancellationToken).ConfigureAwait(false) is { } found)
                {
                    records.Add(found.Record);
                }
            }

            return (records, 1);
        }

        var api = request.Kind == RecordKind.Client ? "client.api/get/" : "job.api/get/";
        foreach (var id in request.RemoteIds)
        {
            var (xml, failure) = await SendAsync(request.TenantId, HttpMethod.Get, api + Uri.EscapeDataString(id), null, request.Kind, cancellationToken).ConfigureAwait(false);
            calls++;
            if (failure is not null && IsNotFound(failure))
            {
                // Gone from the practice: the caller decides what that means for its copy.
                continue;
            }

            ThrowIfFailed(failure);
            var element = xml!.Element(request.Kind == RecordKind.Client ? "Client" : "Job");
            if (element is not null && await ToPulledAsync(request, element, asOf, null, cancellationToken).ConfigureAwait(false) is { } found)
            {
                records.Add(found.Record);
                calls += found.Calls;
            }
        }

        return (records, calls);
    }

    private async Task<(PulledRecord Record, int Calls)?> ToPulledAsync(PullPageRequest request, XElement e, DateTimeOffset asOf, bool? current, CancellationToken cancellationToken)
    {
        switch (request.Kind)
        {
            case RecordKind.Client when e.Element("UUID")?.Value is { Length: > 0 } uuid:
                {
                    var fields = request.IncludeCustomFields
                        ? await ReadCustomFieldsAsync(request.TenantId, "client.api/get/" + Uri.EscapeDataString(uuid) + "/customfield", RecordKind.Client, cancellationToken).ConfigureAwait(false)
                        : [];
                    return (new PulledClient
                    {
                        RemoteId = uuid,
                        UpdatedAt = asOf,
                        Name = (string?)e.Element("Name") ?? string.Empty,
                        Email = Text(e.Element("Email")),
                        Phone = Text(e.Element("Phone")),
                        Archived = Yes(e.Element("IsArchived")) || Yes(e.Element("IsDeleted")),
                        CustomFields = fields,
                    }, request.IncludeCustomFields ? 1 : 0);
                }

            case RecordKind.Job when e.Element("ID")?.Value is { Length: > 0 } number:
                {
                    // One call per job, as for clients: XPM has no list of custom field values.
                    var fields = request.IncludeCustomFields
                        ? await ReadCustomFieldsAsync(request.TenantId, "job.api/get/" + Uri.EscapeDataString(number) + "/customfield", RecordKind.Job, cancellationToken).ConfigureAwait(false)
                        : [];
                    return (new PulledJob
                    {
                        RemoteId = number,
                        UpdatedAt = asOf,
                        Name = (string?)e.Element("Name") ?? string.Empty,
                        Description = Text(e.Element("Description")),
                        State = (string?)e.Element("State") ?? string.Empty,
                        ClientRemoteId = JobClientId(e),
                        ClientName = (string?)e.Element("Client")?.Element("Name"),
                        StartDate = Date(e.Element("StartDate")),
                        DueDate = Date(e.Element("DueDate")),
                        Deleted = string.Equals((string?)e.Element("State"), "Deleted", StringComparison.OrdinalIgnoreCase),
                        Current = current,
                        CustomFields = fields,
                    }, request.IncludeCustomFields ? 1 : 0);
                }

            case RecordKind.Staff when e.Element("UUID")?.Value is { Length: > 0 } uuid:
                return (new PulledStaff { RemoteId = uuid, UpdatedAt = asOf, Name = (string?)e.Element("Name") ?? string.Empty, Email = Text(e.Element("Email")) }, 0);

            default:
                return null;
        }
    }

    /// <summary>The practice's custom field definitions (<c>customfield.api/definition</c>), client and job ones alike.</summary>
    private async Task<IReadOnlyList<PulledCustomFieldDefinition>> ReadDefinitionsAsync(string tenantId, RecordKind kind, CancellationToken cancellationToken)
    {
        var (xml, failure) = await SendAsync(tenantId, HttpMethod.Get, "customfield.api/definition", null, kind, cancellationToken).ConfigureAwait(false);
        ThrowIfFailed(failure);
        return [.. (xml!.Element("CustomFieldDefinitions")?.Elements("CustomFieldDefinition") ?? [])
            .Where(d => Text(d.Element("UUID")) is not null)
            .Select(d => new PulledCustomFieldDefinition
            {
                Id = Text(d.Element("UUID"))!,
                Name = (string?)d.Element("Name") ?? string.Empty,
                Type = (string?)d.Element("Type") ?? string.Empty,
                AppliesToClients = True(d.Element("LinkClient")),
                AppliesToJobs = True(d.Element("LinkJob")),
            })];
    }

    private async Task<IReadOnlyList<PulledCustomField>> ReadCustomFieldsAsync(string tenantId, string path, RecordKind kind, CancellationToken cancellationToken)
    {
        var (xml, failure) = await SendAsync(tenantId, HttpMethod.Get, path, null, kind, cancellationToken).ConfigureAwait(false);
        ThrowIfFailed(failure);
        return [.. (xml!.Element("CustomFields")?.Elements("CustomField") ?? []).Select(f => new PulledCustomField
        {
            DefinitionId = Text(f.Element("UUID")),
            Name = (string?)f.Element("Name") ?? string.Empty,

            // The value sits in the element named for the field's type (Text, Number, Decimal, Boolean, Date, LinkURL).
            Value = f.Elements().FirstOrDefault(e => e.Name.LocalName is not ("UUID" or "Name")) is { } value ? CustomValue(value) : null,
        })];
    }

    private static string? CustomValue(XElement value) =>
        value.Name.LocalName == "Date" && Date(value) is { } date ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : Text(value);

    private static string? NextPageToken(string? nextLink)
    {
        if (string.IsNullOrWhiteSpace(nextLink) || !Uri.TryCreate(nextLink, UriKind.Absolute, out var uri))
        {
            return null;
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && string.Equals(pair[..equals], "pageToken", StringComparison.OrdinalIgnoreCase))
            {
                return Uri.UnescapeDataString(pair[(equals + 1)..]) is { Length: > 0 } token ? token : null;
            }
        }

        return null;
    }

    private static string? Text(XElement? element) => string.IsNullOrWhiteSpace(element?.Value) ? null : element.Value.Trim();

    private static bool Yes(XElement? element) => string.Equals(element?.Value?.Trim(), "Yes", StringComparison.OrdinalIgnoreCase);

    private static bool True(XElement? element) => string.Equals(element?.Value?.Trim(), "true", StringComparison.OrdinalIgnoreCase) || Yes(element);

    private static DateOnly? Date(XElement? element) =>
        element?.Value is { Length: >= 10 } text && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
}
