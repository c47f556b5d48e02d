using System.Collections.Concurrent;
using System.Globalization;
using SyncKit.Connectors;
using SyncKit.Errors;
using SyncKit.Records;

namespace SyncKit.Testing.Connectors;

/// <summary>
/// A connector to an in-memory ledger that enforces the rules a real ledger would (lock dates, unknown
/// and archived accounts, payments accounts, duplicate numbers, over-payment, job states), so the engine
/// and a host's integration are testable without Xero. Faults can be injected.
/// </summary>
public sealed class InMemoryLedgerConnector : LedgerConnector
{
    private readonly ConcurrentDictionary<string, InMemoryLedger> _ledgers = new(StringComparer.Ordinal);
    private int _pushes;
    private int _lookups;
    private int _dropAfterCommit;
    private int _throwBeforeCommit;

    /// <inheritdoc />
    public override string Name => "in-memory";

    /// <summary>Answers every batch holding an element this matches with a 500 that saves nothing (a record the ledger cannot take).</summary>
    public Func<PushElement, bool>? ServerErrorWhen { get; set; }

    /// <summary>Elements per push (default 50, as Xero).</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>Pushes made.</summary>
    public int Pushes => _pushes;

    /// <summary>Lookups made.</summary>
    public int Lookups => _lookups;

    /// <summary>Idempotency keys seen, in order.</summary>
    public ConcurrentQueue<string> IdempotencyKeys { get; } = new();

    /// <summary>A ledger by tenant (created on first use).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <returns>The ledger.</returns>
    public InMemoryLedger Ledger(string tenantId) => _ledgers.GetOrAdd(tenantId, id => new InMemoryLedger(id));

    /// <summary>The next <paramref name="count"/> pushes write their records, then throw as if the connection dropped.</summary>
    /// <param name="count">How many pushes.</param>
    public void DropConnectionAfterCommit(int count = 1) => Interlocked.Add(ref _dropAfterCommit, count);

    /// <summary>The next <paramref name="count"/> pushes throw before writing anything.</summary>
    /// <param name="count">How many pushes.</param>
    public void FailBeforeCommit(int count = 1) => Interlocked.Add(ref _throwBeforeCommit, count);

    /// <summary>A failure the next push answers for the whole batch (a 429, a 503, a refused token).</summary>
    public SyncFailure? NextBatchFailure { get; set; }

    /// <summary>A failure every lookup answers with (thrown as a <see cref="ConnectorException"/>), or null.</summary>
    public SyncFailure? LookupFailure { get; set; }

    /// <summary>What <see cref="GetUsageAsync"/> reports for every tenant (scopes, call budget, egress), or null for none.</summary>
    public LedgerUsage? Usage { get; set; }

    /// <inheritdoc />
    public override ValueTask<LedgerUsage?> GetUsageAsync(string tenantId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Usage);

    /// <summary>Kinds this ledger does not take (a ledger without purchase orders, say): runs and previews pass them by.</summary>
    public ISet<RecordKind> UnsupportedKinds { get; } = new HashSet<RecordKind>();

    /// <inheritdoc />
    public override bool Supports(RecordKind kind) => !UnsupportedKinds.Contains(kind);

    /// <inheritdoc />
    public override int MaxBatchSize(RecordKind kind) => BatchSize;

    /// <summary>Batches the engine may have in flight at once (default 5, as Xero allows).</summary>
    public int BatchesInFlight { get; set; } = 5;

    /// <inheritdoc />
    public override int MaxBatchesInFlight(RecordKind kind) => BatchesInFlight;

    /// <inheritdoc />
    public override Task<ReferenceData> LoadReferenceDataAsync(string tenantId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Ledger(tenantId).Reference);

