using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SyncKit.Storage;
using SyncKit.Testing.Emulator;

namespace SyncKit.AspNetCore.Tests.Webhooks;

/// <summary>The receiver against the emulator: intent to receive, enqueue before work, replays, unknown categories, pulls.</summary>
public sealed class ReceiverTests
{
    private const string Walkin = "Walk-in Customer";

    [Fact]
    public async Task The_emulator_s_intent_to_receive_check_is_answered_and_activates_the_webhook()
    {
        await using var host = await WebhookHost.CreateAsync();

        Assert.Equal(EmulatorWebhookStatus.Active, host.Webhook.Status);
    }

    [Fact]
    public async Task The_200_is_answered_after_the_event_is_stored_and_before_any_pull()
    {
        await using var host = await WebhookHost.CreateAsync();
        var contactId = CreateContact(host, "Acme Pty Ltd");
        var callsBefore = host.Emulator.GetStats().TotalCalls;

        await host.Emulator.DeliverWebhooksAsync();

        Assert.Equal(1, host.Emulator.GetWebhook()!.Delivered);
        Assert.NotNull(await host.Inbox.GetLastReceivedAsync(host.TenantId));
        Assert.Empty(host.Contacts.Applied);
        Assert.Equal(callsBefore, host.Emulator.GetStats().TotalCalls);

        await host.ProcessWebhooksAsync();

        Assert.Equal(1, host.Contacts.Applied[contactId]);
    }

    [Fact]
    public async Task A_replayed_delivery_is_answered_200_and_changes_nothing()
    {
        await using var host = await WebhookHost.CreateAsync();
        var contactId = CreateContact(host, "Replay Ltd");
        await host.ProcessWebhooksAsync();
        var body = host.Delivery1("CONTACT", contactId, "CREATE", WebhookHost.Start);
        using (var first = await host.PostAsync(body, host.Sign(body)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        await host.ProcessWebhooksAsync();
        var calls = host.Emulator.GetStats().TotalCalls;

        using var replay = await host.PostAsync(body, host.Sign(body));
        var processed = await host.ProcessWebhooksAsync();

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(0, processed);
        Assert.Equal(calls, host.Emulator.GetStats().TotalCalls);
        Assert.Equal(1, host.Contacts.Applied[contactId]);
    }

    [Fact]
    public async Task An_event_of_an_unknown_category_is_accepted_ignored_and_costs_no_call()
    {
        await using var host = await WebhookHost.CreateAsync();
        var body = host.Delivery1("PREPAYMENT", Guid.NewGuid().ToString());
        var calls = host.Emulator.GetStats().TotalCalls;

        using var response = await host.PostAsync(body, host.Sign(body));
        var finished = await host.ProcessWebhooksAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, finished);
        Assert.Equal(calls, host.Emulator.GetStats().TotalCalls);
        var claimed = await host.Inbox.ClaimAsync("check", host.Time.GetUtcNow(), host.Time.GetUtcNow().AddMinutes(1), host.Time.GetUtcNow(), 10);
        Assert.Empty(claimed);
    }

    [Fact]
    public async Task An_invoice_paid_in_Xero_reaches_the_host_through_a_webhook_triggered_pull()
    {
        await using var host = await WebhookHost.CreateAsync();
        host.Payments.Open["h-75"] = 75m;
        var invoiceId = CreateInvoice(host, "W-1", 75m);
        await host.ProcessWebhooksAsync();
        Assert.Empty(host.Payments.Paid);

        var paymentId = Pay(host, invoiceId, 75m);
        await host.ProcessWebhooksAsync();

        Assert.Equal(paymentId, host.Payments.Paid["h-75"]);
        var runs = await host.App.Services.GetRequiredService<ISyncEngine>().GetActivityAsync(host.TenantId);
        Assert.Contains(runs, r => r.Trigger == Runs.SyncTrigger.Webhook && r.Counts.Synced == 1);
    }

    [Fact]
    public async Task A_credit_note_event_becomes_a_targeted_pull_of_that_credit_note()
    {
        await using var host = await WebhookHost.CreateAsync();
        var creditNoteId = Id(host.ActAsUser("CreditNotes", $$"""{"CreditNotes":[{"Type":"ACCRECCREDIT","CreditNoteNumber":"CN-W1","Contact":{"Name":"{{Walkin}}"},"Date":"2026-11-20","Status":"AUTHORISED","LineAmountTypes":"NoTax","LineItems":[{"Description":"Refund","Quantity":1,"UnitAmount":20,"AccountCode":"200"}]}]}"""), "CreditNotes", "CreditNoteID");

        await host.ProcessWebhooksAsync();

        var calls = host.Emulator.GetStats().Calls[host.Tenant.TenantId];
        Assert.Equal(1, calls.GetValueOrDefault("GET CreditNotes"));
        var runs = await host.App.Services.GetRequiredService<ISyncEngine>().GetActivityAsync(host.TenantId);
        Assert.Contains(runs, r => r.Trigger == Runs.SyncTrigger.Webhook && r.Kinds.Contains(Records.RecordKind.CreditNote));
        Assert.False(string.IsNullOrEmpty(creditNoteId));
    }

    [Fact]
    public async Task With_webhooks_dropped_for_a_day_Xero_disables_the_webhook_and_reconciliation_still_catches_the_payment()
    {
        await using var host = await WebhookHost.CreateAsync();
        host.Payments.Open["h-40"] = 40m;
        var invoiceId = CreateInvoice(host, "W-2", 40m);
        await host.ProcessWebhooksAsync();
        host.Emulator.DropWebhooks(true);

        var paymentId = Pay(host, invoiceId, 40m);
        for (var hour = 0; hour <= 30 && host.Emulator.GetWebhook()!.Status == EmulatorWebhookStatus.Active; hour++)
        {
            await host.Emulator.DeliverWebhooksAsync();
            host.Time.Advance(TimeSpan.FromHours(1));
        }

        Assert.Equal(EmulatorWebhookStatus.Disabled, host.Emulator.GetWebhook()!.Status);
        await host.ProcessWebhooksAsync();
        Assert.Empty(host.Payments.Paid);

        var run = Assert.Single(await host.Processor.ReconcileAsync());

        Assert.True(run.Outcome == Runs.RunOutcome.Completed, run.Message);
        Assert.Equal(paymentId, host.Payments.Paid["h-40"]);
    }

    [Fact]
    public async Task Events_claimed_by_a_processor_that_stopped_are_pulled_once_its_claim_runs_out()
    {
        await using var host = await WebhookHost.CreateAsync();
        var contactId = CreateContact(host, "Crashed Node Ltd");
        await host.Emulator.DeliverWebhooksAsync();
        host.Time.Advance(TimeSpan.FromSeconds(5));
        var now = host.Time.GetUtcNow();
        Assert.Single(await host.Inbox.ClaimAsync("node-that-stopped", now, now.AddMinutes(10), now, 100));

        Assert.Equal(0, await host.Processor.ProcessDueAsync());
        Assert.Empty(host.Contacts.Applied);

        host.Time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await host.Processor.ProcessDueAsync());

        Assert.Equal(1, host.Contacts.Applied[contactId]);
    }

