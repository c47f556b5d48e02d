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
        // Enum.IsDefined, not IsInEnum: IsInEnum reads the enum's attributes by reflection on every record.
        RuleFor(d => d.Status).Must(Enum.IsDefined)
            .WithMessage(d => $"The status '{(int)d.Status}' is not one SyncKit can send (Draft, Submitted or Authorised).")
            .WithErrorCode(FailureCodes.InvalidData);
        RuleFor(d => d.LineAmountType).Must(Enum.IsDefined)
            .WithMessage(d => $"The line amount type '{(int)d.LineAmountType}' is not one SyncKit can send (Exclusive, Inclusive or NoTax).")
            .WithErrorCode(FailureCodes.InvalidData);
        RuleFor(d => d.Total).Must(t => t is null || AmountLimits.Fits(t.Value))
            .WithMessage(d => $"The total {d.Total} is larger than Xero accepts ({AmountLimits.MaxText} at most).")
            .WithErrorCode(FailureCodes.AmountOutOfRange);
        RuleFor(d => d.Lines).Custom((lines, context) =>
        {
            if (lines is null)
            {
                return;
            }

            for (var i = 0; i < lines.Count; i++)
            {
                if (lines[i] is not { } line)
                {
                    context.AddFailure(new FluentValidation.Results.ValidationFailure("Lines", $"Line {i + 1} is empty.") { ErrorCode = FailureCodes.InvalidData });
                    continue;
                }

                if (AmountLimits.LineProblem(line.Quantity, line.UnitPrice) is { } problem)
                {
                    context.AddFailure(new FluentValidation.Results.ValidationFailure("Lines", $"Line {i + 1}: {problem}") { ErrorCode = FailureCodes.AmountOutOfRange });
                }

                if (line.Tracking is null || line.Tracking.Any(t => t is null))
                {
                    context.AddFailure(new FluentValidation.Results.ValidationFailure("Lines", $"Line {i + 1} has an empty tracking assignment.") { ErrorCode = FailureCodes.InvalidData });
                }
            }
        });
        RuleFor(d => d.CurrencyCode).Must(IsCurrencyCode).WithMessage("The currency '{PropertyValue}' is not an ISO 4217 code.").WithErrorCode(FailureCodes.InvalidData);
        RuleFor(d => d.ContactSourceId).NotEmpty()
            .WithMessage("The Contact must contain at least 1 of the following elements to identify the contact: Name, ContactID, ContactNumber")
            .WithErrorCode(FailureCodes.InvalidData);

        // Each line's own rules in one pass, in the order a child validator per line ran them (that cost more than the rules).
        RuleFor(d => d.Lines).Custom((lines, context) =>
        {
            if (lines is null)
            {
                return;
            }

            foreach (var line in lines)
            {
                if (line is null)
                {
                    continue;
                }

                if (line.Quantity < 0m)
                {
                    context.AddFailure(new FluentValidation.Results.ValidationFailure("Lines", $"The quantity value '{line.Quantity:0.0000}' is invalid. Quantity must not be less than zero.") { ErrorCode = FailureCodes.InvalidData });
                }

                if (line.DiscountRate is { } rate && (rate < 0m || rate > 100m))
                {
                    context.AddFailure(new FluentValidation.Results.ValidationFailure("Lines", $"The discount rate '{line.DiscountRate:0.00}' is invalid.") { ErrorCode = FailureCodes.InvalidData });
                }

                if (string.IsNullOrEmpty(line.ItemKey) && string.IsNullOrWhiteSpace(line.AccountKey))
                {
                    context.AddFailure(new FluentValidation.Results.ValidationFailure("Lines", "Account code must be specified") { ErrorCode = FailureCodes.InvalidData });
                }
            }
        });
    }

    // What the pattern ^[A-Za-z]{3}$ accepted (its $ also before a final newline), without a regular expression per record.
    private static bool IsCurrencyCode(string? code) =>
        code is null
        || ((code.Length == 3 || (code.Length == 4 && code[3] == '\n')) && char.IsAsciiLetter(code[0]) && char.IsAsciiLetter(code[1]) && char.IsAsciiLetter(code[2]));
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
        RuleFor(p => p.Amount).Must(AmountLimits.Fits)
            .WithMessage(p => $"The payment amount {p.Amount} is larger than Xero accepts ({AmountLimits.MaxText} at most).")
            .WithErrorCode(FailureCodes.AmountOutOfRange);
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
        RuleFor(c => c).Custom((cost, context) =>
        {
            if ((AmountLimits.LineProblem(cost.Quantity, cost.UnitCost) ?? AmountLimits.LineProblem(cost.Quantity, cost.UnitPrice)) is { } problem)
            {
                context.AddFailure(new FluentValidation.Results.ValidationFailure("UnitPrice", problem) { ErrorCode = FailureCodes.AmountOutOfRange });
            }
        });
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

/// <summary>
/// The largest amounts SyncKit sends. Xero does not publish its bound; these keep every product and sum inside
/// <see cref="decimal"/> (so no calculation can overflow) and far above any real invoice.
/// </summary>
internal static class AmountLimits
{
    public const decimal Max = 999_999_999_999.9999m;

    public const string MaxText = "999,999,999,999.9999";

    public static bool Fits(decimal amount) => Math.Abs(amount) <= Max;

    /// <summary>What is wrong with a line's quantity and price, in plain words, or null when the line can be sent.</summary>
    public static string? LineProblem(decimal quantity, decimal unitPrice)
    {
        if (!Fits(unitPrice))
        {
            return $"the unit price {unitPrice} is larger than Xero accepts ({MaxText} at most).";
        }

        if (!Fits(quantity))
        {
            return $"the quantity {quantity} is larger than Xero accepts ({MaxText} at most).";
        }

        // Both fit, so the product cannot overflow.
        return Fits(quantity * unitPrice) ? null : $"the line amount ({quantity} × {unitPrice}) is larger than Xero accepts ({MaxText} at most).";
    }
}
