using Microsoft.Extensions.DependencyInjection;
using SyncKit.Inbound;
using SyncKit.Records;

namespace SyncKit.EndToEnd.Tests.Inbound;

/// <summary>Syncro: "vendors in Xero but not in Syncro are imported when you import Xero contacts".</summary>
public sealed class VendorPullTests
{
    [Fact]
    public async Task A_supplier_typed_in_Xero_with_a_bill_is_imported_by_the_contacts_pull_marked_as_a_supplier()
    {
        var books = new HostBooks();
        await using var h = await XeroHarness.CreateAsync(configure: b => b.AddTarget(books.ContactsTarget));
        XeroUser.CreateBill(h, "BILL-1", "Paper Supplies Ltd", 80m);
        await XeroUser.CreateContactsAsync(h, ["Walk-in Customer"]);

        await h.DriveAsync(() => h.Engine.PullAsync(new PullRequest { TenantId = h.TenantId, Kinds = [RecordKind.Contact] }));

        Assert.True(books.Contacts.Values.Single(c => c.Name == "Paper Supplies Ltd").IsSupplier);
        Assert.False(books.Contacts.Values.Single(c => c.Name == "Walk-in Customer").IsSupplier);
    }
}
