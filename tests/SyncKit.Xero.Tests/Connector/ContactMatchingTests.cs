using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SyncKit.Records;
using SyncKit.Xero.Connector;
using SyncKit.Xero.Tests.Infrastructure;

namespace SyncKit.Xero.Tests.Connector;

public sealed class ContactMatchingTests
{
    private static ContactRecord Contact(string sourceId, string name, string? email = null) => new() { SourceId = sourceId, Name = name, Email = email };

    // An organisation with more contacts than one page of 1,000: new contacts are matched by filters, not by the directory.
    private const string LargeOrganisation = """{"Id":"x","Status":"OK","Contacts":[],"pagination":{"page":1,"pageSize":1000,"pageCount":3,"itemCount":2500}}""";

    private static bool IsDirectoryRead(RecordedRequest request) => request.Method == HttpMethod.Get && request.Query("where") is null;

    private static StubHttpHandler LargeOrganisationHandler(Func<RecordedRequest, HttpResponseMessage> answer) =>
        new(r => IsDirectoryRead(r) ? Responses.Json(LargeOrganisation) : answer(r));

    [Fact]
    public async Task NewContactWhoseNameXeroHas_UpdatesThatContactInsteadOfCreatingADuplicate()
    {
        var handler = new StubHttpHandler(r => r.Method == HttpMethod.Get ? Responses.Fixture("contacts-found-acme.json") : Responses.Fixture("contacts-write.json"));
        var connector = TestConnector.Create(handler);

        var result = await connector.PushAsync(TestRecords.Batch(RecordKind.Contact, TestRecords.Element(Contact("c-1", "Acme Pty Ltd"))));

        var write = Assert.Single(handler.Requests, r => r.Method != HttpMethod.Get);
        Assert.Equal(HttpMethod.Post, write.Method);
        using var body = JsonDocument.Parse(write.Body!);
        Assert.Equal(TestRecords.ContactId, body.RootElement.GetProperty("Contacts")[0].GetProperty("ContactID").GetString());
        Assert.Equal(TestRecords.ContactId, Assert.Single(result.Outcomes).RemoteId);
    }

    [Fact]
    public async Task NewContactsXeroDoesNotHave_AreCreatedWithPut()
    {
        var handler = new StubHttpHandler(r => r.Method == HttpMethod.Get ? Responses.Fixture("contacts-empty.json") : Responses.Fixture("contacts-write.json"));
        var connector = TestConnector.Create(handler);

        var result = await connector.PushAsync(TestRecords.Batch(RecordKind.Contact, TestRecords.Element(Contact("c-1", "Acme Pty Ltd")), TestRecords.Element(Contact("c-2", "Bravo Ltd"))));

        var write = Assert.Single(handler.Requests, r => r.Method != HttpMethod.Get);
        Assert.Equal(HttpMethod.Put, write.Method);
        Assert.Equal(2, result.Outcomes.Count(o => o.Succeeded));
    }

    [Fact]
    public async Task LookupBeforeCreate_IsOneReadWithTheNamesJoinedByOr()
    {
        var handler = LargeOrganisationHandler(r => r.Method == HttpMethod.Get ? Responses.Fixture("contacts-empty.json") : Responses.Fixture("contacts-write.json"));
        var connector = TestConnector.Create(handler);

        await connector.PushAsync(TestRecords.Batch(RecordKind.Contact, TestRecords.Element(Contact("c-1", "Acme Pty Ltd")), TestRecords.Element(Contact("c-2", "Bravo Ltd"))));

        var read = Assert.Single(handler.Requests, r => r.Method == HttpMethod.Get && !IsDirectoryRead(r));
        Assert.Equal("/api.xro/2.0/Contacts", read.Path);
        Assert.Equal("Name==\"Acme Pty Ltd\" OR Name==\"Bravo Ltd\"", read.Query("where"));
    }

