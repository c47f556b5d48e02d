using System.Globalization;
using SyncKit.Connectors;
using SyncKit.Errors;
using SyncKit.Records;

namespace SyncKit.Validation;

/// <summary>
/// Checks a mapped record against the tenant's reference data, so the refusals the ledger would give
/// (lock dates, unknown or archived accounts, accounts without codes or payments, tax, currency, job
/// state) are caught before any call, with the ledger's own wording.
/// </summary>
internal sealed class ReferenceChecks
{
    private readonly ReferenceData _reference;

    public ReferenceChecks(ReferenceData reference) => _reference = reference;

    public SyncFailure? Check(SyncRecord record, IReadOnlyDictionary<string, string> links) => record switch
    {
        DocumentRecord d => CheckLockDates(d.Date, d.Kind)
            ?? CheckCurrency(d.CurrencyCode, d.Kind)
            ?? d.Lines.Select((l, i) => OnLine(CheckAccount(l.AccountKey, d.Kind) ?? CheckTax(l.TaxKey, d.Kind), i, l)).FirstOrDefault(f => f is not null),
        PaymentRecord p => CheckLockDates(p.Date, p.Kind) ?? CheckAccount(p.AccountKey, p.Kind, forPayments: true),
        ItemRecord i => CheckAccount(i.SalesAccountKey, i.Kind) ?? CheckAccount(i.PurchaseAccountKey, i.Kind)
            ?? CheckTax(i.SalesTaxKey, i.Kind) ?? CheckTax(i.PurchaseTaxKey, i.Kind),
        CostRecord c => CheckWip(c) ?? CheckJob(c, links),
        _ => null,
    };

    private SyncFailure? CheckLockDates(DateOnly date, RecordKind kind)
    {
        var messages = new List<string>(2);
        var details = new Dictionary<string, string>();
        if (_reference.PeriodLockDate is { } period && date <= period)
        {
            messages.Add($"The document date cannot be before the period lock date, currently set at {Format(period)}");
            details["LockDate"] = Format(period);
        }

        if (_reference.EndOfYearLockDate is { } endOfYear && date <= endOfYear)
        {
            messages.Add($"The document date cannot be before the end of year lock date, currently set at {Format(endOfYear)}");
            details.TryAdd("LockDate", Format(endOfYear));
        }

        return messages.Count == 0 ? null : Failure(FailureCodes.LockDate, kind, messages, details);
    }

    private SyncFailure? CheckCurrency(string currency, RecordKind kind) =>
        _reference.Currencies.Count > 0 && !_reference.Currencies.Contains(currency, StringComparer.OrdinalIgnoreCase)
            ? Failure(FailureCodes.CurrencyNotEnabled, kind, [$"Organisation is not subscribed to currency {currency.ToUpperInvariant()}"], new() { ["Currency"] = currency.ToUpperInvariant() })
            : null;

    /// <summary>A document's failure about one of its lines names that line (number and description) first.</summary>
    internal static SyncFailure? OnLine(SyncFailure? failure, int index, DocumentLine line)
    {
        if (failure is null)
        {
            return null;
        }

        var number = (index + 1).ToString(CultureInfo.InvariantCulture);
        var name = string.IsNullOrWhiteSpace(line.Description)
            ? $"Line {number}"
            : $"Line {number} ('{(line.Description.Length <= 40 ? line.Description : string.Concat(line.Description.AsSpan(0, 39), "…"))}')";
        var details = new Dictionary<string, string>(failure.Details) { ["Line"] = number };
        return failure with
        {
            Messages = [.. failure.Messages.Select((m, i) => i == 0 ? $"{name}: {m}" : m)],
            Details = details,
        };
    }