    [Fact]
    public async Task The_health_check_reports_webhooks_that_have_gone_quiet()
    {
        await using var host = await WebhookHost.CreateAsync();
        var health = host.App.Services.GetRequiredService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>();
        CreateContact(host, "Heard Of Ltd");
        await host.Emulator.DeliverWebhooksAsync();
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);

        host.Time.Advance(TimeSpan.FromDays(3));
        var report = await health.CheckHealthAsync();

        var entry = report.Entries["synckit"];
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded, entry.Status);
        Assert.Contains("No Xero webhook received since 2026-11-30", entry.Description, StringComparison.Ordinal);
    }

    private static string CreateContact(WebhookHost host, string name) =>
        Id(host.ActAsUser("Contacts", $$"""{"Contacts":[{"Name":"{{name}}"}]}"""), "Contacts", "ContactID");

    private static string CreateInvoice(WebhookHost host, string number, decimal amount) =>
        Id(host.ActAsUser("Invoices", $$"""{"Invoices":[{"Type":"ACCREC","InvoiceNumber":"{{number}}","Contact":{"Name":"{{Walkin}}"},"Date":"2026-11-20","DueDate":"2026-12-20","Status":"AUTHORISED","LineAmountTypes":"NoTax","LineItems":[{"Description":"Typed in Xero","Quantity":1,"UnitAmount":{{amount}},"AccountCode":"200"}]}]}"""), "Invoices", "InvoiceID");

    private static string Pay(WebhookHost host, string invoiceId, decimal amount) =>
        Id(host.ActAsUser("Payments", $$"""{"Payments":[{"Invoice":{"InvoiceID":"{{invoiceId}}"},"Account":{"Code":"090"},"Date":"2026-11-21","Amount":{{amount}}}]}"""), "Payments", "PaymentID");

    private static string Id(string answer, string collection, string field)
    {
        using var document = JsonDocument.Parse(answer);
        return document.RootElement.GetProperty(collection)[0].GetProperty(field).GetString()!;
    }
}
