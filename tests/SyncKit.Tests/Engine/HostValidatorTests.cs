using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using SyncKit.Errors;
using SyncKit.Ledger;
using SyncKit.Records;

namespace SyncKit.Tests.Engine;

public sealed class HostValidatorTests
{
    [Fact]
    public async Task HostsFluentValidator_RunsBeforeSending_AndItsCodeSelectsTheHostsRule()
    {
        await using var harness = new EngineHarness(build: b =>
        {
            b.Services.AddSingleton<IValidator<InvoiceRecord>, ReferenceRequired>();
            b.AddErrorRules(r => r.Add(new ErrorRule
            {
                Id = "host.reference-required",
                Category = "MissingReference",
                Disposition = ErrorDisposition.UserAction,
                Reason = "Purchase order number missing",
                Resolution = ["Enter the customer's PO number on the invoice."],
                Codes = ["ReferenceRequired"],
            }));
        });
        var demo = await harness.LoadDemoAsync(customers: 5, invoices: 20);
        harness.Sources.Invoices.Put(EngineHarness.Tenant, demo.Invoices[0] with { Reference = null });

        await harness.SyncAllAsync();

        var entry = await harness.RequiredEntryAsync(RecordKind.Invoice, demo.Invoices[0].SourceId);
        Assert.Equal(LedgerState.Failed, entry.State);
        Assert.Equal("MissingReference", entry.Error!.Category);
        Assert.Equal("The customer's PO number is required.", entry.Error.Message);
        Assert.Equal(LedgerState.Synced, (await harness.RequiredEntryAsync(RecordKind.Invoice, demo.Invoices[1].SourceId)).State);
    }

    private sealed class ReferenceRequired : AbstractValidator<InvoiceRecord>
    {
        public ReferenceRequired() =>
            RuleFor(i => i.Reference).NotEmpty().WithMessage("The customer's PO number is required.").WithErrorCode("ReferenceRequired");
    }
}