    private SyncFailure? CheckAccount(string? code, RecordKind kind, bool forPayments = false)
    {
        if (code is null || _reference.Accounts.Count == 0)
        {
            return null;
        }

        var account = _reference.FindAccount(code);
        if (account is null)
        {
            // The mapping may point at an account by id or name; one without a code cannot be posted to by code.
            var uncoded = _reference.Accounts.FirstOrDefault(a => string.IsNullOrEmpty(a.Code)
                && (string.Equals(a.AccountId, code, StringComparison.OrdinalIgnoreCase) || string.Equals(a.Name, code, StringComparison.OrdinalIgnoreCase)));
            return uncoded is not null
                ? Failure(FailureCodes.AccountWithoutCode, kind, [$"The Xero account '{uncoded.Name}' has no code, so it cannot be identified by the mapping."], new() { ["AccountName"] = uncoded.Name, ["AccountCode"] = code })
                : Failure(FailureCodes.AccountNotFound, kind, [$"Account code '{code}' is not a valid code for this document."], new() { ["AccountCode"] = code });
        }

        if (account.IsArchived)
        {
            return Failure(FailureCodes.AccountArchived, kind, [$"Account code '{code}' has been archived, or has been deleted. Each line item must reference a valid account."], new() { ["AccountCode"] = code, ["AccountName"] = account.Name });
        }

        if (forPayments && !account.IsBank && !account.EnablePayments)
        {
            return Failure(FailureCodes.PaymentsNotEnabled, kind, [$"Payments cannot be made to account '{code}': it is not a bank account and \"Enable payments to this account\" is off."], new() { ["AccountCode"] = code, ["AccountName"] = account.Name });
        }

        return null;
    }

    private SyncFailure? CheckTax(string? taxType, RecordKind kind)
    {
        if (taxType is null || _reference.TaxRates.Count == 0)
        {
            return null;
        }

        var rate = _reference.TaxRates.FirstOrDefault(r => string.Equals(r.TaxType, taxType, StringComparison.OrdinalIgnoreCase));
        return rate is null || rate.IsArchived
            ? Failure(FailureCodes.TaxTypeUnknown, kind, [$"The TaxType code '{taxType}' does not exist or is archived."], new() { ["TaxType"] = taxType })
            : null;
    }

    private SyncFailure? CheckWip(CostRecord cost) =>
        _reference.WipLockDate is { } wip && cost.Date <= wip
            ? Failure(FailureCodes.WipLockDate, cost.Kind, [$"The cost date {Format(cost.Date)} falls within a locked WIP period (WIP lock date {Format(wip)})."], new() { ["LockDate"] = Format(wip) })
            : null;

    private SyncFailure? CheckJob(CostRecord cost, IReadOnlyDictionary<string, string> links)
    {
        if (_reference.Jobs.Count == 0 || !links.TryGetValue(Connectors.PushElement.LinkKey(RecordKind.Job, cost.JobSourceId ?? cost.OrganisationKey), out var jobNumber))
        {
            return null;
        }

        // A job missing from the list may have been created in this run; only the ledger can say.
        var job = _reference.Jobs.FirstOrDefault(j => string.Equals(j.JobNumber, jobNumber, StringComparison.OrdinalIgnoreCase));
        if (job is null)
        {
            return null;
        }

        if (job.IsDeleted)
        {
            return Failure(FailureCodes.JobDeleted, cost.Kind, [$"Job {jobNumber} has been deleted in Xero Practice Manager."], new() { ["JobNumber"] = jobNumber });
        }

        return _reference.JobStatesAcceptingCosts.Contains(job.State, StringComparer.OrdinalIgnoreCase)
            ? null
            : Failure(FailureCodes.JobState, cost.Kind, [$"Job {jobNumber} is {job.State}; costs can only be added to jobs that are In Progress."], new() { ["JobNumber"] = jobNumber, ["JobState"] = job.State });
    }

    // Worded as Xero words it, with the date in the one format SyncKit shows (the parser rewrites Xero's to match).
    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static SyncFailure Failure(string code, RecordKind kind, IReadOnlyList<string> messages, Dictionary<string, string> details) => new()
    {
        Source = FailureSource.Validation,
        Code = code,
        Kind = kind,
        Messages = messages,
        Details = details,
    };
}
