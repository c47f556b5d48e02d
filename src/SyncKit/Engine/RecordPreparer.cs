using System.Globalization;
using FluentValidation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SyncKit.Connectors;
using SyncKit.Errors;
using SyncKit.Ledger;
using SyncKit.Mapping;
using SyncKit.Records;
using SyncKit.Sources;
using SyncKit.Telemetry;
using SyncKit.Validation;

namespace SyncKit.Engine;

/// <summary>
/// Pre-flight for one record: the sending policies ($0, negative), mapping, validation against rules and
/// reference data, rounding and summarising, and the approval hold. Nothing here calls the ledger.
/// </summary>
internal sealed class RecordPreparer
{
    private static readonly DocumentRecordValidator s_documents = new();
    private static readonly ContactRecordValidator s_contacts = new();
    private static readonly ItemRecordValidator s_items = new();
    private static readonly PaymentRecordValidator s_payments = new();
    private static readonly CostRecordValidator s_costs = new();
    private static readonly JobRecordValidator s_jobs = new();

    // IEnumerable<IValidator<T>> per record type: made once, not twice per record.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Type> s_validatorsTypes = new();

    private readonly MappingProvider _mappings;
    private readonly ErrorClassifier _classifier;
    private readonly ApprovalPolicy? _approval;
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;

    public RecordPreparer(MappingProvider mappings, ErrorClassifier classifier, ApprovalPolicy? approval, IServiceProvider services)
    {
        _mappings = mappings;
        _classifier = classifier;
        _approval = approval;
        _services = services;
        _logger = (services.GetService(typeof(ILoggerFactory)) as ILoggerFactory)?.CreateLogger("SyncKit.Engine") ?? NullLogger.Instance;
    }

    /// <summary>The records a record refers to, so a chunk's links can be read in one go.</summary>
    public static IEnumerable<(RecordKind Kind, string SourceId)> LinksOf(SyncRecord record)
    {
        switch (record)
        {
            case DocumentRecord d:
                yield return (RecordKind.Contact, d.ContactSourceId);
                foreach (var line in d.Lines)
                {
                    if (line.ItemKey is { } item)
                    {
                        yield return (RecordKind.Item, item);
                    }
                }

                // A refund names the invoice it credits: the credit note is allocated to it once both are in Xero.
                var refunded = (d as CreditNoteRecord)?.OriginalInvoiceSourceId ?? (d as InvoiceRecord)?.RefundsInvoiceSourceId;
                if (refunded is not null)
                {
                    yield return (RecordKind.Invoice, refunded);
                }

                break;
            case PaymentRecord p:
                yield return (p.DocumentKind, p.DocumentSourceId);
                break;
            case JobRecord j:
                yield return (RecordKind.Client, j.ClientSourceId);
                break;
            case CostRecord c:
                yield return (RecordKind.Client, c.OrganisationKey);
                if (c.JobSourceId is { } job)
                {
                    yield return (RecordKind.Job, job);
                }

                break;
        }
    }

