using System.Text.Json.Nodes;
using SyncKit.Testing.Emulator.State;

namespace SyncKit.Testing.Tests;

/// <summary>The emulator's indexed entity sets: lookups by id and number that stay right as entities are replaced.</summary>
public sealed class EntitySetTests
{
    private static JsonObject Invoice(Guid id, string number, string status = "AUTHORISED") =>
        new() { ["InvoiceID"] = id.ToString(), ["InvoiceNumber"] = number, ["Status"] = status };

    private static EntitySet Invoices() => new("InvoiceID", "InvoiceNumber");

    [Fact]
    public void Find_ById_IgnoresHowTheGuidIsSpelt()
    {
        var set = Invoices();
        var id = Guid.NewGuid();
        var invoice = Invoice(id, "INV-1");
        set.Add(invoice);

        Assert.Same(invoice, set.Find(id));
        Assert.Same(invoice, set.FindByKey(id.ToString("N").ToUpperInvariant()));
    }

    [Fact]
    public void WithField_FindsByNumber_IgnoringCaseAndSurroundingSpaces()
    {
        var set = Invoices();
        var invoice = Invoice(Guid.NewGuid(), "INV-7");
        set.Add(invoice);

        Assert.Same(invoice, Assert.Single(set.WithField("InvoiceNumber", " inv-7 ")));
        Assert.Empty(set.WithField("InvoiceNumber", "INV-8"));
        Assert.Empty(set.WithField("InvoiceNumber", null));
    }

    [Fact]
    public void WithField_ListsRepeatedNumbers_InTheSetsOrder()
    {
        var set = Invoices();
        var first = Invoice(Guid.NewGuid(), "BILL-1");
        var other = Invoice(Guid.NewGuid(), "BILL-2");
        var second = Invoice(Guid.NewGuid(), "BILL-1");
        set.Add(first);
        set.Add(other);
        set.Add(second);
        set.Replace(first, Invoice(XeroIdOf(first), "BILL-1", "PAID"));

        var matches = set.WithField("InvoiceNumber", "BILL-1");

        Assert.Equal([set.All[0], second], matches);
    }

    [Fact]
    public void Replace_MovesTheEntityToItsNewNumber_AndFindReturnsTheReplacement()
    {
        var set = Invoices();
        var id = Guid.NewGuid();
        var before = Invoice(id, "INV-1");
        set.Add(before);
        var after = Invoice(id, "INV-2");

        set.Replace(before, after);

        Assert.Empty(set.WithField("InvoiceNumber", "INV-1"));
        Assert.Same(after, Assert.Single(set.WithField("InvoiceNumber", "INV-2")));
        Assert.Same(after, set.Find(id));
        Assert.Single(set.All);
    }

    [Fact]
    public void Remove_TakesTheEntityOutOfEveryIndex()
    {
        var set = Invoices();
        var id = Guid.NewGuid();
        var invoice = Invoice(id, "INV-1");
        set.Add(invoice);

        Assert.True(set.Remove(invoice));

        Assert.Null(set.Find(id));
        Assert.Empty(set.WithField("InvoiceNumber", "INV-1"));
    }

    [Fact]
    public void Restore_PutsBackWhatCaptureSaw_IndexesIncluded()
    {
        var set = Invoices();
        var kept = Invoice(Guid.NewGuid(), "INV-1");
        set.Add(kept);
        var snapshot = set.Capture();
        var added = Invoice(Guid.NewGuid(), "INV-2");
        set.Add(added);
        set.Replace(kept, Invoice(XeroIdOf(kept), "INV-9"));

        set.Restore(snapshot);

        Assert.Same(kept, Assert.Single(set.WithField("InvoiceNumber", "INV-1")));
        Assert.Empty(set.WithField("InvoiceNumber", "INV-2"));
        Assert.Empty(set.WithField("InvoiceNumber", "INV-9"));
        Assert.Null(set.Find(XeroIdOf(added)));
    }

    [Fact]
    public void WithField_OnAFieldThatIsNotIndexed_Throws()
    {
        var set = Invoices();

        Assert.Throws<InvalidOperationException>(() => set.WithField("Reference", "x"));
    }

    private static Guid XeroIdOf(JsonObject invoice) => Guid.Parse(invoice["InvoiceID"]!.GetValue<string>());
}