    [Fact]
    public async Task NameWithQuotesAndBackslashes_IsEscapedInTheWhereFilter()
    {
        var handler = LargeOrganisationHandler(r => r.Method == HttpMethod.Get ? Responses.Fixture("contacts-empty.json") : Responses.Fixture("contacts-write.json"));
        var connector = TestConnector.Create(handler);

        await connector.PushAsync(TestRecords.Batch(RecordKind.Contact, TestRecords.Element(Contact("c-1", "The \"Best\" Co\\Ltd"))));

        Assert.Equal("Name==\"The \\\"Best\\\" Co\\\\Ltd\"", handler.Requests[1].Query("where"));
    }

    [Fact]
    public async Task ManyNewContacts_AreLookedUpInSeveralShortFilters()
    {
        var handler = LargeOrganisationHandler(r => r.Method == HttpMethod.Get ? Responses.Fixture("contacts-empty.json") : Responses.Fixture("contacts-write.json"));
        var connector = TestConnector.Create(handler);
        var elements = Enumerable.Range(1, 50).Select(i => TestRecords.Element(Contact("c-" + i, $"Customer number {i:000} with a fairly long trading name"))).ToArray();

        await connector.PushAsync(TestRecords.Batch(RecordKind.Contact, elements));

        var reads = handler.Requests.Where(r => r.Method == HttpMethod.Get && !IsDirectoryRead(r)).ToList();
        Assert.True(reads.Count > 1);
        Assert.All(reads, r => Assert.True(r.Query("where")!.Length <= 1500));
        Assert.Equal(50, reads.Sum(r => r.Query("where")!.Split(" OR ").Length));
    }

    [Fact]
    public async Task FailedLookup_FailsTheBatchWithoutWriting()
    {
        var handler = new StubHttpHandler(_ => Responses.RateLimited("day", 600));
        var connector = TestConnector.Create(handler);

        var result = await connector.PushAsync(TestRecords.Batch(RecordKind.Contact, TestRecords.Element(Contact("c-1", "Acme Pty Ltd"))));

        Assert.Equal("day", result.BatchFailure!.RateLimitProblem);
        Assert.All(handler.Requests, r => Assert.Equal(HttpMethod.Get, r.Method));
    }

    [Fact]
    public async Task SmallOrganisation_IsReadOnce_AndServesEveryBatchOfTheRun()
    {
        var handler = new StubHttpHandler(r => r.Method == HttpMethod.Get ? Responses.Fixture("contacts-found-acme.json") : Responses.Fixture("contacts-write.json"));
        var connector = TestConnector.Create(handler);

        await connector.PushAsync(TestRecords.Batch(RecordKind.Contact, TestRecords.Element(Contact("c-1", "Acme Pty Ltd"))));
        await connector.PushAsync(TestRecords.Batch(RecordKind.Contact, TestRecords.Element(Contact("c-2", "Bravo Ltd"))));

        var read = Assert.Single(handler.Requests, r => r.Method == HttpMethod.Get);
        Assert.Null(read.Query("where"));
        Assert.Equal("1000", read.Query("pageSize"));
        var writes = handler.Requests.Where(r => r.Method != HttpMethod.Get).ToList();
        Assert.Equal(HttpMethod.Post, writes[0].Method);
        Assert.Equal(HttpMethod.Put, writes[1].Method);
    }

    private const string AcmeArchived = """{"Id":"d","Status":"OK","pagination":{"page":1,"pageSize":1000,"pageCount":1,"itemCount":1},"Contacts":[{"ContactID":"9b9ba9e5-e907-4b4e-8210-54d82b0aa479","ContactStatus":"ARCHIVED","Name":"Acme Pty Ltd"}]}""";

