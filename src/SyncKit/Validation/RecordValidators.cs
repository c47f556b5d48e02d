using FluentValidation;
using SyncKit.Errors;
using SyncKit.Records;

namespace SyncKit.Validation;

/// <summary>Structural rules every ledger needs, checked on the mapped record before any call. Messages follow Xero's wording.</summary>
internal sealed class DocumentRecordValidator : AbstractValidator<DocumentRecord>
{
    public DocumentRecordValidator()
    {
        RuleFor(d => d.Lines).NotEmpty().WithMessage("One or more line items must be specified").WithErrorCode(FailureCodes.InvalidData);
        RuleFor(d => d.CurrencyCode).Matches("^[A-Za-z]{3}$").WithMessage("The currency '{PropertyValue}' is not an ISO 4217 code.").WithErrorCode(FailureCodes.InvalidData);
        RuleFor(d => d.ContactSourceId).NotEmpty()
            .WithMessage("The Contact must contain at least 1 of the following elements to identify the contact: Name, ContactID, ContactNumber")
            .WithErrorCode(FailureCodes.InvalidData);
        RuleForEach(d => d.Lines).ChildRules(line =>
        {
            line.RuleFor(l => l.Quantity).GreaterThanOrEqualTo(0m)
                .WithMessage(l => $"The quantity value '{l.Quantity:0.0000}' is invalid. Quantity must not be less than zero.")
                .WithErrorCode(FailureCodes.InvalidData);
            line.RuleFor(l => l.DiscountRate).InclusiveBetween(0m, 100m).When(l => l.DiscountRate is not null)
                .WithMessage(l => $"The discount rate '{l.DiscountRate:0.00}' is invalid.")
                .WithErrorCode(FailureCodes.InvalidData);
            line.RuleFor(l => l.AccountKey).NotEmpty().When(l => string.IsNullOrEmpty(l.ItemKey))
                .WithMessage("Account code must be specified")
                .WithErrorCode(FailureCodes.InvalidData);
        });
    }
}

internal sealed class ContactRecordValidator : AbstractValidator<ContactRecord>
{
    public ContactRecordValidator()
    {
        RuleFor(c => c.Name).NotEmpty()
            .WithMessage("The Contact must contain at least 1 of the following elements to identify the contact: Name, ContactID, ContactNumber")
            .WithErrorCode(FailureCodes.InvalidData);
        RuleFor(c => c.Name).MaximumLength(255).WithErrorCode(FailureCodes.InvalidData);
        RuleFor(c => c.Email).EmailAddress().When(c => !string.IsNullOrEmpty(c.Email))
            .WithMessage("The email address '{PropertyValue}' is not valid.")
            .WithErrorCode(FailureCodes.InvalidData);
    }
}

internal sealed class ItemRecordValidator : AbstractValidator<ItemRecord>
{
    public ItemRecordValidator()
    {
        RuleFor(i => i.Code).NotEmpty().MaximumLength(30).WithErrorCode(FailureCodes.InvalidData);
        RuleFor(i => i.Name).NotEmpty().MaximumLength(50).WithErrorCode(FailureCodes.InvalidData);
    }
}

internal sealed class PaymentRecordValidator : AbstractValidator<PaymentRecord>
{
    public PaymentRecordValidator()
    {
        RuleFor(p => p.Amount).GreaterThan(0m).WithMessage("The payment amount must be greater than zero.").WithErrorCode(FailureCodes.InvalidData);
        RuleFor(p => p.DocumentKind).Must(k => k is RecordKind.Invoice or RecordKind.CreditNote or RecordKind.Bill)
            .WithMessage("A payment applies to an invoice, a credit note or a bill.").WithErrorCode(FailureCodes.InvalidData);
        RuleFor(p => p.AccountKey).NotEmpty().WithMessage("Account code or ID must be specified").WithErrorCode(FailureCodes.InvalidData);
    }
}

internal sealed class CostRecordValidator : AbstractValidator<CostRecord>
{
    public CostRecordValidator()
    {
        RuleFor(c => c.Description).NotEmpty().WithErrorCode(FailureCodes.InvalidData);
        RuleFor(c => c.Quantity).GreaterThan(0m).WithErrorCode(FailureCodes.InvalidData);
    }
}

internal sealed class JobRecordValidator : AbstractValidator<JobRecord>
{
    public JobRecordValidator()
    {
        RuleFor(j => j.Name).NotEmpty().WithErrorCode(FailureCodes.InvalidData);
        RuleFor(j => j.State).NotEmpty().WithErrorCode(FailureCodes.InvalidData);
    }
}
