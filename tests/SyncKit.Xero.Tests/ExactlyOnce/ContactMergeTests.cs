using SyncKit.Ledger;
using SyncKit.Records;
using static SyncKit.Xero.Tests.ExactlyOnce.EmulatorConnector;

namespace SyncKit.Xero.Tests.ExactlyOnce;

/// <summary>Two customers never merge into one Xero contact.</summary>
public sealed class ContactMergeTests
{
    [Fact]
    public async Task NewContactWithAnotherNameAndTheSameEmail_IsCreatedAsItsOwnContact()
    {
        await using var x = await CreateAsync();
        var first = await x.CreateAsync(new ContactRecord { SourceId = "cust-a", Name = "Acme Pty Ltd", Email = "accounts@shared.test" });

        var second = await x.CreateAsync(new ContactRecord { SourceId = "cust-b", Name = "Bravo Ltd", Email = "accounts@shared.test" });

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task NewContactsWithTheSameEmailInOneBatch_AreEachCreated()
    {
        await using var x = await CreateAsync();

        var result = await x.PushAsync(
            RecordKind.Contact,
            "k1",
            El(new ContactRecord { SourceId = "cust-a", Name = "Acme Pty Ltd", Email = "accounts@shared.test" }),
            El(new ContactRecord { SourceId = "cust-b", Name = "Bravo Ltd", Email = "accounts@shared.test" }));

        Assert.Equal(2, result.Outcomes.Where(o => o.Succeeded).Select(o => o.RemoteId).Distinct().Count());
    }

    [Fact]
    public async Task NewContactWhoseNameIsOwnedByAnotherEntry_FailsNamingBothAndIsNotSent()
    {
        await using var x = await CreateAsync();
        var existing = await x.CreateAsync(new ContactRecord { SourceId = "cust-a", Name = "Acme Pty Ltd" });
        x.Owners.OwnersById[existing] = new LedgerKey(x.T, RecordKind.Contact, "cust-a");

        var result = await x.PushAsync(RecordKind.Contact, "k2", El(new ContactRecord { SourceId = "cust-b", Name = "acme pty ltd" }));

        var failure = Assert.Single(result.Outcomes).Failure!;
        Assert.Equal("Xero.ContactNameTaken", failure.Code);
        Assert.Contains("cust-a", failure.MessageText, StringComparison.Ordinal);
        Assert.Contains("cust-b", failure.MessageText, StringComparison.Ordinal);
        Assert.Contains("already exists in Xero and is linked to another record", failure.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewContactWhoseNameAnotherRecordOfThisRunCreated_FailsInsteadOfTakingItOver()
    {
        await using var x = await CreateAsync();
        await x.CreateAsync(new ContactRecord { SourceId = "cust-a", Name = "Acme Pty Ltd" });

        var result = await x.PushAsync(RecordKind.Contact, "k3", El(new ContactRecord { SourceId = "cust-b", Name = "Acme Pty Ltd" }));

        Assert.Equal("Xero.ContactNameTaken", Assert.Single(result.Outcomes).Failure?.Code);
    }

    [Fact]
    public async Task TwoCreatesInOneBatchWithTheNameOfOneExistingContact_AreNotBothMatchedToIt()
    {
        await using var x = await CreateAsync();
        var existing = await x.CreateAsync(new ContactRecord { SourceId = "legacy", Name = "Acme Pty Ltd" });
        x.Emulator.AdvanceClock(TimeSpan.FromMinutes(10)); // a later run: the directory is read again, nothing claimed

        var result = await x.PushAsync(
            RecordKind.Contact,
            "k4",
            El(new ContactRecord { SourceId = "cust-a", Name = "Acme Pty Ltd" }),
            El(new ContactRecord { SourceId = "cust-b", Name = "ACME PTY LTD" }));

        Assert.Single(result.Outcomes, o => o.RemoteId == existing);
        Assert.Single(result.Outcomes, o => o.Failure?.Code == "Xero.ContactNameTaken");
    }

    [Fact]
    public async Task TwoBatchesInFlightWithTheNameOfOneExistingContact_AreNotBothMatchedToIt()
    {
        await using var x = await CreateAsync();
        var existing = await x.CreateAsync(new ContactRecord { SourceId = "legacy", Name = "Acme Pty Ltd" });
        x.Emulator.AdvanceClock(TimeSpan.FromMinutes(10)); // a later run: the directory is read again, nothing claimed
        x.Emulator.AddFault(new Testing.Emulator.EmulatorFault { Kind = Testing.Emulator.EmulatorFaultKind.Latency, Method = "POST", Path = "/Contacts", Count = 1, Latency = TimeSpan.FromSeconds(2) });

        // The first batch's takeover is still on its way to Xero when the second batch matches the same name.
        var first = x.PushAsync(RecordKind.Contact, "k5", El(new ContactRecord { SourceId = "cust-a", Name = "Acme Pty Ltd" }));
        var second = await x.PushAsync(RecordKind.Contact, "k6", El(new ContactRecord { SourceId = "cust-b", Name = "ACME PTY LTD" }));
        x.Emulator.AdvanceClock(TimeSpan.FromSeconds(2));

        Assert.Equal(existing, Assert.Single((await first).Outcomes).RemoteId);
        Assert.Equal("Xero.ContactNameTaken", Assert.Single(second.Outcomes).Failure?.Code);
    }
}
