using System.Net;
using SyncKit.Testing.Emulator;

namespace SyncKit.Testing.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Concurrent_writes_to_one_tenant_all_land_with_unique_numbers()
    {
        await using var f = await EmulatorFixture.CreateAsync(new EmulatorTenantOptions { ConcurrentLimit = 100 });
        var contact = await f.CreateContactAsync("Acme");
        var replies = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() => f.CreateInvoiceAsync(contact))));
        var numbers = replies.Select(r => r["InvoiceNumber"]!.GetValue<string>()).ToList();
        Assert.Equal(40, numbers.Distinct().Count());
        var read = await f.GetAsync("api.xro/2.0/Invoices");
        Assert.Equal(40, read.Json!["Invoices"]!.AsArray().Count);
    }

    [Fact]
    public async Task Concurrent_duplicate_contact_names_create_one_contact()
    {
        await using var f = await EmulatorFixture.CreateAsync(new EmulatorTenantOptions { ConcurrentLimit = 100 });
        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => f.PutAsync("api.xro/2.0/Contacts", """{"Contacts":[{"Name":"Racey"}]}"""))));
        Assert.Equal(1, replies.Count(r => r.Status == HttpStatusCode.OK));
        Assert.Single((await f.GetAsync("api.xro/2.0/Contacts")).Json!["Contacts"]!.AsArray());
    }
}
