using Microsoft.Extensions.DependencyInjection;
using SyncKit.Errors;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Settings;
using SyncKit.Sources;
using SyncKit.Testing.Demo;

namespace SyncKit.Tests.Engine;

/// <summary>
/// A tenant's settings read by every push path (one record, a retry, a preview, a sync naming kinds, Sync All), and its
/// sending policies taking the place of the process-wide options for that tenant's runs.
/// </summary>
public sealed class TenantSettingsTests
{
    private const string NotPushedRule = "engine.not-pushed-for-tenant";

    private static Task SaveAsync(EngineHarness harness, TenantSettings settings) => harness.Engine.SaveTenantSettingsAsync(settings);

    private static TenantSettings Direction(RecordKind kind, SyncDirection direction) =>
        new() { TenantId = EngineHarness.Tenant, Directions = new Dictionary<RecordKind, SyncDirection> { [kind] = direction } };

    private static async Task<SyncRun> LastRunAsync(EngineHarness harness) => (await harness.Engine.GetActivityAsync(EngineHarness.Tenant, 1))[0];

    [Theory]
    [InlineData(SyncDirection.Both, LedgerState.Synced)]
    [InlineData(SyncDirection.PushOnly, LedgerState.Synced)]
    [InlineData(SyncDirection.PullOnly, null)]
    [InlineData(SyncDirection.Off, null)]
    public async Task One_record_is_pushed_only_when_its_kind_is_pushed_and_otherwise_refused_in_the_activity_log(SyncDirection direction, LedgerState? sent)
    {
        await using var harness = new EngineHarness();
        var demo = await harness.LoadDemoAsync(customers: 5, invoices: 20);
        await SaveAsync(harness, Direction(RecordKind.Contact, direction));
        var key = new LedgerKey(EngineHarness.Tenant, RecordKind.Contact, demo.Contacts[0].SourceId);

        var outcome = await harness.Engine.SyncRecordAsync(key, "accountant");

        var run = await LastRunAsync(harness);
        if (sent is { } state)
        {
            Assert.Equal(state, outcome.State);
            Assert.NotEqual(RunOutcome.Refused, run.Outcome);
            return;
        }

        Assert.Equal(NotPushedRule, outcome.Error!.RuleId);
        Assert.Equal(ErrorCategories.Configuration, outcome.Error.Category);
        Assert.Equal((RunOutcome.Refused, key.ToString()), (run.Outcome, run.RecordKey));
        Assert.Contains(direction == SyncDirection.Off ? "turned off" : "pull-only", run.Message, StringComparison.Ordinal);
        Assert.Equal(0, harness.Connector.Pushes);
        Assert.Null(await harness.EntryAsync(RecordKind.Contact, key.SourceId));
    }

    [Fact]
    public async Task A_payment_is_refused_when_the_tenant_turned_pushing_payments_off()
    {
        await using var harness = new EngineHarness();
        var demo = await harness.LoadDemoAsync(customers: 5, invoices: 20);
        await SaveAsync(harness, new TenantSettings { TenantId = EngineHarness.Tenant, PushPayments = false });

        var outcome = await harness.Engine.SyncRecordAsync(new LedgerKey(EngineHarness.Tenant, RecordKind.Payment, demo.Payments[0].SourceId));

        Assert.Equal(NotPushedRule, outcome.Error!.RuleId);
        Assert.Equal("Not pushed: Pushing payments is turned off in this tenant's settings.", (await LastRunAsync(harness)).Message);
    }

    [Fact]
    public async Task A_retry_of_one_record_of_a_kind_no_longer_pushed_is_refused_and_the_record_left_as_it_was()
    {
        await using var harness = new EngineHarness();
        await harness.LoadDemoAsync();
        await harness.SyncAllAsync();
        await SaveAsync(harness, Direction(RecordKind.Invoice, SyncDirection.PullOnly));
        var key = new LedgerKey(EngineHarness.Tenant, RecordKind.Invoice, DemoProblems.LockDate);

        var run = await harness.Engine.RetryAsync(new RetryRequest { TenantId = EngineHarness.Tenant, Key = key });

        Assert.Equal(RunOutcome.Refused, run.Outcome);
        Assert.Equal(LedgerState.Failed, (await harness.RequiredEntryAsync(RecordKind.Invoice, key.SourceId)).State);
    }

