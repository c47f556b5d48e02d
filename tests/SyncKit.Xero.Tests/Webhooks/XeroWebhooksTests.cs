using System.Security.Cryptography;
using System.Text;
using SyncKit.Records;

namespace SyncKit.Xero.Tests.Webhooks;

public sealed class XeroWebhooksTests
{
    private const string Key = "webhook-key-from-the-portal";

    // Xero's own example (xero-webhooks.yaml, creditNoteCreate), plus an event of a category announced for later.
    private static readonly byte[] s_body = Encoding.UTF8.GetBytes("""
        {"events":[
          {"resourceUrl":"https://api.xero.com/api.xro/2.0/CreditNotes/55d84274-a3da-4829-a7c0-0cab601b95cc","resourceId":"55d84274-a3da-4829-a7c0-0cab601b95cc",
           "tenantId":"aef86862-2015-4b6b-88bc-d89032cecc50","tenantType":"ORGANISATION","eventCategory":"CREDITNOTE","eventType":"CREATE",
           "eventDateUtc":"2025-12-02T00:44:09.923","data":{"Type":"ACCPAYCREDIT","Status":"DRAFT"}},
          {"resourceUrl":"https://api.xero.com/api.xro/2.0/Prepayments/0f4b7c5e-0000-4000-8000-000000000001","resourceId":"0f4b7c5e-0000-4000-8000-000000000001",
           "tenantId":"aef86862-2015-4b6b-88bc-d89032cecc50","tenantType":"ORGANISATION","eventCategory":"PREPAYMENT","eventType":"UPDATE",
           "eventDateUtc":"2026-04-01T10:00:00.000"}],
         "firstEventSequence":76,"lastEventSequence":77,"entropy":"FXNGWLCCGVANWHKILRUB"}
        """);

    private static string Sign(byte[] body, string key) => Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), body));

    [Fact]
    public void Signature_OfTheRawBodyWithTheWebhookKey_IsValid() =>
        Assert.True(XeroWebhooks.IsSignatureValid(s_body, Sign(s_body, Key), Key));

    [Fact]
    public void Signature_WithAnotherKey_IsRefused() =>
        Assert.False(XeroWebhooks.IsSignatureValid(s_body, Sign(s_body, "another key"), Key));

    [Fact]
    public void CreditNoteEvent_IsACreditNoteKind_WithItsData()
    {
        var events = XeroWebhooks.ParseEvents(s_body);

        var creditNote = events[0];
        Assert.Equal(RecordKind.CreditNote, creditNote.Kind);
        Assert.Equal("CREATE", creditNote.Type);
        Assert.Equal("55d84274-a3da-4829-a7c0-0cab601b95cc", creditNote.ResourceId);
        Assert.Equal("ACCPAYCREDIT", creditNote.Data["Type"]);
        Assert.Equal("DRAFT", creditNote.Data["Status"]);
        Assert.Equal(new DateTimeOffset(2025, 12, 2, 0, 44, 9, 923, TimeSpan.Zero), creditNote.OccurredAt);
    }

    [Fact]
    public void EventOfAnUnknownCategory_IsKept_WithNoKind_ToBeIgnored()
    {
        var events = XeroWebhooks.ParseEvents(s_body);

        Assert.Equal(2, events.Count);
        Assert.Equal("PREPAYMENT", events[1].Category);
        Assert.Null(events[1].Kind);
        Assert.Empty(events[1].Data);
    }

    [Fact]
    public void IntentToReceive_HasNoEvents() =>
        Assert.Empty(XeroWebhooks.ParseEvents("""{"events":[],"firstEventSequence":0,"lastEventSequence":0,"entropy":"X"}"""u8));
}
