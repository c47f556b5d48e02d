using System.Net;
using System.Xml.Linq;
using SyncKit.Errors;
using SyncKit.Records;
using SyncKit.Xero.Tests.Infrastructure;

namespace SyncKit.Xero.Tests.Connector;

public sealed class PracticeManagerTests
{
    private static readonly CostRecord s_cost = new()
    {
        SourceId = "cost-1",
        OrganisationKey = "org-7",
        Date = new DateOnly(2025, 3, 14),
        Description = "Courier",
        Code = "DISB",
        Quantity = 2m,
        UnitCost = 12.5m,
        UnitPrice = 15m,
    };

    private static SyncKit.Connectors.PushElement CostElement(CostRecord? cost = null) =>
        TestRecords.Element(cost ?? s_cost, null, (RecordKind.Job, "org-7", "J000309"), (RecordKind.Client, "org-7", "c7b8a9d0-1e2f-4a3b-8c4d-5e6f7a8b9c0d"));

    [Fact]
    public async Task Cost_IsPostedAsXmlToJobCostWithACompactDate()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("pm-cost-add.xml"));
        var connector = TestConnector.Create(handler);

        var result = await connector.PushAsync(TestRecords.Batch(RecordKind.Cost, CostElement()));

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("/practicemanager/3.1/job.api/cost", request.Path);
        Assert.Equal("application/xml", request.ContentType);
        Assert.Equal(TestConnector.Tenant, request.Header("xero-tenant-id"));
        var cost = XElement.Parse(request.Body!);
        Assert.Equal("J000309", (string?)cost.Element("Job"));
        Assert.Equal("20250314", (string?)cost.Element("Date"));
        Assert.Equal("12.5", (string?)cost.Element("UnitCost"));
        Assert.Equal("true", (string?)cost.Element("Billable"));
        Assert.Equal("e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b", Assert.Single(result.Outcomes).RemoteId);
    }

    [Theory]
    [InlineData("pm-error-lock.xml", "xpm.wip-lock-date")]
    [InlineData("pm-error-state.xml", "xpm.job-state")]
    [InlineData("pm-error-deleted.xml", "xpm.job-deleted")]
    public async Task ErrorEnvelopeWithHttp200_FailsTheCostAndIsClassified(string fixture, string rule)
    {
        var connector = TestConnector.Create(new StubHttpHandler(_ => Responses.Fixture(fixture)));

        var result = await connector.PushAsync(TestRecords.Batch(RecordKind.Cost, CostElement()));

        Assert.Null(result.BatchFailure);
        var failure = Assert.Single(result.Outcomes).Failure!;
        Assert.Equal(200, failure.StatusCode);
        Assert.Equal(RecordKind.Cost, failure.Kind);
        Assert.Equal(rule, XeroErrorRules.All.First(r => r.Matches(failure)).Id);
    }

    [Fact]
    public async Task CostForAnUnmappedOrganisation_FailsWithTheEnginesMissingClientMappingCodeWithoutACall()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("pm-cost-add.xml"));
        var connector = TestConnector.Create(handler);

        var result = await connector.PushAsync(TestRecords.Batch(RecordKind.Cost, TestRecords.Element(s_cost)));

        Assert.Empty(handler.Requests);
        var failure = Assert.Single(result.Outcomes).Failure!;
        Assert.Equal(FailureSource.Mapping, failure.Source);
        Assert.Equal("MissingMapping.Client", failure.Code);
    }

    [Fact]
    public async Task CostForAMappedOrganisationWithoutAJob_FailsWithTheEnginesMissingJobMappingCode()
    {
        var connector = TestConnector.Create(new StubHttpHandler(_ => Responses.Fixture("pm-cost-add.xml")));

        var result = await connector.PushAsync(TestRecords.Batch(RecordKind.Cost, TestRecords.Element(s_cost, null, (RecordKind.Client, "org-7", "c7b8a9d0-1e2f-4a3b-8c4d-5e6f7a8b9c0d"))));

        Assert.Equal("MissingMapping.Job", Assert.Single(result.Outcomes).Failure!.Code);
    }

    [Fact]
    public async Task RateLimitedCost_FailsTheBatch()
    {
        var connector = TestConnector.Create(new StubHttpHandler(_ => Responses.RateLimited("minute", 5)));

        var result = await connector.PushAsync(TestRecords.Batch(RecordKind.Cost, CostElement()));

        Assert.Equal("minute", result.BatchFailure!.RateLimitProblem);
    }

    [Fact]
    public async Task Client_IsAddedAndItsUuidReturned()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("pm-client-add.xml"));
        var connector = TestConnector.Create(handler);

        var result = await connector.PushAsync(TestRecords.Batch(RecordKind.Client, TestRecords.Element(new ClientRecord { SourceId = "org-7", Name = "Acme Pty Ltd", Email = "a@acme.test" })));

        Assert.Equal("/practicemanager/3.1/client.api/add", handler.Requests[0].Path);
        Assert.Equal("Acme Pty Ltd", (string?)XElement.Parse(handler.Requests[0].Body!).Element("Name"));
        Assert.Equal("c7b8a9d0-1e2f-4a3b-8c4d-5e6f7a8b9c0d", Assert.Single(result.Outcomes).RemoteId);
    }

    [Fact]
    public async Task Job_IsAddedForItsClientThenItsStateIsSet()
    {
        var handler = new StubHttpHandler(r => r.Path.EndsWith("job.api/state", StringComparison.Ordinal) ? Responses.Xml("<Response><Status>OK</Status></Response>") : Responses.Fixture("pm-job-add.xml"));
        var connector = TestConnector.Create(handler);
        var job = new JobRecord { SourceId = "job-1", ClientSourceId = "org-7", Name = "Annual accounts", State = "In Progress", StartDate = new DateOnly(2025, 3, 1) };

        var result = await connector.PushAsync(TestRecords.Batch(RecordKind.Job, TestRecords.Element(job, null, (RecordKind.Client, "org-7", "c7b8a9d0-1e2f-4a3b-8c4d-5e6f7a8b9c0d"))));

        var add = XElement.Parse(handler.Requests[0].Body!);
        Assert.Equal("c7b8a9d0-1e2f-4a3b-8c4d-5e6f7a8b9c0d", (string?)add.Element("ClientUUID"));
        Assert.Equal("20250301", (string?)add.Element("StartDate"));
        Assert.Equal(HttpMethod.Put, handler.Requests[1].Method);
        Assert.Equal("In Progress", (string?)XElement.Parse(handler.Requests[1].Body!).Element("State"));
        var outcome = Assert.Single(result.Outcomes);
        Assert.Equal("J000309", outcome.RemoteId);
        Assert.Empty(outcome.Warnings);
    }

    [Fact]
    public async Task HttpErrorWithAnXmlErrorEnvelope_KeepsTheDescription()
    {
        var connector = TestConnector.Create(new StubHttpHandler(_ => Responses.Fixture("pm-error-deleted.xml", HttpStatusCode.NotFound)));

        var result = await connector.PushAsync(TestRecords.Batch(RecordKind.Cost, CostElement()));

        var failure = Assert.Single(result.Outcomes).Failure!;
        Assert.Equal(["Job J000309 has been deleted"], failure.Messages);
    }

    [Fact]
    public async Task FindExisting_Job_IsFoundByJobNumber()
    {
        var handler = new StubHttpHandler(_ => Responses.Fixture("pm-job-add.xml"));
        var connector = TestConnector.Create(handler);
        var job = new JobRecord { SourceId = "job-1", ClientSourceId = "org-7", Name = "Annual accounts", JobNumber = "J000309", State = "In Progress" };

        var match = (await connector.FindCandidatesAsync(TestConnector.Tenant, TestRecords.Element(job))).SingleOrDefault();

        Assert.Equal("J000309", match!.RemoteId);
        Assert.Equal("/practicemanager/3.1/job.api/get/J000309", handler.Requests[0].Path);
    }

    [Fact]
    public async Task FindExisting_Cost_IsFoundOnItsJobByDateDescriptionAndAmounts()
    {
        var handler = new StubHttpHandler(_ => Responses.Xml(
            "<Response><Status>OK</Status><Costs>"
            + "<Cost><UUID>other</UUID><Date>2025-03-14T00:00:00</Date><Description>Printing</Description><Quantity>2</Quantity><UnitCost>12.5</UnitCost></Cost>"
            + "<Cost><UUID>e1f2a3b4</UUID><Date>2025-03-14T00:00:00</Date><Description>Courier</Description><Quantity>2</Quantity><UnitCost>12.5</UnitCost></Cost>"
            + "</Costs></Response>"));
        var connector = TestConnector.Create(handler);

        var match = (await connector.FindCandidatesAsync(TestConnector.Tenant, CostElement())).SingleOrDefault();

        Assert.Equal("e1f2a3b4", match!.RemoteId);
        Assert.Equal("/practicemanager/3.1/job.api/costs/J000309", handler.Requests[0].Path);
    }

    [Fact]
    public void Staff_IsNotPushed()
    {
        var connector = TestConnector.Create(new StubHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.OK)));

        Assert.False(connector.Supports(RecordKind.Staff));
        Assert.True(connector.Supports(RecordKind.Cost));
    }

    [Fact]
    public async Task FindExisting_Client_IsFoundByNameInTheClientList()
    {
        var handler = new StubHttpHandler(_ => Responses.Xml(
            "<Response><Status>OK</Status><Clients>"
            + "<Client><UUID>other</UUID><Name>Bravo Ltd</Name></Client>"
            + "<Client><UUID>c7b8a9d0-1e2f-4a3b-8c4d-5e6f7a8b9c0d</UUID><Name>Acme Pty Ltd</Name></Client>"
            + "</Clients></Response>"));
        var connector = TestConnector.Create(handler);

        var match = (await connector.FindCandidatesAsync(TestConnector.Tenant, TestRecords.Element(new ClientRecord { SourceId = "org-7", Name = "acme pty ltd" }))).SingleOrDefault();

        Assert.Equal("c7b8a9d0-1e2f-4a3b-8c4d-5e6f7a8b9c0d", match!.RemoteId);
        Assert.Equal("/practicemanager/3.1/client.api/list", handler.Requests[0].Path);
    }
}