    /// <summary>A Xero that answers each directory read in turn with the given answers, and every write with the contacts written.</summary>
    private static StubHttpHandler DirectoryReads(params string[] answers)
    {
        var reads = 0;
        return new StubHttpHandler(r =>
        {
            if (IsDirectoryRead(r))
            {
                var answer = answers[Math.Min(reads++, answers.Length - 1)];
                return answer.EndsWith(".json", StringComparison.Ordinal) ? Responses.Fixture(answer) : Responses.Json(answer);
            }

            using var body = JsonDocument.Parse(r.Body!);
            var written = body.RootElement.GetProperty("Contacts").EnumerateArray()
                .Select(c => $$"""{"ContactID":"{{(c.TryGetProperty("ContactID", out var id) ? id.GetString() : Guid.NewGuid().ToString())}}","Name":{{JsonSerializer.Serialize(c.GetProperty("Name").GetString())}},"ContactStatus":"ACTIVE"}""");
            return Responses.Json($$"""{"Id":"w","Status":"OK","Contacts":[{{string.Join(",", written)}}]}""");
        });
    }

    private static async Task<XeroLedgerConnector> LoadedAsync(StubHttpHandler handler, FakeTimeProvider time)
    {
        var connector = TestConnector.Create(handler, time: time);
        await connector.PushAsync(TestRecords.Batch(RecordKind.Contact, TestRecords.Element(Contact("c-0", "Zulu Ltd"))));
        time.Advance(TimeSpan.FromMinutes(6));
        return connector;
    }

    [Fact]
    public async Task AfterItsLifetime_TheDirectoryIsReadAgainWithIfModifiedSince_ItsReadTimeLessTheSkew()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 14, 9, 0, 0, TimeSpan.Zero));
        var handler = DirectoryReads("contacts-found-acme.json", "contacts-empty.json");
        var connector = await LoadedAsync(handler, time);

        await connector.PushAsync(TestRecords.Batch(RecordKind.Contact, TestRecords.Element(Contact("c-1", "Bravo Ltd"))));

        var reads = handler.Requests.Where(IsDirectoryRead).ToList();
        Assert.Equal(2, reads.Count);
        Assert.Null(reads[0].Header("If-Modified-Since"));
        Assert.Equal("Fri, 14 Mar 2025 08:55:00 GMT", reads[1].Header("If-Modified-Since"));
    }

    [Fact]
    public async Task AContactArchivedInXeroSinceTheLastRead_IsNoLongerTakenOver()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 14, 9, 0, 0, TimeSpan.Zero));
        var handler = DirectoryReads("contacts-found-acme.json", AcmeArchived);
        var connector = await LoadedAsync(handler, time);

        await connector.PushAsync(TestRecords.Batch(RecordKind.Contact, TestRecords.Element(Contact("c-1", "Acme Pty Ltd"))));

        Assert.Equal(HttpMethod.Put, handler.Requests.Last(r => r.Method != HttpMethod.Get).Method);
    }

    [Fact]
    public async Task AContactAddedInXeroSinceTheLastRead_IsTakenOver()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 14, 9, 0, 0, TimeSpan.Zero));
        var handler = DirectoryReads("contacts-empty.json", "contacts-found-acme.json");
        var connector = await LoadedAsync(handler, time);

        await connector.PushAsync(TestRecords.Batch(RecordKind.Contact, TestRecords.Element(Contact("c-1", "Acme Pty Ltd"))));

        var write = handler.Requests.Last(r => r.Method != HttpMethod.Get);
        using var body = JsonDocument.Parse(write.Body!);
        Assert.Equal((HttpMethod.Post, TestRecords.ContactId), (write.Method, body.RootElement.GetProperty("Contacts")[0].GetProperty("ContactID").GetString()));
    }

    [Fact]
    public async Task AContactKnownBeforeAndUnchanged_IsStillTakenOverAfterTheDirectoryIsBroughtUpToDate()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 14, 9, 0, 0, TimeSpan.Zero));
        var handler = DirectoryReads("contacts-found-acme.json", "contacts-empty.json");
        var connector = await LoadedAsync(handler, time);

        await connector.PushAsync(TestRecords.Batch(RecordKind.Contact, TestRecords.Element(Contact("c-1", "Acme Pty Ltd"))));

        Assert.Equal(HttpMethod.Post, handler.Requests.Last(r => r.Method != HttpMethod.Get).Method);
    }
}
