using System.Net;
using System.Text;
using System.Xml.Linq;
using SyncKit.Testing.Emulator;

namespace SyncKit.Testing.Tests;

public sealed class PracticeManagerTests
{
    private const string Base = "practicemanager/3.1/";

    private static Task<EmulatorFixture> Practice(DateOnly? wipLockDate = null) =>
        EmulatorFixture.CreateAsync(new EmulatorTenantOptions { Name = "Practice", PracticeManager = true, WipLockDate = wipLockDate });

    private static async Task<(HttpStatusCode Status, XElement Xml)> Xpm(EmulatorFixture f, HttpMethod method, string path, string? xml = null)
    {
        var reply = await f.SendAsync(method, Base + path, null, r =>
        {
            r.Headers.Accept.ParseAdd("text/xml");
            if (xml is not null)
            {
                r.Content = new StringContent(xml, Encoding.UTF8, "text/xml");
            }
        });
        return (reply.Status, XElement.Parse(reply.Body));
    }

    private static async Task<string> NewJob(EmulatorFixture f)
    {
        var (_, client) = await Xpm(f, HttpMethod.Post, "client.api/add", "<Client><Name>Client Ltd</Name><Email>c@client.test</Email></Client>");
        var clientId = client.Element("Client")!.Element("UUID")!.Value;
        var (_, job) = await Xpm(f, HttpMethod.Post, "job.api/add", $"<Job><Name>Year end</Name><Description>Accounts</Description><ClientUUID>{clientId}</ClientUUID><StartDate>20260701</StartDate><DueDate>20260901</DueDate></Job>");
        return job.Element("Job")!.Element("ID")!.Value;
    }

    private static string Cost(string job, string date) =>
        $"<Cost><Job>{job}</Job><Date>{date}</Date><Description>Filing fee</Description><Code>FEE</Code><Note/><Quantity>1</Quantity><UnitCost>50</UnitCost><UnitPrice>80</UnitPrice><Billable>true</Billable></Cost>";

    [Fact]
    public async Task Clients_are_added_listed_and_read()
    {
        await using var f = await Practice();
        var (status, added) = await Xpm(f, HttpMethod.Post, "client.api/add", "<Client><Name>Client Ltd</Name></Client>");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("OK", added.Element("Status")!.Value);
        var uuid = added.Element("Client")!.Element("UUID")!.Value;
        var (_, list) = await Xpm(f, HttpMethod.Get, "client.api/list");
        Assert.Single(list.Element("Clients")!.Elements("Client"));
        var (_, one) = await Xpm(f, HttpMethod.Get, "client.api/get/" + uuid);
        Assert.Equal("Client Ltd", one.Element("Client")!.Element("Name")!.Value);
    }

    [Fact]
    public async Task Jobs_are_added_in_progress_and_listed_as_current()
    {
        await using var f = await Practice();
        var job = await NewJob(f);
        Assert.Equal("J000001", job);
        var (_, current) = await Xpm(f, HttpMethod.Get, "job.api/current");
        var listed = Assert.Single(current.Element("Jobs")!.Elements("Job"));
        Assert.Equal("In Progress", listed.Element("State")!.Value);
        var (_, one) = await Xpm(f, HttpMethod.Get, "job.api/get/" + job);
        Assert.Equal("2026-07-01T00:00:00", one.Element("Job")!.Element("StartDate")!.Value);
    }

    [Fact]
    public async Task Cost_on_an_open_job_is_added_and_listed()
    {
        await using var f = await Practice(new DateOnly(2026, 6, 30));
        var job = await NewJob(f);
        var (_, added) = await Xpm(f, HttpMethod.Post, "job.api/cost", Cost(job, "20260710"));
        Assert.Equal("OK", added.Element("Status")!.Value);
        var (_, costs) = await Xpm(f, HttpMethod.Get, "job.api/costs/" + job);
        Assert.Equal("Filing fee", Assert.Single(costs.Element("Costs")!.Elements("Cost")).Element("Description")!.Value);
    }