    [Fact]
    public async Task A_retry_of_every_failed_record_of_a_kind_no_longer_pushed_is_refused_and_makes_none_due()
    {
        await using var harness = new EngineHarness();
        await harness.LoadDemoAsync();
        await harness.SyncAllAsync();
        await SaveAsync(harness, Direction(RecordKind.Invoice, SyncDirection.Off));
        var pushesBefore = harness.Connector.Pushes;

        var run = await harness.Engine.RetryAsync(new RetryRequest { TenantId = EngineHarness.Tenant, Kinds = [RecordKind.Invoice] });

        Assert.Equal(RunOutcome.Refused, run.Outcome);
        Assert.Equal(pushesBefore, harness.Connector.Pushes);
        Assert.Equal(LedgerState.Failed, (await harness.RequiredEntryAsync(RecordKind.Invoice, DemoProblems.LockDate)).State);
    }

    [Fact]
    public async Task A_sync_naming_a_kind_not_pushed_runs_the_others_and_says_which_it_left()
    {
        await using var harness = new EngineHarness();
        await harness.LoadDemoAsync(customers: 5, invoices: 20);
        await SaveAsync(harness, Direction(RecordKind.Item, SyncDirection.PullOnly));

        var run = await harness.Engine.SyncAsync(new SyncRequest { TenantId = EngineHarness.Tenant, Kinds = [RecordKind.Contact, RecordKind.Item] });

        Assert.Equal(RunOutcome.Completed, run.Outcome);
        Assert.Contains("Not pushed: Item records are pull-only", run.Message, StringComparison.Ordinal);
        Assert.Equal(run.Message, (await LastRunAsync(harness)).Message);
        Assert.Empty(harness.Ledger.RecordsOf(RecordKind.Item));
        Assert.NotEmpty(harness.Ledger.RecordsOf(RecordKind.Contact));
    }

    [Fact]
    public async Task A_sync_naming_only_kinds_not_pushed_is_refused()
    {
        await using var harness = new EngineHarness();
        await harness.LoadDemoAsync(customers: 5, invoices: 20);
        await SaveAsync(harness, Direction(RecordKind.Contact, SyncDirection.PullOnly));

        var run = await harness.Engine.SyncAsync(new SyncRequest { TenantId = EngineHarness.Tenant, Kinds = [RecordKind.Contact] });

        Assert.Equal(RunOutcome.Refused, run.Outcome);
        Assert.Equal(0, harness.Connector.Pushes);
    }

    [Fact]
    public async Task Sync_All_leaves_a_kind_not_pushed_alone_without_a_refusal()
    {
        await using var harness = new EngineHarness();
        await harness.LoadDemoAsync(customers: 5, invoices: 20);
        await SaveAsync(harness, Direction(RecordKind.Cost, SyncDirection.PullOnly));

        var run = await harness.SyncAllAsync();

        Assert.NotEqual(RunOutcome.Refused, run.Outcome);
        Assert.DoesNotContain("Not pushed", run.Message ?? string.Empty, StringComparison.Ordinal);
        Assert.Empty(await harness.AllEntriesAsync().ContinueWith(t => t.Result.Where(e => e.Kind == RecordKind.Cost).ToList(), TaskScheduler.Default));
    }

    [Fact]
    public async Task The_preview_shows_the_records_of_a_kind_not_pushed_as_not_sent_with_the_reason()
    {
        await using var harness = new EngineHarness();
        var demo = await harness.LoadDemoAsync(customers: 5, invoices: 20);
        await SaveAsync(harness, Direction(RecordKind.Contact, SyncDirection.PullOnly));

        var preview = await harness.Engine.PreviewAsync(new SyncRequest { TenantId = EngineHarness.Tenant });

        var contacts = preview.Lines.Where(l => l.Key.Kind == RecordKind.Contact).ToList();
        Assert.Equal(demo.Contacts.Count, contacts.Count);
        Assert.All(contacts, l => Assert.Equal((false, LedgerState.Skipped, NotPushedRule), (l.Ready, l.State, l.Error!.RuleId)));
    }