    /// <inheritdoc />
    public override Task<PushResult> PushAsync(PushBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return BeforePush is { } before ? HeldAsync(before) : PushNow(batch, cancellationToken);

        async Task<PushResult> HeldAsync(Func<CancellationToken, Task> wait)
        {
            await wait(cancellationToken).ConfigureAwait(false);
            return await PushNow(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Awaited before a push is carried out (a slow ledger); the test releases it.</summary>
    public Func<CancellationToken, Task>? BeforePush { get; set; }

    private Task<PushResult> PushNow(PushBatch batch, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _pushes);
        IdempotencyKeys.Enqueue(batch.IdempotencyKey);

        if (Take(ref _throwBeforeCommit))
        {
            throw new HttpRequestException("Connection refused (injected before commit).");
        }

        if (NextBatchFailure is { } failure)
        {
            NextBatchFailure = null;
            return Task.FromResult(PushResult.Failed(failure));
        }

        if (ServerErrorWhen is { } poisoned && batch.Elements.Any(poisoned))
        {
            // Like Xero on a record it cannot take: a 500 for the whole batch, and nothing of it saved.
            return Task.FromResult(PushResult.Failed(new SyncFailure
            {
                Source = FailureSource.Remote,
                StatusCode = 500,
                Kind = batch.Kind,
                WriteMayHaveLanded = true,
                Messages = ["An error occurred in Xero. (injected: the batch holds a record the ledger cannot take)"],
            }));
        }

        var ledger = Ledger(batch.TenantId);
        var outcomes = batch.Elements.Select(e => Write(ledger, e)).ToArray();
        if (Take(ref _dropAfterCommit))
        {
            throw new IOException("The response ended prematurely (injected after commit).");
        }

        return Task.FromResult(new PushResult { Outcomes = outcomes });
    }

    /// <inheritdoc />
    public override Task<IReadOnlyList<RemoteMatch>> FindCandidatesAsync(string tenantId, PushElement element, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(element);
        Interlocked.Increment(ref _lookups);
        if (LookupFailure is { } failure)
        {
            throw new ConnectorException(failure);
        }

        var reference = ReferenceOf(element);
        var kind = element.Record.Kind;
        var matches = Ledger(tenantId).Locked((ledger, _) => ledger.FindAll(kind, reference));
        return Task.FromResult<IReadOnlyList<RemoteMatch>>([.. matches.Select(m => new RemoteMatch { RemoteId = m.RemoteId, RemoteReference = m.Reference })]);
    }

    private static bool Take(ref int counter)
    {
        int current;
        do
        {
            current = Volatile.Read(ref counter);
            if (current <= 0)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref counter, current - 1, current) != current);
        return true;
    }

    private static string ReferenceOf(PushElement element) => element.Record switch
    {
        DocumentRecord d => d.Number ?? d.SourceId,
        ContactRecord c => c.Name,
        ItemRecord i => i.Code,
        PaymentRecord p => $"{p.DocumentSourceId}|{p.Amount.ToString(CultureInfo.InvariantCulture)}|{p.Date:yyyy-MM-dd}|{p.Reference ?? p.SourceId}",
        CostRecord c => $"{c.SourceId}",
        _ => element.Record.DisplayName,
    };

    private static ElementOutcome Write(InMemoryLedger ledger, PushElement element)
    {
        var reference = ledger.Reference;
        var messages = Validate(element, reference);
        return ledger.Locked((records, nextId) =>
        {
            messages.AddRange(ValidateAgainstRecords(element, records));
            if (messages.Count > 0)
            {
                return new ElementOutcome
                {
                    SourceId = element.Key.SourceId,
                    Failure = new SyncFailure { Source = FailureSource.Remote, StatusCode = 400, ErrorType = "ValidationException", Kind = element.Record.Kind, Messages = messages },
                };
            }

            var remoteId = element.RemoteId is { } id && records.Get(id) is not null ? id : nextId();
            var previous = records.Get(remoteId);
            records.Put(new InMemoryLedgerRecord
            {
                RemoteId = remoteId,
                Kind = element.Record.Kind,
                Reference = ReferenceOf(element),
                Record = element.Record,
                Total = TotalOf(element.Record, reference),
                AmountPaid = previous?.AmountPaid ?? 0m,
                Writes = (previous?.Writes ?? 0) + 1,
            });

            if (element.Record is PaymentRecord payment && element.LinkedRemoteId(payment.DocumentKind, payment.DocumentSourceId) is { } documentId
                && records.Get(documentId) is { } document)
            {
                records.Put(document with { AmountPaid = document.AmountPaid + payment.Amount });
            }

            return new ElementOutcome { SourceId = element.Key.SourceId, RemoteId = remoteId, RemoteReference = ReferenceOf(element) };
        });
    }

    private static decimal TotalOf(SyncRecord record, ReferenceData reference) => record switch
    {
        DocumentRecord d => d.Lines.Sum(l =>
        {
            var rate = reference.TaxRates.FirstOrDefault(t => t.TaxType == l.TaxKey)?.Rate ?? 0m;
            return d.LineAmountType == LineAmountType.Exclusive ? l.NetAmount + Math.Round(l.NetAmount * rate / 100m, 2, MidpointRounding.AwayFromZero) : l.NetAmount;
        }),
        PaymentRecord p => p.Amount,
        _ => 0m,
    };

    private static List<string> Validate(PushElement element, ReferenceData reference)
    {
        var messages = new List<string>();
        DateOnly? date = element.Record switch
        {
            DocumentRecord d => d.Date,
            PaymentRecord p => p.Date,
            _ => null,
        };
        if (date is { } dt)
        {
            if (reference.PeriodLockDate is { } period && dt <= period)
            {
                messages.Add($"The document date cannot be before the period lock date, currently set at {period.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
            }

            if (reference.EndOfYearLockDate is { } year && dt <= year)
            {
                messages.Add($"The document date cannot be before the end of year lock date, currently set at {year.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
            }
        }

        IEnumerable<string?> codes = element.Record switch
        {
            DocumentRecord d => d.Lines.Select(l => l.AccountKey),
            PaymentRecord p => [p.AccountKey],
            _ => [],
        };
        foreach (var code in codes.Where(c => c is not null).Distinct())
        {
            var account = reference.FindAccount(code!);
            if (account is null)
            {
                messages.Add($"Account code '{code}' is not a valid code for this document.");
            }
            else if (account.IsArchived)
            {
                messages.Add($"Account code '{code}' has been archived, or has been deleted. Each line item must reference a valid account.");
            }
            else if (element.Record is PaymentRecord && !account.IsBank && !account.EnablePayments)
            {
                messages.Add($"Payments cannot be made to account '{code}' as it does not have payments enabled.");
            }
        }

        if (element.Record is DocumentRecord { Lines.Count: 0 })
        {
            messages.Add("One or more line items must be specified");
        }

        return messages;
    }

    private static IEnumerable<string> ValidateAgainstRecords(PushElement element, InMemoryLedger records)
    {
        switch (element.Record)
        {
            case InvoiceRecord { Number: { } number } when element.RemoteId is null && records.Find(RecordKind.Invoice, number) is not null:
                yield return "Invoice # must be unique.";
                break;
            case ContactRecord contact when records.Find(RecordKind.Contact, contact.Name) is { } other && other.RemoteId != element.RemoteId:
                yield return $"The contact name {contact.Name} is already assigned to another contact. The contact name must be unique across all active contacts.";
                break;
            case PaymentRecord payment:
                var documentId = element.LinkedRemoteId(payment.DocumentKind, payment.DocumentSourceId);
                if (documentId is null || records.Get(documentId) is not { } document)
                {
                    yield return "The document with the supplied id was not found for this endpoint.";
                }
                else if (payment.Amount > document.Total - document.AmountPaid)
                {
                    yield return "Payment amount exceeds the amount outstanding on this document";
                }

                break;
        }
    }
}