    [Fact]
    public async Task Cost_dated_on_the_wip_lock_date_is_an_error_with_http_200()
    {
        await using var f = await Practice(new DateOnly(2026, 6, 30));
        var job = await NewJob(f);
        var (status, reply) = await Xpm(f, HttpMethod.Post, "job.api/cost", Cost(job, "20260630"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ERROR", reply.Element("Status")!.Value);
        Assert.Equal(XeroMessages.XpmCostWipLocked.Format("20260630", "20260630"), reply.Element("ErrorDescription")!.Value);
    }

    [Fact]
    public async Task Cost_on_a_job_that_is_not_in_progress_is_an_error()
    {
        await using var f = await Practice();
        var job = await NewJob(f);
        var (_, state) = await Xpm(f, HttpMethod.Put, "job.api/state", $"<Job><ID>{job}</ID><State>ONHOLD</State></Job>");
        Assert.Equal("OK", state.Element("Status")!.Value);
        var (_, reply) = await Xpm(f, HttpMethod.Post, "job.api/cost", Cost(job, "20260710"));
        Assert.Equal("ERROR", reply.Element("Status")!.Value);
        Assert.Equal(XeroMessages.XpmJobNotInProgress.Format(job, "On Hold"), reply.Element("ErrorDescription")!.Value);
    }

    [Fact]
    public async Task Cost_on_a_deleted_job_is_an_error()
    {
        await using var f = await Practice();
        var job = await NewJob(f);
        await Xpm(f, HttpMethod.Post, "job.api/delete", $"<Job><ID>{job}</ID></Job>");
        var (_, reply) = await Xpm(f, HttpMethod.Post, "job.api/cost", Cost(job, "20260710"));
        Assert.Equal("ERROR", reply.Element("Status")!.Value);
        Assert.Equal(XeroMessages.XpmJobDeleted.Format(job), reply.Element("ErrorDescription")!.Value);
    }

    [Fact]
    public async Task Control_surface_sets_job_state_and_wip_lock_date()
    {
        await using var f = await Practice();
        var job = await NewJob(f);
        f.Emulator.SetJobState(f.Tenant.TenantId, job, "Completed");
        var (_, reply) = await Xpm(f, HttpMethod.Post, "job.api/cost", Cost(job, "20260710"));
        Assert.Equal(XeroMessages.XpmJobNotInProgress.Format(job, "Completed"), reply.Element("ErrorDescription")!.Value);
        f.Emulator.SetJobState(f.Tenant.TenantId, job, "In Progress");
        f.Emulator.SetWipLockDate(f.Tenant.TenantId, new DateOnly(2026, 7, 31));
        var (_, locked) = await Xpm(f, HttpMethod.Post, "job.api/cost", Cost(job, "20260710"));
        Assert.Equal(XeroMessages.XpmCostWipLocked.Format("20260710", "20260731"), locked.Element("ErrorDescription")!.Value);
    }

    [Fact]
    public async Task Staff_are_listed()
    {
        await using var f = await Practice();
        var (_, staff) = await Xpm(f, HttpMethod.Get, "staff.api/list");
        Assert.Equal(2, staff.Element("StaffList")!.Elements("Staff").Count());
    }

    [Fact]
    public async Task Practice_calls_count_against_the_tenant_rate_limits()
    {
        await using var f = await EmulatorFixture.CreateAsync(new EmulatorTenantOptions { PracticeManager = true, MinuteLimit = 1 });
        await Xpm(f, HttpMethod.Get, "staff.api/list");
        var reply = await f.SendAsync(HttpMethod.Get, Base + "staff.api/list", null);
        Assert.Equal((HttpStatusCode)429, reply.Status);
    }

    [Fact]
    public async Task Practice_manager_messages_are_marked_as_approximations()
    {
        Assert.All(XeroMessages.All.Where(m => m.Key.StartsWith("Xpm", StringComparison.Ordinal)), m => Assert.True(m.IsApproximation, m.Key));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Accounting_tenant_has_no_practice_manager()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.SendAsync(HttpMethod.Get, Base + "staff.api/list", null);
        Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
    }
}