    [Fact]
    public async Task The_preview_and_Sync_All_show_a_push_held_for_a_conflict_and_do_not_send_it()
    {
        await using var harness = new EngineHarness();
        var demo = await harness.LoadDemoAsync(customers: 5, invoices: 20);
        await harness.SyncAllAsync();
        var contact = demo.Contacts[0];
        var entry = await harness.RequiredEntryAsync(RecordKind.Contact, contact.SourceId);
        var reason = new SyncError { Category = ErrorCategories.NotSent, Disposition = ErrorDisposition.UserAction, Reason = "Changed here and in Xero: choose a version", Message = "waits", RuleId = SyncKit.Inbound.ConflictHold.RuleId };
        await harness.LedgerStore.SaveAsync([LedgerTransitions.Apply(entry, new LedgerEvent.HeldForConflict(reason), harness.Time.GetUtcNow())]);
        harness.Sources.Contacts.Put(EngineHarness.Tenant, contact with { Name = contact.Name + " (edited)" });
        var pushesBefore = harness.Ledger.RecordsOf(RecordKind.Contact).Single(r => r.RemoteId == entry.RemoteId).Writes;

        var preview = await harness.Engine.PreviewAsync(new SyncRequest { TenantId = EngineHarness.Tenant, Kinds = [RecordKind.Contact] });
        await harness.SyncAllAsync();

        var line = preview.Lines.Single(l => l.Key.SourceId == contact.SourceId);
        Assert.Equal((false, LedgerState.Held, SyncKit.Inbound.ConflictHold.RuleId), (line.Ready, line.State, line.Error!.RuleId));
        Assert.Equal(LedgerState.Held, (await harness.RequiredEntryAsync(RecordKind.Contact, contact.SourceId)).State);
        Assert.Equal(pushesBefore, harness.Ledger.RecordsOf(RecordKind.Contact).Single(r => r.RemoteId == entry.RemoteId).Writes);
    }

    [Theory]
    [InlineData(null, LedgerState.Skipped)]
    [InlineData(ZeroValuePolicy.Send, LedgerState.Synced)]
    [InlineData(ZeroValuePolicy.SkipUnlessPaid, LedgerState.Skipped)]
    public async Task The_tenants_zero_value_policy_takes_the_place_of_the_process_wide_one(ZeroValuePolicy? tenant, LedgerState zeroUnpaid)
    {
        await using var harness = new EngineHarness(o => o.ZeroValueDocuments = ZeroValuePolicy.SkipUnlessPaid);
        await harness.LoadDemoAsync();
        await SaveAsync(harness, new TenantSettings { TenantId = EngineHarness.Tenant, ZeroValueDocuments = tenant });

        await harness.SyncAllAsync();

        Assert.Equal(zeroUnpaid, (await harness.RequiredEntryAsync(RecordKind.Invoice, DemoProblems.ZeroUnpaid)).State);
    }

    [Theory]
    [InlineData(null, LedgerState.Synced, 1)]
    [InlineData(NegativeInvoicePolicy.Skip, LedgerState.Skipped, 0)]
    public async Task The_tenants_negative_invoice_policy_takes_the_place_of_the_process_wide_one(NegativeInvoicePolicy? tenant, LedgerState negative, int creditNotes)
    {
        await using var harness = new EngineHarness();
        await harness.LoadDemoAsync();
        await SaveAsync(harness, new TenantSettings { TenantId = EngineHarness.Tenant, NegativeInvoices = tenant });

        await harness.SyncAllAsync();

        Assert.Equal(negative, (await harness.RequiredEntryAsync(RecordKind.Invoice, DemoProblems.NegativeTotal)).State);
        Assert.Equal(creditNotes, harness.Ledger.RecordsOf(RecordKind.CreditNote).Count);
    }

