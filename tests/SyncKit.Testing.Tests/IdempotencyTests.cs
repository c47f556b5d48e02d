using System.Net;
using SyncKit.Testing.Emulator;

namespace SyncKit.Testing.Tests;

public sealed class IdempotencyTests
{
    private const string Body = """{"Contacts":[{"Name":"Once Only"}]}""";

    [Fact]
    public async Task Same_key_replays_the_first_response_and_creates_nothing()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var first = await f.PutAsync("api.xro/2.0/Contacts", Body, r => r.Headers.Add("Idempotency-Key", "k-1"));
        var second = await f.PutAsync("api.xro/2.0/Contacts", Body, r => r.Headers.Add("Idempotency-Key", "k-1"));
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(first.Body, second.Body);
        Assert.Single((await f.GetAsync("api.xro/2.0/Contacts")).Json!["Contacts"]!.AsArray());
    }

    [Fact]
    public async Task Replay_includes_errors()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        await f.CreateContactAsync("Once Only");
        var first = await f.PutAsync("api.xro/2.0/Contacts", Body, r => r.Headers.Add("Idempotency-Key", "k-err"));
        var second = await f.PutAsync("api.xro/2.0/Contacts", Body, r => r.Headers.Add("Idempotency-Key", "k-err"));
        Assert.Equal(HttpStatusCode.BadRequest, second.Status);
        Assert.Equal(first.Body, second.Body);
    }

    [Fact]
    public async Task Same_key_with_a_different_request_is_refused()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        await f.PutAsync("api.xro/2.0/Contacts", Body, r => r.Headers.Add("Idempotency-Key", "k-2"));
        var other = await f.PutAsync("api.xro/2.0/Contacts", """{"Contacts":[{"Name":"Someone Else"}]}""", r => r.Headers.Add("Idempotency-Key", "k-2"));
        Assert.Equal(HttpStatusCode.BadRequest, other.Status);
        Assert.Contains("Idempotency Key: k-2 is used with a different request.", other.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Key_longer_than_128_characters_is_refused()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.PutAsync("api.xro/2.0/Contacts", Body, r => r.Headers.Add("Idempotency-Key", new string('k', 129)));
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Empty((await f.GetAsync("api.xro/2.0/Contacts")).Json!["Contacts"]!.AsArray());
    }

    [Fact]
    public async Task Key_of_128_characters_is_accepted()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var reply = await f.PutAsync("api.xro/2.0/Contacts", Body, r => r.Headers.Add("Idempotency-Key", new string('k', 128)));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task Key_reused_after_six_minutes_is_a_new_request()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        await f.PutAsync("api.xro/2.0/Contacts", """{"Contacts":[{"Name":"First"}]}""", r => r.Headers.Add("Idempotency-Key", "k-3"));
        f.Time.Advance(TimeSpan.FromMinutes(6) + TimeSpan.FromSeconds(1));
        var reply = await f.PutAsync("api.xro/2.0/Contacts", """{"Contacts":[{"Name":"Second"}]}""", r => r.Headers.Add("Idempotency-Key", "k-3"));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(2, (await f.GetAsync("api.xro/2.0/Contacts")).Json!["Contacts"]!.AsArray().Count);
    }

    [Fact]
    public async Task Key_is_still_honoured_just_inside_the_window()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        await f.PutAsync("api.xro/2.0/Contacts", Body, r => r.Headers.Add("Idempotency-Key", "k-4"));
        f.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(59));
        await f.PutAsync("api.xro/2.0/Contacts", Body, r => r.Headers.Add("Idempotency-Key", "k-4"));
        Assert.Single((await f.GetAsync("api.xro/2.0/Contacts")).Json!["Contacts"]!.AsArray());
    }

    [Fact]
    public async Task Replays_count_against_rate_limits()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        var first = await f.PutAsync("api.xro/2.0/Contacts", Body, r => r.Headers.Add("Idempotency-Key", "k-5"));
        var second = await f.PutAsync("api.xro/2.0/Contacts", Body, r => r.Headers.Add("Idempotency-Key", "k-5"));
        Assert.Equal(int.Parse(first.Header("X-MinLimit-Remaining")!) - 1, int.Parse(second.Header("X-MinLimit-Remaining")!));
    }

    [Fact]
    public async Task Injected_500_is_stored_and_replayed_for_the_same_key()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        f.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.ServerError, StatusCode = 500, Method = "PUT", Count = 1 });
        var first = await f.PutAsync("api.xro/2.0/Contacts", Body, r => r.Headers.Add("Idempotency-Key", "k-500"));
        var second = await f.PutAsync("api.xro/2.0/Contacts", Body, r => r.Headers.Add("Idempotency-Key", "k-500"));
        Assert.Equal(HttpStatusCode.InternalServerError, second.Status);
        Assert.Equal(first.Body, second.Body);
        Assert.Empty((await f.GetAsync("api.xro/2.0/Contacts")).Json!["Contacts"]!.AsArray());
    }

    [Fact]
    public async Task Bad_input_400_is_stored_and_replayed_for_the_same_key()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        const string Bad = """{"Contacts":[{"Name":"A","Name":"B"}]}""";
        var first = await f.PutAsync("api.xro/2.0/Contacts", Bad, r => r.Headers.Add("Idempotency-Key", "k-bad"));
        var second = await f.PutAsync("api.xro/2.0/Contacts", Bad, r => r.Headers.Add("Idempotency-Key", "k-bad"));
        Assert.Equal(HttpStatusCode.BadRequest, first.Status);
        Assert.Equal(first.Body, second.Body);
    }

    [Fact]
    public async Task Four_puts_with_one_key_create_one_copy_when_the_first_answer_is_dropped()
    {
        await using var f = await EmulatorFixture.CreateAsync();
        f.Emulator.AddFault(new EmulatorFault { Kind = EmulatorFaultKind.CommitThenDrop, Method = "PUT", Count = 1 });
        await Assert.ThrowsAsync<HttpRequestException>(() => f.PutAsync("api.xro/2.0/Contacts", Body, r => r.Headers.Add("Idempotency-Key", "k-4x")));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await f.PutAsync("api.xro/2.0/Contacts", Body, r => r.Headers.Add("Idempotency-Key", "k-4x"))).Status);
        }

        Assert.Single((await f.GetAsync("api.xro/2.0/Contacts")).Json!["Contacts"]!.AsArray());
    }
}