    public async Task<Preparation> PrepareAsync(SyncRecord record, LedgerEntry entry, RunScope scope, CancellationToken cancellationToken)
    {
        try
        {
            return await PrepareCoreAsync(record, entry, scope, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OverflowException)
        {
            return Fail(scope, new SyncFailure
            {
                Source = FailureSource.Validation,
                Code = FailureCodes.AmountOutOfRange,
                Kind = entry.Kind,
                Messages = ["A calculation with this record's amounts is larger than Xero accepts; check its quantities, prices and discounts."],
            });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Bad input never crashes a run: the record that caused it fails alone. The exception goes to the log, the
            // error tab gets words a user can act on.
            Log.PreparationThrew(_logger, ex, entry.Kind);
            return Fail(scope, new SyncFailure
            {
                Source = FailureSource.Internal,
                Code = FailureCodes.PreparationFailed,
                Kind = entry.Kind,
                Messages = [ex is NullReferenceException or ArgumentNullException
                    ? "A value SyncKit needs is missing from this record (an empty list, line or field)."
                    : $"This record's data could not be prepared: {ex.Message}"],
            });
        }
    }

    private async Task<Preparation> PrepareCoreAsync(SyncRecord record, LedgerEntry entry, RunScope scope, CancellationToken cancellationToken)
    {
        var warnings = new List<SyncWarning>();

        // 1. Structure, then the host's own validators, on the record as the host gave it: a record with no lines fails
        // as such rather than being taken for a $0 invoice by the policies.
        if ((ValidateStructure(record) ?? await ValidateWithHostValidatorsAsync(record, cancellationToken).ConfigureAwait(false)) is { } invalid)
        {
            return Fail(scope, invalid);
        }

        // 2. Policies that decide whether the record is sent at all, and in which shape.
        var policy = ApplyPolicies(record, entry, warnings, scope);
        if (policy.Outcome is { } notSent)
        {
            return notSent;
        }

        record = policy.Record;

        // 3. Mapping: host keys to ledger codes, and links to the ledger ids of related records.
        var mapper = new RecordMapper(scope, _mappings, cancellationToken);
        var mapped = await mapper.MapAsync(record).ConfigureAwait(false);
        if (mapper.Missing is { } missing)
        {
            var error = _classifier.Classify(missing.Failure, scope.Now);
            return new Preparation.Settled(new LedgerEvent.MappingMissing(error, missing.Key));
        }

        // 4. Summarise and round (on ledger codes, so tax rates are known).
        if (mapped is DocumentRecord document)
        {
            if (scope.Settings.SummariseLines)
            {
                document = LineSummary.Summarise(document);
            }

            var rounding = await ApplyRoundingAsync(document, scope, mapper, warnings).ConfigureAwait(false);
            if (rounding.Failure is { } roundingFailure)
            {
                return Fail(scope, roundingFailure);
            }

            mapped = rounding.Document;
        }

        // 5. The tenant's reference data (lock dates, accounts, tax, currency, jobs), on the ledger's codes.
        var failure = new ReferenceChecks(scope.Reference).Check(mapped, mapper.Links);
        if (failure is not null)
        {
            return Fail(scope, failure);
        }

        if (mapped is ContactRecord contact && scope.Settings.WarnOnMissingBillingContact && IsMissing(contact.BillingContact))
        {
            warnings.Add(new SyncWarning
            {
                Code = "MissingBillingContact",
                Message = $"No Primary or Billing Contact for {contact.Name}; invoices will be sent without a billing contact person.",
            });
        }

        // 6. Approval: a policy may hold the record until a user releases it (a released record is not held again).
        // The tenant's settings may turn the hold off, or hold every record of some kinds whatever the policy says.
        var released = entry.State == LedgerState.Pending && entry.PreviousState == LedgerState.Held;
        var hold = !released && scope.Settings.ApprovalHold switch
        {
            Settings.ApprovalHold.Off => false,
            Settings.ApprovalHold.Always when scope.Settings.HoldsAlways(record.Kind) => true,
            _ => _approval is not null && await _approval.ShouldHoldAsync(scope.TenantId, record, cancellationToken).ConfigureAwait(false),
        };
        if (hold)
        {
            return new Preparation.Settled(new LedgerEvent.HeldByPolicy());
        }

        return new Preparation.Ready(
            new PushElement
            {
                Key = entry.Key,
                Record = mapped,
                RemoteId = entry.RemoteId,
                Links = mapper.Links,
                ContentHash = entry.ContentHash ?? ContentHasher.Hash(record),
            },
            warnings);
    }

    private PolicyResult ApplyPolicies(SyncRecord record, LedgerEntry entry, List<SyncWarning> warnings, RunScope scope)
    {
        switch (record)
        {
            case InvoiceRecord invoice:
            {
                var total = invoice.Total ?? DocumentTotals.NetTotal(invoice);
                if (total == 0m)
                {
                    var skip = scope.Settings.ZeroValueDocuments switch
                    {
                        ZeroValuePolicy.Send => false,
                        ZeroValuePolicy.Skip => true,
                        _ => !invoice.IsPaid,
                    };
                    return skip
                        ? new(Fail(scope, Validation(FailureCodes.ZeroValue, record.Kind, $"The document total is 0.00 and it is {(invoice.IsPaid ? "paid" : "not paid")}.")), record)
                        : new(null, record);
                }

                if (total < 0m)
                {
                    if (scope.Settings.NegativeInvoices == NegativeInvoicePolicy.Skip)
                    {
                        return new(Fail(scope, Validation(FailureCodes.NegativeTotal, record.Kind, string.Create(CultureInfo.InvariantCulture, $"The document total is {total:0.00}."))), record);
                    }

                    warnings.Add(new SyncWarning
                    {
                        Code = "SentAsCreditNote",
                        Message = string.Create(CultureInfo.InvariantCulture, $"Invoice {invoice.DisplayName} has a negative total ({total:0.00}) and was sent as a credit note."),
                    });
                    return new(null, ToCreditNote(invoice));
                }

                break;
            }

            case PaymentRecord when entry.RemoteId is not null && entry.SyncedHash is not null && entry.SyncedHash != entry.ContentHash:
                return new(Fail(scope, Validation(FailureCodes.PaymentChanged, record.Kind, $"Payment '{record.DisplayName}' changed after it was synced; payments cannot be edited, only deleted.")), record);
        }

        return new(null, record);
    }

    private static CreditNoteRecord ToCreditNote(InvoiceRecord invoice) => new()
    {
        SourceId = invoice.SourceId,
        ContactSourceId = invoice.ContactSourceId,
        Number = invoice.Number,
        Reference = invoice.Reference,
        Date = invoice.Date,
        DueDate = invoice.DueDate,
        CurrencyCode = invoice.CurrencyCode,
        LineAmountType = invoice.LineAmountType,
        Status = invoice.Status,
        Lines = invoice.Lines.Select(l => l with { UnitPrice = -l.UnitPrice }).ToArray(),
        Total = invoice.Total is { } t ? -t : null,
        OriginalInvoiceSourceId = invoice.RefundsInvoiceSourceId,
    };

    private async Task<SyncFailure?> ValidateWithHostValidatorsAsync(SyncRecord record, CancellationToken cancellationToken)
    {
        var validatorsType = s_validatorsTypes.GetOrAdd(record.GetType(), static t => typeof(IEnumerable<>).MakeGenericType(typeof(IValidator<>).MakeGenericType(t)));
        if (_services.GetService(validatorsType) is not IEnumerable<IValidator> validators)
        {
            return null;
        }

        foreach (var validator in validators)
        {
            var context = new ValidationContext<object>(record);
            var result = await validator.ValidateAsync(context, cancellationToken).ConfigureAwait(false);
            if (!result.IsValid)
            {
                return FromValidation(result, record.Kind);
            }
        }

        return null;
    }

    private static SyncFailure? ValidateStructure(SyncRecord record)
    {
        FluentValidation.Results.ValidationResult? result = record switch
        {
            DocumentRecord d => s_documents.Validate(d),
            ContactRecord c => s_contacts.Validate(c),
            ItemRecord i => s_items.Validate(i),
            PaymentRecord p => s_payments.Validate(p),
            CostRecord c => s_costs.Validate(c),
            JobRecord j => s_jobs.Validate(j),
            _ => null,
        };
        return result is null || result.IsValid ? null : FromValidation(result, record.Kind);
    }

    // FluentValidation's own codes (NotEmptyValidator, ...) become InvalidData; a code a host sets is kept for its rules.
    private static SyncFailure FromValidation(FluentValidation.Results.ValidationResult result, RecordKind kind)
    {
        var code = result.Errors.Select(e => e.ErrorCode).FirstOrDefault(c => !string.IsNullOrEmpty(c) && !c.EndsWith("Validator", StringComparison.Ordinal))
            ?? FailureCodes.InvalidData;
        return new SyncFailure
        {
            Source = FailureSource.Validation,
            Code = code,
            Kind = kind,
            Messages = result.Errors.Select(e => e.ErrorMessage).Distinct(StringComparer.Ordinal).ToArray(),
        };
    }

    private async Task<(DocumentRecord Document, SyncFailure? Failure)> ApplyRoundingAsync(DocumentRecord document, RunScope scope, RecordMapper mapper, List<SyncWarning> warnings)
    {
        if (document.Total is not { } hostTotal)
        {
            return (document, null);
        }

        var ledgerTotal = DocumentTotals.LedgerTotal(document, scope.Reference);
        var difference = hostTotal - ledgerTotal;
        if (difference == 0m)
        {
            return (document, null);
        }

        var details = new Dictionary<string, string>
        {
            ["HostTotal"] = hostTotal.ToString("0.00", CultureInfo.InvariantCulture),
            ["LedgerTotal"] = ledgerTotal.ToString("0.00", CultureInfo.InvariantCulture),
        };
        if (Math.Abs(difference) > scope.Settings.MaxRoundingAdjustment)
        {
            return (document, new SyncFailure
            {
                Source = FailureSource.Validation,
                Code = FailureCodes.RoundingTooLarge,
                Kind = document.Kind,
                Details = details,
                Messages = [string.Create(CultureInfo.InvariantCulture, $"The host total {hostTotal:0.00} differs from the ledger total {ledgerTotal:0.00} by {difference:0.00}.")],
            });
        }

        if (scope.Settings.RoundingAccountKey is not { } roundingKey)
        {
            warnings.Add(new SyncWarning
            {
                Code = "RoundingDifference",
                Message = string.Create(CultureInfo.InvariantCulture, $"The total in your system ({hostTotal:0.00}) differs from Xero's ({ledgerTotal:0.00}) by {difference:0.00}; no rounding account is set, so Xero's total stands."),
            });
            return (document, null);
        }

        var account = await mapper.MapKeyAsync(MappingKind.Account, roundingKey).ConfigureAwait(false);
        if (account is null)
        {
            return (document, mapper.MissingFailure(MappingKind.Account, roundingKey, document.Kind));
        }

        var taxType = scope.Settings.RoundingTaxKey is { } taxKey ? await mapper.MapKeyAsync(MappingKind.TaxRate, taxKey).ConfigureAwait(false) : null;
        warnings.Add(new SyncWarning
        {
            Code = "Rounding",
            Message = string.Create(CultureInfo.InvariantCulture, $"Rounding of {difference:0.00} applied to account {account}: the lines are out of balance by {difference:0.00} when calculated in Xero ({ledgerTotal:0.00} against {hostTotal:0.00})."),
        });
        var line = new DocumentLine { Description = "Rounding", Quantity = 1m, UnitPrice = difference, AccountKey = account, TaxKey = taxType };
        return (document with { Lines = [.. document.Lines, line] }, null);
    }

    private static bool IsMissing(ContactPerson? person) =>
        person is null || (string.IsNullOrWhiteSpace(person.Email) && string.IsNullOrWhiteSpace(person.FirstName) && string.IsNullOrWhiteSpace(person.LastName));

    private static SyncFailure Validation(string code, RecordKind kind, string message) =>
        new() { Source = FailureSource.Validation, Code = code, Kind = kind, Messages = [message] };

    private Preparation.Settled Fail(RunScope scope, SyncFailure failure)
    {
        var error = _classifier.Classify(failure, scope.Now);
        return new Preparation.Settled(error.Disposition == ErrorDisposition.Unmapped
            ? new LedgerEvent.MappingMissing(error, failure.Details.TryGetValue("MappingKey", out var key) ? key : failure.Code ?? "unknown")
            : new LedgerEvent.Failed(error, null));
    }

    private readonly record struct PolicyResult(Preparation? Outcome, SyncRecord Record);
}
