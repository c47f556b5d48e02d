using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using SyncKit.Testing.Emulator;

namespace SyncKit.Testing.Demo;

/// <summary>The Practice Manager ids of the demo's two broken jobs, for the host's <c>job-closed</c> and <c>job-deleted</c> mappings.</summary>
/// <param name="CompletedJobId">The job in state Completed (costs to it fail with "not In Progress").</param>
/// <param name="DeletedJobId">The deleted job (costs to it fail with "deleted").</param>
public sealed record DemoJobs(string CompletedJobId, string DeletedJobId);

/// <summary>The demo's seed problems that live in the ledger, not in the host's data, set up in the Xero emulator.</summary>
public static class DemoLedgerProblems
{
    /// <summary>
    /// The organisation's last month locked, Advertising archived and a trust account without a code; the practice's WIP
    /// lock, a Completed job and a deleted job — through the emulator's API, as a user in Xero would have made them.
    /// </summary>
    /// <param name="emulator">The emulator holding both tenants.</param>
    /// <param name="demo">The demo data (its lock dates and archived account).</param>
    /// <param name="organisation">The Accounting tenant.</param>
    /// <param name="practice">The Practice Manager tenant.</param>
    /// <param name="cancellationToken">Cancels the set-up.</param>
    /// <returns>The two broken jobs' ids, for the host's mappings.</returns>
    public static async Task<DemoJobs> SetUpDemoProblemsAsync(this XeroEmulator emulator, DemoPractice demo, EmulatorTenant organisation, EmulatorTenant practice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        ArgumentNullException.ThrowIfNull(demo);
        ArgumentNullException.ThrowIfNull(organisation);
        ArgumentNullException.ThrowIfNull(practice);

        emulator.SetLockDates(organisation.TenantId, demo.PeriodLockDate, null);
        emulator.ArchiveAccount(organisation.TenantId, demo.ArchivedAccountCode);
        using var http = emulator.CreateHttpClient();
        await SendAsync(http, organisation, HttpMethod.Put, "api.xro/2.0/Accounts", new StringContent("""{"Accounts":[{"Name":"Trust Liability","Type":"CURRLIAB"}]}""", Encoding.UTF8, "application/json"), cancellationToken).ConfigureAwait(false);

        emulator.SetWipLockDate(practice.TenantId, demo.WipLockDate);
        var client = await PracticeAsync(http, practice, "client.api/add", new XElement("Client", new XElement("Name", "Legacy Client Pty Ltd")), cancellationToken).ConfigureAwait(false);
        var clientId = client.Descendants("UUID").First().Value;
        var completed = await AddJobAsync(http, practice, clientId, "Completed", cancellationToken).ConfigureAwait(false);
        var deleted = await AddJobAsync(http, practice, clientId, "In Progress", cancellationToken).ConfigureAwait(false);
        await PracticeAsync(http, practice, "job.api/delete", new XElement("Job", new XElement("ID", deleted)), cancellationToken).ConfigureAwait(false);
        return new DemoJobs(completed, deleted);
    }

    private static async Task<string> AddJobAsync(HttpClient http, EmulatorTenant practice, string clientId, string state, CancellationToken cancellationToken)
    {
        var job = await PracticeAsync(
            http,
            practice,
            "job.api/add",
            new XElement("Job", new XElement("Name", $"Old job ({state})"), new XElement("ClientUUID", clientId), new XElement("State", state),
                new XElement("StartDate", "20261001"), new XElement("DueDate", "20261031")),
            cancellationToken).ConfigureAwait(false);
        return job.Descendants("ID").First().Value;
    }

    private static async Task<XElement> PracticeAsync(HttpClient http, EmulatorTenant practice, string path, XElement body, CancellationToken cancellationToken)
    {
        var text = await SendAsync(http, practice, HttpMethod.Post, "practicemanager/3.1/" + path, new StringContent(body.ToString(), Encoding.UTF8, "application/xml"), cancellationToken).ConfigureAwait(false);
        var response = XElement.Parse(text);
        return response.Element("Status")?.Value == "OK"
            ? response
            : throw new InvalidOperationException($"The emulator refused {path}: {response.Element("ErrorDescription")?.Value}");
    }

    private static async Task<string> SendAsync(HttpClient http, EmulatorTenant tenant, HttpMethod method, string path, HttpContent content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.AccessToken);
        request.Headers.Add("xero-tenant-id", tenant.TenantId.ToString());
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(path.StartsWith("practicemanager/", StringComparison.Ordinal) ? "application/xml" : "application/json"));
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode
            ? text
            : throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The emulator answered {(int)response.StatusCode} to {path}: {text}"));
    }
}
