using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SyncKit.Connectors;
using SyncKit.Errors;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Xero.Api;
using SyncKit.Xero.Errors;
using SyncKit.Xero.PracticeManager;
using M = SyncKit.Xero.Connector.XeroRecordMapper;

namespace SyncKit.Xero.Connector;

/// <summary>The engine's boundary to Xero: Accounting kinds through the Accounting API, Practice Manager kinds through XPM 3.1.</summary>
/// <remarks>
/// <para>
/// A push sends creates with PUT and updates with POST, both with <c>summarizeErrors=false&amp;unitdp=4</c>, and reads
/// an outcome per element. When one batch holds creates and updates, two calls are made with the batch's key suffixed
/// <c>:create</c> / <c>:update</c> (Xero refuses one key for two different requests).
/// </para>
/// <para>
/// Transport failures (timeouts, dropped connections) are thrown out of <see cref="PushAsync"/>: the engine marks the
/// elements Uncertain and reconciles with <see cref="FindExistingAsync"/>. A 5xx other than 503 on a write comes back
/// as a batch failure with <see cref="SyncFailure.WriteMayHaveLanded"/> set. Reads that fail throw
/// <see cref="ConnectorException"/> carrying the failure, which the engine classifies.
/// </para>
/// <para>
/// The connector is a singleton: it takes a fresh typed <see cref="XeroApiClient"/> per operation, so the HTTP
/// handlers rotate as <c>IHttpClientFactory</c> intends.
/// </para>
/// </remarks>
internal sealed class XeroLedgerConnector(
    Func<XeroApiClient> apiFactory,
    IOptions<XeroOptions> options,
    TimeProvider timeProvider,
    ILogger<XeroLedgerConnector> logger) : LedgerConnector
{
    /// <summary>Keep <c>where</c> filters short enough for any proxy's URL limit.</summary>
    private const int MaxWhereLength = 1500;

    /// <summary>How long a tenant's contact directory is trusted before it is read again.</summary>
    private static readonly TimeSpan s_directoryLifetime = TimeSpan.FromMinutes(5);

    private readonly XeroOptions _options = options.Value;

    // Existing contacts per tenant, for organisations whose contacts fit in one page: one read then serves every
    // batch of the run, where matching by filters would cost reads per batch.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ContactDirectory> _directories = new(StringComparer.Ordinal);

    private static readonly Spec<XeroContact> s_contacts = new("Contacts", e => e.Contacts, (e, l) => e.Contacts = l, c => c.ContactID, _ => null, c => c.Name);
    private static readonly Spec<XeroItem> s_items = new("Items", e => e.Items, (e, l) => e.Items = l, i => i.ItemID, i => i.Code, i => i.Code);
    private static readonly Spec<XeroInvoice> s_invoices = new("Invoices", e => e.Invoices, (e, l) => e.Invoices = l, i => i.InvoiceID, i => i.InvoiceNumber, i => i.InvoiceNumber);
    private static readonly Spec<XeroCreditNote> s_creditNotes = new("CreditNotes", e => e.CreditNotes, (e, l) => e.CreditNotes = l, c => c.CreditNoteID, c => c.CreditNoteNumber, c => c.CreditNoteNumber);
    private static readonly Spec<XeroPurchaseOrder> s_purchaseOrders = new("PurchaseOrders", e => e.PurchaseOrders, (e, l) => e.PurchaseOrders = l, p => p.PurchaseOrderID, p => p.PurchaseOrderNumber, p => p.PurchaseOrderNumber);
    private static readonly Spec<XeroPayment> s_payments = new("Payments", e => e.Payments, (e, l) => e.Payments = l, p => p.PaymentID, p => p.Reference, PaymentKey);

    /// <inheritdoc />
    public override string Name => "Xero";

    /// <summary>A typed client for one call (cheap: the factory pools the handlers).</summary>
    private XeroApiClient Api => apiFactory();

    private PracticeManagerClient PracticeManager => new(apiFactory(), options);

    /// <inheritdoc />
    public override bool Supports(RecordKind kind) => kind != RecordKind.Staff;

    /// <inheritdoc />
    public override int MaxBatchSize(RecordKind kind) => kind switch
    {
        RecordKind.Item => Math.Clamp(_options.ItemBatchSize, 1, 500),
        RecordKind.Client or RecordKind.Job or RecordKind.Cost or RecordKind.Staff => 1,
        _ => Math.Clamp(_options.BatchSize, 1, 100),
    };

    /// <inheritdoc />
    public override async Task<ReferenceData> LoadReferenceDataAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        if (_options.IsPracticeManagerTenant?.Invoke(tenantId) == true)
        {
            return new ReferenceData
            {
                Jobs = await PracticeManager.GetCurrentJobsAsync(tenantId, cancellationToken).ConfigureAwait(false),
                JobStatesAcceptingCosts = _options.JobStatesAcceptingCosts.ToArray(),
                FetchedAt = timeProvider.GetUtcNow(),
            };
        }

        var organisation = (await ReadAsync(tenantId, "Organisation", null, null, cancellationToken).ConfigureAwait(false)).Organisations?.FirstOrDefault();
        var accounts = (await ReadAsync(tenantId, "Accounts", null, null, cancellationToken).ConfigureAwait(false)).Accounts ?? [];
        var taxRates = (await ReadAsync(tenantId, "TaxRates", null, null, cancellationToken).ConfigureAwait(false)).TaxRates ?? [];
        var tracking = (await ReadAsync(tenantId, "TrackingCategories", null, null, cancellationToken).ConfigureAwait(false)).TrackingCategories ?? [];
        var currencies = (await ReadAsync(tenantId, "Currencies", null, null, cancellationToken).ConfigureAwait(false)).Currencies ?? [];

        var currencyCodes = currencies.Select(c => c.Code).OfType<string>().ToList();
        if (organisation?.BaseCurrency is { } baseCurrency && !currencyCodes.Contains(baseCurrency, StringComparer.OrdinalIgnoreCase))
        {
            currencyCodes.Insert(0, baseCurrency);
        }

        var data = new ReferenceData
        {
            Accounts = accounts
                .Where(a => a.AccountID is not null)
                .Select(a => new LedgerAccount
                {
                    AccountId = a.AccountID!,
                    Code = string.IsNullOrWhiteSpace(a.Code) ? null : a.Code,
                    Name = a.Name ?? string.Empty,
                    Type = a.Type,
                    IsArchived = a.Status is not null && !string.Equals(a.Status, "ACTIVE", StringComparison.OrdinalIgnoreCase),
                    IsBank = string.Equals(a.Type, "BANK", StringComparison.OrdinalIgnoreCase),
                    EnablePayments = a.EnablePaymentsToAccount == true || string.Equals(a.Type, "BANK", StringComparison.OrdinalIgnoreCase),
                })
                .ToArray(),
            TaxRates = taxRates
                .Where(t => t.TaxType is not null)
                .Select(t => new LedgerTaxRate
                {
                    TaxType = t.TaxType!,
                    Name = t.Name ?? t.TaxType!,
                    Rate = t.EffectiveRate ?? t.DisplayTaxRate ?? 0m,
                    IsArchived = t.Status is not null && !string.Equals(t.Status, "ACTIVE", StringComparison.OrdinalIgnoreCase),
                })
                .ToArray(),
            TrackingCategories = tracking
                .Where(t => t.Name is not null && !IsArchivedStatus(t.Status))
                .Select(t => new LedgerTrackingCategory
                {
                    Id = t.TrackingCategoryID ?? t.Name!,
                    Name = t.Name!,
                    Options = (t.Options ?? []).Where(o => o.Name is not null && !IsArchivedStatus(o.Status)).Select(o => o.Name!).ToArray(),
                })
                .ToArray(),
            Currencies = currencyCodes,
            BaseCurrency = organisation?.BaseCurrency,
            PeriodLockDate = organisation?.PeriodLockDate,
            EndOfYearLockDate = organisation?.EndOfYearLockDate,
            JobStatesAcceptingCosts = _options.JobStatesAcceptingCosts.ToArray(),
            FetchedAt = timeProvider.GetUtcNow(),
        };

        if (_options.UsePracticeManager)
        {
            data = data with { Jobs = await PracticeManager.GetCurrentJobsAsync(tenantId, cancellationToken).ConfigureAwait(false) };
        }

        return data;
    }

    /// <inheritdoc />
    public override Task<PushResult> PushAsync(PushBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Elements.Count == 0)
        {
            return Task.FromResult(new PushResult());
        }

        return batch.Kind switch
        {
            RecordKind.Contact => PushContactsAsync(batch, cancellationToken),
            RecordKind.Item => SendAsync(batch, s_items, Prepare<ItemRecord, XeroItem>(batch, (e, r) => M.Item(r, e.RemoteId)), cancellationToken),
            RecordKind.Invoice => SendAsync(batch, s_invoices, PrepareDocuments<XeroInvoice>(batch, (r, contact, id) => M.Invoice(r, "ACCREC", contact, id)), cancellationToken),
            RecordKind.Bill => SendAsync(batch, s_invoices, PrepareDocuments<XeroInvoice>(batch, (r, contact, id) => M.Invoice(r, "ACCPAY", contact, id)), cancellationToken),
            RecordKind.CreditNote => SendAsync(batch, s_creditNotes, PrepareDocuments<XeroCreditNote>(batch, M.CreditNote), cancellationToken),
            RecordKind.PurchaseOrder => SendAsync(batch, s_purchaseOrders, PrepareDocuments<XeroPurchaseOrder>(batch, (r, contact, id) => M.PurchaseOrder((PurchaseOrderRecord)r, contact, id)), cancellationToken),
            RecordKind.Payment => PushPaymentsAsync(batch, cancellationToken),
            RecordKind.Client or RecordKind.Job or RecordKind.Cost => PracticeManager.PushAsync(batch, cancellationToken),
            _ => throw new NotSupportedException($"The Xero connector does not push {batch.Kind} records."),
        };
    }

    /// <inheritdoc />
    public override async Task<IReadOnlyList<RemoteMatch>> FindCandidatesAsync(string tenantId, PushElement element, CancellationToken cancellationToken = default) =>
        await FindExistingAsync(tenantId, element, cancellationToken).ConfigureAwait(false) is { } match ? [match] : [];

    /// <inheritdoc />
    public override async Task<IReadOnlyDictionary<string, IReadOnlyList<RemoteMatch>>> FindCandidatesManyAsync(string tenantId, IReadOnlyList<PushElement> elements, CancellationToken cancellationToken = default) =>
        (await FindExistingManyAsync(tenantId, elements, cancellationToken).ConfigureAwait(false))
            .ToDictionary(m => m.Key, m => (IReadOnlyList<RemoteMatch>)[m.Value], StringComparer.Ordinal);

    /// <summary>Finds the one record that fits an element.</summary>
    public async Task<RemoteMatch?> FindExistingAsync(string tenantId, PushElement element, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentNullException.ThrowIfNull(element);
        switch (element.Record)
        {
            case ContactRecord contact:
                {
                    var found = await FindContactAsync(tenantId, contact, cancellationToken).ConfigureAwait(false);
                    return found is null ? null : new RemoteMatch { RemoteId = found.ContactID!, RemoteReference = found.ContactNumber };
                }

            case ItemRecord item:
                {
                    var items = (await ReadAsync(tenantId, "Items", [new("where", "Code==" + M.WhereString(item.Code))], RecordKind.Item, cancellationToken).ConfigureAwait(false)).Items ?? [];
                    var found = items.FirstOrDefault(i => M.SameText(i.Code, item.Code) && !M.IsEmptyId(i.ItemID));
                    return found is null ? null : new RemoteMatch { RemoteId = found.ItemID!, RemoteReference = found.Code };
                }

            case InvoiceRecord invoice:
                return await FindInvoiceAsync(tenantId, element, invoice, "ACCREC", byNumber: true, cancellationToken).ConfigureAwait(false);

            case BillRecord bill:
                // Bill numbers are not unique in Xero: match by supplier and reference (or number) together.
                return await FindInvoiceAsync(tenantId, element, bill, "ACCPAY", byNumber: false, cancellationToken).ConfigureAwait(false);

            case CreditNoteRecord creditNote:
                return await FindCreditNoteAsync(tenantId, element, creditNote, cancellationToken).ConfigureAwait(false);

            case PurchaseOrderRecord order:
                return await FindPurchaseOrderAsync(tenantId, order, cancellationToken).ConfigureAwait(false);

            case PaymentRecord payment:
                return await FindPaymentAsync(tenantId, element, payment, cancellationToken).ConfigureAwait(false);

            case ClientRecord or JobRecord or CostRecord:
                return await PracticeManager.FindExistingAsync(tenantId, element, cancellationToken).ConfigureAwait(false);

            default:
                return null;
        }
    }

    // ---- Push -----------------------------------------------------------------------------------------------

    private async Task<PushResult> PushContactsAsync(PushBatch batch, CancellationToken cancellationToken)
    {
        var prepared = Prepare<ContactRecord, XeroContact>(batch, (e, r) => M.Contact(r, e.RemoteId));

        // No duplicate contacts: a new contact whose name (or email) Xero already has updates that contact instead.
        var creates = prepared.Where(p => p.Body is not null && !p.IsUpdate).ToList();
        if (creates.Count > 0)
        {
            var (matches, failure) = await MatchExistingContactsAsync(batch.TenantId, creates.Select(p => (ContactRecord)p.Element.Record).ToList(), cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return PushResult.Failed(failure);
            }

            if (matches.Count > 0)
            {
                Log.ContactsMatched(logger, matches.Count, creates.Count);
                prepared = prepared
                    .Select(p => p.Body is not null && !p.IsUpdate && matches.TryGetValue(p.Element.Record.SourceId, out var contactId)
                        ? p with { Body = M.Contact((ContactRecord)p.Element.Record, contactId), IsUpdate = true }
                        : p)
                    .ToList();
            }
        }

        var result = await SendAsync(batch, s_contacts, prepared, cancellationToken).ConfigureAwait(false);
        if (_directories.TryGetValue(batch.TenantId, out var directory) && directory.Complete)
        {
            // Contacts written now are existing contacts for the batches that follow.
            var sent = batch.Elements.ToDictionary(e => e.Key.SourceId, e => (ContactRecord)e.Record, StringComparer.Ordinal);
            foreach (var outcome in result.Outcomes.Where(o => o.Succeeded))
            {
                if (sent.TryGetValue(outcome.SourceId, out var contact))
                {
                    directory.Add(contact.Name, contact.Email, outcome.RemoteId!);
                }
            }
        }

        return result;
    }

    private async Task<PushResult> PushPaymentsAsync(PushBatch batch, CancellationToken cancellationToken)
    {
        var prepared = new List<Prepared<XeroPayment>>();
        foreach (var element in batch.Elements)
        {
            var payment = (PaymentRecord)element.Record;
            var documentId = element.LinkedRemoteId(payment.DocumentKind, payment.DocumentSourceId);
            if (documentId is null)
            {
                prepared.Add(new(element, null, false, M.MissingLink(element, payment.DocumentKind, payment.DocumentSourceId)));
                continue;
            }

            if (element.RemoteId is { } paymentId)
            {
                // Xero payments cannot be edited, only deleted: send again only when the old one was deleted.
                var (envelope, failure) = await Api.GetAsync(batch.TenantId, "Payments/" + Uri.EscapeDataString(paymentId), kind: RecordKind.Payment, cancellationToken: cancellationToken).ConfigureAwait(false);
                var existing = envelope?.Payments?.FirstOrDefault();
                var deleted = failure?.StatusCode == 404 || string.Equals(existing?.Status, "DELETED", StringComparison.OrdinalIgnoreCase);
                if (failure is not null && !deleted)
                {
                    return new PushResult { Outcomes = LocalOutcomes(prepared), BatchFailure = failure };
                }

                if (!deleted)
                {
                    prepared.Add(new(element, null, false, new SyncFailure
                    {
                        Source = FailureSource.Validation,
                        Code = "PaymentChanged", // the engine's FailureCodes.PaymentChanged
                        Kind = RecordKind.Payment,
                        Messages = ["Payments cannot be edited in Xero, only deleted: the changed payment was not sent."],
                    }));
                    continue;
                }
            }

            prepared.Add(new(element, M.Payment(payment, documentId), false, null));
        }

        return await SendAsync(batch, s_payments, prepared, cancellationToken).ConfigureAwait(false);
    }

    private static List<Prepared<TBody>> Prepare<TRecord, TBody>(PushBatch batch, Func<PushElement, TRecord, TBody> map)
        where TRecord : SyncRecord
        where TBody : XeroElementBase =>
        batch.Elements.Select(e => new Prepared<TBody>(e, map(e, (TRecord)e.Record), e.RemoteId is not null, null)).ToList();

    private static List<Prepared<TBody>> PrepareDocuments<TBody>(PushBatch batch, Func<DocumentRecord, string, string?, TBody> map)
        where TBody : XeroElementBase =>
        batch.Elements.Select(e =>
        {
            var document = (DocumentRecord)e.Record;
            var contactId = e.LinkedRemoteId(RecordKind.Contact, document.ContactSourceId);
            return contactId is null
                ? new Prepared<TBody>(e, null, false, M.MissingLink(e, RecordKind.Contact, document.ContactSourceId))
                : new Prepared<TBody>(e, map(document, contactId, e.RemoteId), e.RemoteId is not null, null);
        }).ToList();

    private async Task<PushResult> SendAsync<T>(PushBatch batch, Spec<T> spec, List<Prepared<T>> prepared, CancellationToken cancellationToken)
        where T : XeroElementBase
    {
        var outcomes = LocalOutcomes(prepared);
        var creates = prepared.Where(p => p.Body is not null && !p.IsUpdate).ToList();
        var updates = prepared.Where(p => p.Body is not null && p.IsUpdate).ToList();
        var split = creates.Count > 0 && updates.Count > 0;

        foreach (var (method, group, suffix) in new[] { (HttpMethod.Put, creates, ":create"), (HttpMethod.Post, updates, ":update") })
        {
            if (group.Count == 0)
            {
                continue;
            }

            var envelope = new XeroEnvelope();
            spec.Set(envelope, group.Select(p => p.Body!).ToList());
            var key = split ? batch.IdempotencyKey + suffix : batch.IdempotencyKey;
            var (answer, failure) = await Api.WriteAsync(batch.TenantId, method, spec.Resource, envelope, key, batch.Kind, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return new PushResult { Outcomes = outcomes, BatchFailure = failure };
            }

            outcomes.AddRange(MatchAnswers(spec, group, answer is null ? [] : spec.Get(answer) ?? [], batch.Kind));
        }

        return new PushResult { Outcomes = outcomes };
    }

    private static List<ElementOutcome> LocalOutcomes<T>(List<Prepared<T>> prepared)
        where T : XeroElementBase =>
        prepared.Where(p => p.Failure is not null).Select(p => new ElementOutcome { SourceId = p.Element.Record.SourceId, Failure = p.Failure }).ToList();

    /// <summary>Pairs Xero's echoed elements with those sent: by position, checked by number/name/code where both have one.</summary>
    private List<ElementOutcome> MatchAnswers<T>(Spec<T> spec, List<Prepared<T>> sent, List<T> answered, RecordKind kind)
        where T : XeroElementBase
    {
        if (answered.Count != sent.Count)
        {
            Log.ElementCountMismatch(logger, spec.Resource, sent.Count, answered.Count);
        }

        var used = new bool[answered.Count];
        var outcomes = new List<ElementOutcome>(sent.Count);
        for (var i = 0; i < sent.Count; i++)
        {
            var wanted = spec.Key(sent[i].Body!);
            var index = -1;
            if (i < answered.Count && !used[i] && KeysAgree(wanted, spec.Key(answered[i])))
            {
                index = i;
            }
            else if (!string.IsNullOrEmpty(wanted))
            {
                var candidates = Enumerable.Range(0, answered.Count).Where(j => !used[j] && M.SameText(spec.Key(answered[j]), wanted)).ToList();
                index = candidates.Count == 1 ? candidates[0] : -1;
            }

            if (index >= 0)
            {
                used[index] = true;
            }

            outcomes.Add(index < 0 ? Unanswered(sent[i], kind) : Outcome(spec, sent[i], answered[index], kind));
        }

        return outcomes;
    }

    private static ElementOutcome Outcome<T>(Spec<T> spec, Prepared<T> sent, T answer, RecordKind kind)
        where T : XeroElementBase
    {
        var sourceId = sent.Element.Record.SourceId;
        if (answer.IsError)
        {
            return new ElementOutcome { SourceId = sourceId, Failure = XeroErrorParser.FromElement(answer, kind) };
        }

        var id = spec.Id(answer);
        if (M.IsEmptyId(id))
        {
            id = sent.Element.RemoteId;
        }

        if (M.IsEmptyId(id))
        {
            return Unanswered(sent, kind);
        }

        return new ElementOutcome
        {
            SourceId = sourceId,
            RemoteId = id,
            RemoteReference = spec.Reference(answer),
            Warnings = (answer.Warnings ?? [])
                .Select(w => w.Message)
                .OfType<string>()
                .Where(m => m.Length > 0)
                .Select(m => new SyncWarning { Code = "XeroWarning", Message = m })
                .ToArray(),
        };
    }

    private static ElementOutcome Unanswered<T>(Prepared<T> sent, RecordKind kind)
        where T : XeroElementBase => new()
    {
        SourceId = sent.Element.Record.SourceId,
        Failure = new SyncFailure
        {
            Source = FailureSource.Remote,
            StatusCode = 200,
            Kind = kind,
            WriteMayHaveLanded = true,
            Messages = ["Xero's answer did not account for this record; it is looked up in Xero before it is sent again."],
        },
    };

    private static bool KeysAgree(string? sent, string? answered) =>
        string.IsNullOrEmpty(sent) || string.IsNullOrEmpty(answered) || M.SameText(sent, answered);

    private static string? PaymentKey(XeroPayment payment)
    {
        var document = payment.Invoice?.InvoiceID ?? payment.CreditNote?.CreditNoteID;
        return document is null || payment.Amount is null
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{document.ToUpperInvariant()}|{payment.Amount.Value:0.00}");
    }

    // ---- Contacts: match before create, and reconcile ------------------------------------------------------

    /// <summary>Finds existing Xero contacts for new contacts: by exact name, then by email; one read per chunk of names.</summary>
    private async Task<(Dictionary<string, string> Matches, SyncFailure? Failure)> MatchExistingContactsAsync(string tenantId, List<ContactRecord> contacts, CancellationToken cancellationToken)
    {
        var matches = new Dictionary<string, string>(StringComparer.Ordinal);
        var (directory, directoryFailure) = await ContactDirectoryAsync(tenantId, cancellationToken).ConfigureAwait(false);
        if (directoryFailure is not null)
        {
            return (matches, directoryFailure);
        }

        if (directory.Complete)
        {
            var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var contact in contacts)
            {
                if (directory.Find(contact.Name, contact.Email) is { } id && taken.Add(id))
                {
                    matches[contact.SourceId] = id;
                }
            }

            return (matches, null);
        }

        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var clause in OrClauses(contacts.Select(c => c.Name.Trim()).Distinct(StringComparer.OrdinalIgnoreCase), n => "Name==" + M.WhereString(n)))
        {
            var (found, failure) = await ReadContactsAsync(tenantId, clause, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return (matches, failure);
            }

            foreach (var c in found.Where(IsActiveContact))
            {
                byName.TryAdd(c.Name!.Trim(), c.ContactID!);
            }
        }

        var unmatched = new List<ContactRecord>();
        foreach (var contact in contacts)
        {
            if (byName.TryGetValue(contact.Name.Trim(), out var id))
            {
                matches[contact.SourceId] = id;
            }
            else if (!string.IsNullOrWhiteSpace(contact.Email))
            {
                unmatched.Add(contact);
            }
        }

        if (unmatched.Count > 0)
        {
            var byEmail = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
            foreach (var clause in OrClauses(unmatched.Select(c => c.Email!.Trim()).Distinct(StringComparer.OrdinalIgnoreCase), e => "EmailAddress==" + M.WhereString(e)))
            {
                var (found, failure) = await ReadContactsAsync(tenantId, clause, cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    return (matches, failure);
                }

                foreach (var c in found.Where(c => IsActiveContact(c) && !string.IsNullOrWhiteSpace(c.EmailAddress)))
                {
                    if (!byEmail.TryGetValue(c.EmailAddress!.Trim(), out var ids))
                    {
                        byEmail[c.EmailAddress!.Trim()] = ids = [];
                    }

                    if (!ids.Contains(c.ContactID!))
                    {
                        ids.Add(c.ContactID!);
                    }
                }
            }

            var taken = matches.Values.ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var contact in unmatched)
            {
                // Only an unambiguous email match counts: several contacts sharing an email is no identity.
                if (byEmail.TryGetValue(contact.Email!.Trim(), out var ids) && ids.Count == 1 && taken.Add(ids[0]))
                {
                    matches[contact.SourceId] = ids[0];
                }
            }
        }

        return (matches, null);
    }

    private async Task<XeroContact?> FindContactAsync(string tenantId, ContactRecord contact, CancellationToken cancellationToken)
    {
        var (byName, failure) = await ReadContactsAsync(tenantId, "Name==" + M.WhereString(contact.Name.Trim()), cancellationToken).ConfigureAwait(false);
        ThrowIfFailed(failure);
        var found = byName.Where(IsActiveContact).FirstOrDefault(c => M.SameText(c.Name, contact.Name));
        if (found is not null || string.IsNullOrWhiteSpace(contact.Email))
        {
            return found;
        }

        var (byEmail, emailFailure) = await ReadContactsAsync(tenantId, "EmailAddress==" + M.WhereString(contact.Email.Trim()), cancellationToken).ConfigureAwait(false);
        ThrowIfFailed(emailFailure);
        var candidates = byEmail.Where(c => IsActiveContact(c) && M.SameText(c.EmailAddress, contact.Email)).ToList();
        return candidates.Count == 1 ? candidates[0] : null;
    }

    private async Task<(List<XeroContact> Contacts, SyncFailure? Failure)> ReadContactsAsync(string tenantId, string where, CancellationToken cancellationToken)
    {
        var all = new List<XeroContact>();
        for (var page = 1; ; page++)
        {
            var (envelope, failure) = await Api.GetAsync(
                tenantId,
                "Contacts",
                [new("where", where), new("page", page.ToString(CultureInfo.InvariantCulture)), new("pageSize", PageSize()), new("summaryOnly", "true")],
                RecordKind.Contact,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return (all, failure);
            }

            var contacts = envelope?.Contacts ?? [];
            all.AddRange(contacts);
            var pageCount = envelope?.Pagination?.PageCount;
            if (contacts.Count == 0 || (pageCount is { } count ? page >= count : contacts.Count < _options.PageSize))
            {
                return (all, null);
            }
        }
    }

    /// <summary>The tenant's contacts when they fit in one page of 1,000, read at most once per <see cref="s_directoryLifetime"/>.</summary>
    private async Task<(ContactDirectory Directory, SyncFailure? Failure)> ContactDirectoryAsync(string tenantId, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (_directories.TryGetValue(tenantId, out var cached) && now - cached.LoadedAt < s_directoryLifetime)
        {
            return (cached, null);
        }

        var (envelope, failure) = await Api.GetAsync(
            tenantId,
            "Contacts",
            [new("page", "1"), new("pageSize", "1000"), new("summaryOnly", "true")],
            RecordKind.Contact,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return (cached ?? new ContactDirectory(now, complete: false), failure);
        }

        var contacts = envelope?.Contacts ?? [];
        var complete = envelope?.Pagination?.PageCount is { } pages ? pages <= 1 : contacts.Count < 1000;
        var directory = new ContactDirectory(now, complete);
        if (complete)
        {
            foreach (var contact in contacts.Where(IsActiveContact))
            {
                directory.Add(contact.Name!, contact.EmailAddress, contact.ContactID!);
            }
        }

        _directories[tenantId] = directory;
        return (directory, null);
    }

    private static bool IsActiveContact(XeroContact contact) =>
        !M.IsEmptyId(contact.ContactID) && contact.Name is not null && !IsArchivedStatus(contact.ContactStatus);

    /// <summary>Joins conditions with OR into filters of at most <see cref="MaxWhereLength"/> characters.</summary>
    private static IEnumerable<string> OrClauses(IEnumerable<string> values, Func<string, string> condition)
    {
        var builder = new StringBuilder();
        foreach (var value in values)
        {
            var part = condition(value);
            if (builder.Length > 0 && builder.Length + part.Length + 4 > MaxWhereLength)
            {
                yield return builder.ToString();
                builder.Clear();
            }

            builder.Append(builder.Length > 0 ? " OR " : string.Empty).Append(part);
        }

        if (builder.Length > 0)
        {
            yield return builder.ToString();
        }
    }

    // ---- Reconciliation lookups ------------------------------------------------------------------------------

    /// <summary>Finds many elements' records.</summary>
    /// <remarks>Sales invoices are found by number, up to 50 in one read; every other kind one by one.</remarks>
    public async Task<IReadOnlyDictionary<string, RemoteMatch>> FindExistingManyAsync(string tenantId, IReadOnlyList<PushElement> elements, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentNullException.ThrowIfNull(elements);
        var byNumber = elements
            .Where(e => e.Record is InvoiceRecord { Number: { Length: > 0 } number } && !number.Contains(',', StringComparison.Ordinal))
            .ToList();
        var matches = new Dictionary<string, RemoteMatch>(StringComparer.Ordinal);
        foreach (var chunk in byNumber.Chunk(50))
        {
            var numbers = string.Join(',', chunk.Select(e => ((InvoiceRecord)e.Record).Number));
            var invoices = (await ReadAsync(tenantId, "Invoices", [new("InvoiceNumbers", numbers), new("where", "Type==" + M.WhereString("ACCREC"))], RecordKind.Invoice, cancellationToken).ConfigureAwait(false)).Invoices ?? [];
            foreach (var element in chunk)
            {
                var number = ((InvoiceRecord)element.Record).Number;
                var found = invoices.FirstOrDefault(i => !M.IsEmptyId(i.InvoiceID)
                    && !string.Equals(i.Status, "DELETED", StringComparison.OrdinalIgnoreCase)
                    && M.SameText(i.InvoiceNumber, number));
                if (found is not null)
                {
                    matches[element.Key.SourceId] = new RemoteMatch { RemoteId = found.InvoiceID!, RemoteReference = found.InvoiceNumber };
                }
            }
        }

        foreach (var element in elements.Except(byNumber))
        {
            if (await FindExistingAsync(tenantId, element, cancellationToken).ConfigureAwait(false) is { } match)
            {
                matches[element.Key.SourceId] = match;
            }
        }

        return matches;
    }

    private async Task<RemoteMatch?> FindInvoiceAsync(string tenantId, PushElement element, DocumentRecord document, string type, bool byNumber, CancellationToken cancellationToken)
    {
        var contactId = element.LinkedRemoteId(RecordKind.Contact, document.ContactSourceId);
        var query = new List<KeyValuePair<string, string>>();
        var where = new List<string> { "Type==" + M.WhereString(type) };
        if (byNumber && !string.IsNullOrEmpty(document.Number))
        {
            query.Add(new("InvoiceNumbers", document.Number));
        }
        else
        {
            if (contactId is not null)
            {
                where.Add($"Contact.ContactID==Guid({M.WhereString(contactId)})");
            }

            if (!string.IsNullOrEmpty(document.Reference))
            {
                where.Add("Reference==" + M.WhereString(document.Reference));
            }
            else if (!string.IsNullOrEmpty(document.Number))
            {
                where.Add("InvoiceNumber==" + M.WhereString(document.Number));
            }
            else
            {
                where.Add("Date==" + XeroDates.ToWhereLiteral(document.Date));
            }
        }

        query.Add(new("where", string.Join(" AND ", where)));
        var invoices = (await ReadAsync(tenantId, "Invoices", query, document.Kind, cancellationToken).ConfigureAwait(false)).Invoices ?? [];
        var found = invoices
            .Where(i => !M.IsEmptyId(i.InvoiceID) && !string.Equals(i.Status, "DELETED", StringComparison.OrdinalIgnoreCase))
            .Where(i => string.IsNullOrEmpty(i.Type) || string.Equals(i.Type, type, StringComparison.OrdinalIgnoreCase))
            .Where(i => !byNumber || string.IsNullOrEmpty(document.Number) || M.SameText(i.InvoiceNumber, document.Number))
            .Where(i => contactId is null || i.Contact?.ContactID is null || M.SameText(i.Contact.ContactID, contactId))
            .Where(i => string.IsNullOrEmpty(document.Number) || byNumber || string.IsNullOrEmpty(i.InvoiceNumber) || M.SameText(i.InvoiceNumber, document.Number))
            .OrderBy(i => i.Date == document.Date ? 0 : 1)
            .FirstOrDefault();
        return found is null ? null : new RemoteMatch { RemoteId = found.InvoiceID!, RemoteReference = found.InvoiceNumber };
    }

    private async Task<RemoteMatch?> FindCreditNoteAsync(string tenantId, PushElement element, CreditNoteRecord creditNote, CancellationToken cancellationToken)
    {
        var contactId = element.LinkedRemoteId(RecordKind.Contact, creditNote.ContactSourceId);
        string where;
        if (!string.IsNullOrEmpty(creditNote.Number))
        {
            where = "CreditNoteNumber==" + M.WhereString(creditNote.Number);
        }
        else if (!string.IsNullOrEmpty(creditNote.Reference) && contactId is not null)
        {
            where = $"Reference=={M.WhereString(creditNote.Reference)} AND Contact.ContactID==Guid({M.WhereString(contactId)})";
        }
        else
        {
            return null;
        }

        var notes = (await ReadAsync(tenantId, "CreditNotes", [new("where", where)], RecordKind.CreditNote, cancellationToken).ConfigureAwait(false)).CreditNotes ?? [];
        var found = notes.FirstOrDefault(n => !M.IsEmptyId(n.CreditNoteID) && !string.Equals(n.Status, "DELETED", StringComparison.OrdinalIgnoreCase)
            && (string.IsNullOrEmpty(creditNote.Number) || M.SameText(n.CreditNoteNumber, creditNote.Number)));
        return found is null ? null : new RemoteMatch { RemoteId = found.CreditNoteID!, RemoteReference = found.CreditNoteNumber };
    }

    private async Task<RemoteMatch?> FindPurchaseOrderAsync(string tenantId, PurchaseOrderRecord order, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(order.Number))
        {
            return null;
        }

        var (envelope, failure) = await Api.GetAsync(tenantId, "PurchaseOrders/" + Uri.EscapeDataString(order.Number), kind: RecordKind.PurchaseOrder, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (failure?.StatusCode == 404)
        {
            return null;
        }

        ThrowIfFailed(failure);
        var found = envelope?.PurchaseOrders?.FirstOrDefault(p => !M.IsEmptyId(p.PurchaseOrderID) && M.SameText(p.PurchaseOrderNumber, order.Number)
            && !string.Equals(p.Status, "DELETED", StringComparison.OrdinalIgnoreCase));
        return found is null ? null : new RemoteMatch { RemoteId = found.PurchaseOrderID!, RemoteReference = found.PurchaseOrderNumber };
    }

    private async Task<RemoteMatch?> FindPaymentAsync(string tenantId, PushElement element, PaymentRecord payment, CancellationToken cancellationToken)
    {
        var documentId = element.LinkedRemoteId(payment.DocumentKind, payment.DocumentSourceId);
        if (documentId is null)
        {
            return null;
        }

        var isCreditNote = payment.DocumentKind == RecordKind.CreditNote;
        var resource = (isCreditNote ? "CreditNotes/" : "Invoices/") + Uri.EscapeDataString(documentId);
        var (envelope, failure) = await Api.GetAsync(tenantId, resource, kind: RecordKind.Payment, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (failure?.StatusCode == 404)
        {
            return null;
        }

        ThrowIfFailed(failure);
        var payments = (isCreditNote ? envelope?.CreditNotes?.FirstOrDefault()?.Payments : envelope?.Invoices?.FirstOrDefault()?.Payments) ?? [];
        var found = payments.FirstOrDefault(p =>
            !M.IsEmptyId(p.PaymentID)
            && !string.Equals(p.Status, "DELETED", StringComparison.OrdinalIgnoreCase)
            && p.Amount == payment.Amount
            && (p.Date is null || p.Date == payment.Date)
            && (string.IsNullOrEmpty(payment.Reference) || M.SameText(p.Reference, payment.Reference)));
        return found is null ? null : new RemoteMatch { RemoteId = found.PaymentID!, RemoteReference = found.Reference };
    }

    // ---- Helpers -----------------------------------------------------------------------------------------------

    private async Task<XeroEnvelope> ReadAsync(string tenantId, string resource, IReadOnlyList<KeyValuePair<string, string>>? query, RecordKind? kind, CancellationToken cancellationToken)
    {
        var (envelope, failure) = await Api.GetAsync(tenantId, resource, query, kind, cancellationToken: cancellationToken).ConfigureAwait(false);
        ThrowIfFailed(failure);
        return envelope ?? new XeroEnvelope();
    }

    private static void ThrowIfFailed(SyncFailure? failure)
    {
        if (failure is not null)
        {
            throw new ConnectorException(failure);
        }
    }

    private string PageSize() => Math.Clamp(_options.PageSize, 1, 1000).ToString(CultureInfo.InvariantCulture);

    private static bool IsArchivedStatus(string? status) =>
        status is not null && (string.Equals(status, "ARCHIVED", StringComparison.OrdinalIgnoreCase) || string.Equals(status, "DELETED", StringComparison.OrdinalIgnoreCase));

    private sealed record Prepared<T>(PushElement Element, T? Body, bool IsUpdate, SyncFailure? Failure)
        where T : XeroElementBase;

    private sealed class Spec<T>(
        string resource,
        Func<XeroEnvelope, List<T>?> get,
        Action<XeroEnvelope, List<T>> set,
        Func<T, string?> id,
        Func<T, string?> reference,
        Func<T, string?> key)
        where T : XeroElementBase
    {
        public string Resource { get; } = resource;

        public List<T>? Get(XeroEnvelope envelope) => get(envelope);

        public void Set(XeroEnvelope envelope, List<T> elements) => set(envelope, elements);

        public string? Id(T element) => id(element);

        public string? Reference(T element) => reference(element);

        public string? Key(T element) => key(element);
    }
}

/// <summary>A tenant's existing contacts by name and email; incomplete when the organisation has more than one page of them.</summary>
internal sealed class ContactDirectory(DateTimeOffset loadedAt, bool complete)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, HashSet<string>> _byEmail = new(StringComparer.OrdinalIgnoreCase);

    public DateTimeOffset LoadedAt { get; } = loadedAt;

    public bool Complete { get; } = complete;

    public void Add(string name, string? email, string contactId)
    {
        lock (_gate)
        {
            _byName.TryAdd(name.Trim(), contactId);
            if (!string.IsNullOrWhiteSpace(email))
            {
                if (!_byEmail.TryGetValue(email.Trim(), out var ids))
                {
                    _byEmail[email.Trim()] = ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                }

                ids.Add(contactId);
            }
        }
    }

    /// <summary>The contact with this exact name, else the one contact with this email (several sharing an email is no identity).</summary>
    public string? Find(string name, string? email)
    {
        lock (_gate)
        {
            if (_byName.TryGetValue(name.Trim(), out var id))
            {
                return id;
            }

            return !string.IsNullOrWhiteSpace(email) && _byEmail.TryGetValue(email.Trim(), out var ids) && ids.Count == 1 ? ids.First() : null;
        }
    }
}