    [Theory]
    // The harness's process-wide rounding account is GL-ROUNDING; a tenant may turn it off (empty) or allow less.
    [InlineData(null, null, LedgerState.Synced, "Rounding")]
    [InlineData("", null, LedgerState.Synced, "RoundingDifference")]
    [InlineData(null, "0.001", LedgerState.Failed, null)]
    public async Task The_tenants_rounding_settings_take_the_place_of_the_process_wide_ones(string? account, string? maxAdjustment, LedgerState rounded, string? warning)
    {
        await using var harness = new EngineHarness();
        await harness.LoadDemoAsync();
        await SaveAsync(harness, new TenantSettings
        {
            TenantId = EngineHarness.Tenant,
            RoundingAccountKey = account,
            MaxRoundingAdjustment = maxAdjustment is null ? null : decimal.Parse(maxAdjustment, System.Globalization.CultureInfo.InvariantCulture),
        });

        await harness.SyncAllAsync();

        var entry = await harness.RequiredEntryAsync(RecordKind.Invoice, DemoProblems.Rounding);
        Assert.Equal(rounded, entry.State);
        Assert.Equal(warning, entry.Warnings.Select(w => w.Code).SingleOrDefault(c => c.StartsWith("Rounding", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData(true, true)]
    public async Task The_tenants_billing_contact_warning_takes_the_place_of_the_process_wide_one(bool? tenant, bool warned)
    {
        await using var harness = new EngineHarness(o => o.WarnOnMissingBillingContact = false);
        await harness.LoadDemoAsync();
        await SaveAsync(harness, new TenantSettings { TenantId = EngineHarness.Tenant, WarnOnMissingBillingContact = tenant });

        await harness.SyncAllAsync();

        var entry = await harness.RequiredEntryAsync(RecordKind.Contact, DemoProblems.MissingBillingContact);
        Assert.Equal(warned, entry.Warnings.Any(w => w.Code == "MissingBillingContact"));
    }

    [Theory]
    [InlineData(null, 2)]
    [InlineData(false, 2)]
    [InlineData(true, 1)]
    public async Task The_tenants_line_summarising_takes_the_place_of_the_process_wide_one(bool? tenant, int linesSent)
    {
        await using var harness = new EngineHarness(o => o.SummariseLines = false);
        var demo = await harness.LoadDemoAsync(customers: 5, invoices: 20);
        var line = new DocumentLine { Description = "Advice", UnitPrice = 100m, AccountKey = "GL-SALES", TaxKey = "TAX-GST" };
        harness.Sources.Invoices.Put(EngineHarness.Tenant, demo.Invoices[0] with { SourceId = "inv-two-lines", Number = "INV-TWO", Lines = [line, line with { Description = "More advice" }], Total = null });
        await SaveAsync(harness, new TenantSettings { TenantId = EngineHarness.Tenant, SummariseLines = tenant });

        await harness.SyncAllAsync();

        var entry = await harness.RequiredEntryAsync(RecordKind.Invoice, "inv-two-lines");
        var sent = (DocumentRecord)harness.Ledger.RecordsOf(RecordKind.Invoice).Single(r => r.RemoteId == entry.RemoteId).Record;
        Assert.Equal(linesSent, sent.Lines.Count);
    }

    [Theory]
    // The host's policy holds large invoices; a tenant may turn holding off, or hold every invoice.
    [InlineData(null, LedgerState.Held, LedgerState.Synced)]
    [InlineData(ApprovalHold.Off, LedgerState.Synced, LedgerState.Synced)]
    [InlineData(ApprovalHold.Always, LedgerState.Held, LedgerState.Held)]
    public async Task The_tenants_approval_hold_takes_the_place_of_the_policy(ApprovalHold? tenant, LedgerState large, LedgerState small)
    {
        await using var harness = new EngineHarness(build: b => b.UseApprovalPolicy<HoldLargeInvoices>());
        var demo = await harness.LoadDemoAsync(customers: 5, invoices: 20);
        var invoice = demo.Invoices[0];
        harness.Sources.Invoices.Put(EngineHarness.Tenant, invoice with { SourceId = "inv-large", Number = "INV-LARGE", Lines = [new DocumentLine { Description = "Big", UnitPrice = 50_000m, AccountKey = "GL-SALES", TaxKey = "TAX-GST" }], Total = null });
        harness.Sources.Invoices.Put(EngineHarness.Tenant, invoice with { SourceId = "inv-small", Number = "INV-SMALL", Lines = [new DocumentLine { Description = "Small", UnitPrice = 50m, AccountKey = "GL-SALES", TaxKey = "TAX-GST" }], Total = null });
        await SaveAsync(harness, new TenantSettings { TenantId = EngineHarness.Tenant, ApprovalHold = tenant, ApprovalHoldKinds = [RecordKind.Invoice] });

        await harness.SyncAllAsync();

        Assert.Equal(large, (await harness.RequiredEntryAsync(RecordKind.Invoice, "inv-large")).State);
        Assert.Equal(small, (await harness.RequiredEntryAsync(RecordKind.Invoice, "inv-small")).State);
        Assert.NotEqual(LedgerState.Held, (await harness.RequiredEntryAsync(RecordKind.Contact, invoice.ContactSourceId)).State);
    }

    [Fact]
    public async Task Settings_saved_during_a_run_apply_from_the_next_run()
    {
        await using var harness = new EngineHarness(o => o.ZeroValueDocuments = ZeroValuePolicy.SkipUnlessPaid);
        await harness.LoadDemoAsync();
        await harness.SyncAllAsync();
        await SaveAsync(harness, new TenantSettings { TenantId = EngineHarness.Tenant, ZeroValueDocuments = ZeroValuePolicy.Send });
        var zero = await harness.RequiredEntryAsync(RecordKind.Invoice, DemoProblems.ZeroUnpaid);

        await harness.Engine.UnskipAsync(zero.Key);
        await harness.SyncAllAsync();

        Assert.Equal(LedgerState.Synced, (await harness.RequiredEntryAsync(RecordKind.Invoice, DemoProblems.ZeroUnpaid)).State);
    }

    [Fact]
    public async Task A_host_settings_provider_decides_a_tenants_settings_without_any_saved()
    {
        await using var harness = new EngineHarness(build: b => b.UseTenantSettingsProvider<ContactsPullOnly>());
        var demo = await harness.LoadDemoAsync(customers: 5, invoices: 20);
        var key = new LedgerKey(EngineHarness.Tenant, RecordKind.Contact, demo.Contacts[0].SourceId);

        var outcome = await harness.Engine.SyncRecordAsync(key, "accountant");

        Assert.Equal(NotPushedRule, outcome.Error!.RuleId);
        Assert.Equal(0, harness.Connector.Pushes);
    }

    [Fact]
    public async Task A_host_settings_provider_is_given_the_stored_settings_to_build_on()
    {
        await using var harness = new EngineHarness(build: b => b.UseTenantSettingsProvider<PaymentsOffOverStored>());
        await SaveAsync(harness, Direction(RecordKind.Contact, SyncDirection.PullOnly));

        var settings = await harness.Engine.GetTenantSettingsAsync(EngineHarness.Tenant);

        Assert.Equal((SyncDirection.PullOnly, false), (settings.DirectionFor(RecordKind.Contact), settings.PushPayments));
    }

    [Fact]
    public async Task A_host_settings_provider_answering_null_leaves_the_defaults_of_a_tenant_with_none_saved()
    {
        await using var harness = new EngineHarness(build: b => b.UseTenantSettingsProvider<PaymentsOffOverStored>());

        var settings = await harness.Engine.GetTenantSettingsAsync(EngineHarness.Tenant);

        Assert.Equal((SyncDirection.Both, (bool?)null), (settings.DirectionFor(RecordKind.Contact), settings.PushPayments));
    }

    private sealed class ContactsPullOnly : TenantSettingsProvider
    {
        public override ValueTask<TenantSettings?> GetAsync(string tenantId, TenantSettings? stored, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<TenantSettings?>(new TenantSettings
            {
                TenantId = "template",
                Directions = new Dictionary<RecordKind, SyncDirection> { [RecordKind.Contact] = SyncDirection.PullOnly },
            });
    }

    private sealed class PaymentsOffOverStored : TenantSettingsProvider
    {
        public override ValueTask<TenantSettings?> GetAsync(string tenantId, TenantSettings? stored, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(stored is null ? null : stored with { PushPayments = false });
    }

    private sealed class HoldLargeInvoices : ApprovalPolicy
    {
        public override ValueTask<bool> ShouldHoldAsync(string tenantId, SyncRecord record, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(record is InvoiceRecord invoice && invoice.Lines.Sum(l => l.NetAmount) > 10_000m);
    }
}
