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
/// elements Uncertain and reconciles with <see cref="FindCandidatesAsync"/>. A 5xx other than 503 on a write comes back
/// as a batch failure with <see cref="SyncFailure.WriteMayHaveLanded"/> set. Reads that fail throw
/// <see cref="ConnectorException"/> carrying the failure, which the engine classifies.
/// </para>
/// <para>
/// The connector is a singleton: it takes a fresh typed <see cref="XeroApiClient"/> per operation, so the HTTP
/// handlers rotate as <c>IHttpClientFactory</c> intends.
/// </para>
/// </remarks>
internal sealed partial class XeroLedgerConnector(
    Func<XeroApiClient> apiFactory,
    IOptions<XeroOptions> options,
    TimeProvider timeProvider,
    ILogger<XeroLedgerConnector> logger,
    SyncKit.Storage.LedgerStore? ledgerStore = null,
    Identity.XeroTokenManager? tokens = null,
    Connections.XeroConnectionKeys? connectionKeys = null,
    XeroUsage? usage = null,
    XeroScopePlan? scopePlan = null) : LedgerConnector
{
    /// <summary>Keep <c>where</c> filters short enough for any proxy's URL limit.</summary>
    private const int MaxWhereLength = 1500;

    /// <summary>How long a tenant's contact directory is trusted before it is read again.</summary>
    private static readonly TimeSpan s_directoryLifetime = TimeSpan.FromMinutes(5);

    private readonly XeroOptions _options = options.Value;

    // Existing contacts per tenant, for organisations whose contacts fit in one page: one read then serves every
    // batch of the run, where matching by filters would cost reads per batch.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ContactDirectory> _directories = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> _directoryLoads = new(StringComparer.Ordinal);

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
    /// <remarks>A kind is refused, without a call, when the scopes the connection was granted do not cover its write scope.</remarks>
    public override async ValueTask<SyncFailure?> CheckAccessAsync(string tenantId, RecordKind kind, CancellationToken cancellationToken = default)
    {
        var scope = XeroScopes.ForKind(kind).Write;
        return await CoversAsync(tenantId, scope, cancellationToken).ConfigureAwait(false) ? null : XeroErrorParser.MissingScope(kind, scope: scope, statusCode: null);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The scopes the connection was granted and those the kinds the host syncs need that it lacks, even when
    /// <see cref="XeroOptions.Scopes"/> did not ask for them (from the stored token, no call), the day's call budget and this month's egress (<see cref="XeroUsage"/>).
    /// </remarks>
    public override async ValueTask<LedgerUsage?> GetUsageAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        var granted = await GrantedScopesAsync(tenantId, cancellationToken).ConfigureAwait(false);
        // A practice grants Practice Manager scopes and an organisation accounting ones (plus jobs when the host reads them).
        var practice = _options.IsPracticeManagerTenant?.Invoke(tenantId) == true;
        var needed = (scopePlan?.Needed ?? []).Where(s => !string.Equals(s, XeroScopes.OfflineAccess, StringComparison.Ordinal)
            && (s.StartsWith("practicemanager", StringComparison.Ordinal)
                ? practice || (_options.UsePracticeManager && string.Equals(s, XeroScopes.PracticeManagerJob, StringComparison.Ordinal))
                : !practice));
        var spent = usage is null ? null : await usage.GetTenantUsageAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return new LedgerUsage
        {
            GrantedScopes = granted?.Order(StringComparer.Ordinal).ToArray(),
            MissingScopes = granted is null ? [] : needed.Where(s => !XeroScopes.Covers(granted, s)).ToArray(),
            CallBudget = spent is null ? null : new CallBudget
            {
                DailyLimit = spent.DailyCallLimit,
                Remaining = spent.DailyCallsRemaining,
                Reserve = spent.DailyCallReserve,
                ResetsAt = spent.DayResetsAt,
            },
            Egress = spent is null ? null : new MonthlyEgress
            {
                Month = spent.Month,
                Bytes = spent.EgressBytes,
                BytesByEndpoint = spent.EgressBytesByEndpoint,
                AllowanceBytes = spent.MonthlyEgressAllowanceBytes,
            },
        };
    }

    /// <summary>Whether the tenant's connection was granted a scope (true when its grant is not known).</summary>
    private async ValueTask<bool> CoversAsync(string tenantId, string scope, CancellationToken cancellationToken)
    {
        if (tokens is null)
        {
            return true;
        }

        var granted = await GrantedScopesAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return granted is null || XeroScopes.Covers(granted, scope);
    }

    /// <summary>The scopes the tenant's connection was granted, or null when not known (no token, or none recorded).</summary>
    private async ValueTask<IReadOnlySet<string>?> GrantedScopesAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (tokens is null)
        {
            return null;
        }

        var connectionKey = connectionKeys is null
            ? _options.ConnectionKeyForTenant?.Invoke(tenantId) ?? tenantId
            : await connectionKeys.ForTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
        try
        {
            return await tokens.GetGrantedScopesAsync(connectionKey, cancellationToken).ConfigureAwait(false);
        }
        catch (XeroApiException)
        {
            // No usable connection: the first call says so, and is classified as such.
            return null;
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Known when a token set is stored under the tenant's connection key (the host saved one, or mapped the tenant to a
    /// connection with <see cref="XeroOptions.ConnectionKeyForTenant"/>), or with a custom connection. Organisations
    /// connected through <see cref="XeroAuthorization.ConnectAsync"/> are registered, so this is asked only of ids never connected.
    /// </remarks>
    public override async ValueTask<bool> IsKnownTenantAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        if (tokens is null || _options.UseCustomConnection)
        {
            return true;
        }

        var connectionKey = connectionKeys is null
            ? _options.ConnectionKeyForTenant?.Invoke(tenantId) ?? tenantId
            : await connectionKeys.ForTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return await tokens.HasTokenAsync(connectionKey, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Xero's calls in flight per tenant, which the rate governor enforces. Practice Manager kinds go one at a time: a
    /// cost may name a job created moments before, and XPM has no batch calls to overlap usefully.
    /// </remarks>
    public override int MaxBatchesInFlight(RecordKind kind) => kind switch
    {
        RecordKind.Client or RecordKind.Job or RecordKind.Cost or RecordKind.Staff => 1,
        _ => Math.Max(1, _options.MaxConcurrentCallsPerTenant),
    };

    /// <inheritdoc />
    public override Task<ReferenceData> LoadReferenceDataAsync(string tenantId, CancellationToken cancellationToken = default) =>
        ReadReferenceDataAsync(tenantId, previous: null, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Accounts are read with <c>If-Modified-Since</c> (the previous read's time less <see cref="ModifiedSinceSkew"/>):
    /// Xero answers only the accounts created or changed since, usually none, and they replace their old selves. The
    /// organisation (lock dates), tax rates, tracking categories and currencies are read in full: Xero does not take
    /// the header on them. An account deleted in Xero stays in the set until a full read (a run a user starts, or a
    /// record failing for a reference-data reason, which drops the cache).
    /// </remarks>
    public override Task<ReferenceData> RevalidateReferenceDataAsync(string tenantId, ReferenceData previous, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(previous);
        return ReadReferenceDataAsync(tenantId, previous, cancellationToken);
    }

    /// <summary>How far before the previous read a delta read starts: our clock and Xero's may differ by this much.</summary>
    internal static readonly TimeSpan ModifiedSinceSkew = TimeSpan.FromMinutes(5);

    private async Task<ReferenceData> ReadReferenceDataAsync(string tenantId, ReferenceData? previous, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        var referenceScope = _options.IsPracticeManagerTenant?.Invoke(tenantId) == true ? XeroScopes.PracticeManagerJob + ".read" : XeroScopes.SettingsRead;
        if (!await CoversAsync(tenantId, referenceScope, cancellationToken).ConfigureAwait(false))
        {
            // Nothing can be checked or sent without the organisation's settings: say which permission to grant.
            throw new ConnectorException(XeroErrorParser.MissingScope(null, scope: referenceScope.Replace(".read", string.Empty, StringComparison.Ordinal), statusCode: null));
        }

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
        var accountsSince = previous is { Accounts.Count: > 0 } ? previous.FetchedAt - ModifiedSinceSkew : (DateTimeOffset?)null;
        var accounts = (await ReadAsync(tenantId, "Accounts", null, null, cancellationToken, accountsSince).ConfigureAwait(false)).Accounts ?? [];
        var taxRates = (await ReadAsync(tenantId, "TaxRates", null, null, cancellationToken).ConfigureAwait(false)).TaxRates ?? [];
        var tracking = (await ReadAsync(tenantId, "TrackingCategories", null, null, cancellationToken).ConfigureAwait(false)).TrackingCategories ?? [];
        var currencies = (await ReadAsync(tenantId, "Currencies", null, null, cancellationToken).ConfigureAwait(false)).Currencies ?? [];

        var currencyCodes = currencies.Select(c => c.Code).OfType<string>().ToList();
        if (organisation?.BaseCurrency is { } baseCurrency && !currencyCodes.Contains(baseCurrency, StringComparer.OrdinalIgnoreCase))
        {
            currencyCodes.Insert(0, baseCurrency);
        }

        var read = accounts
                .Where(a => a.AccountID is not null)
                .Select(a => (Account: new LedgerAccount
                {
                    AccountId = a.AccountID!,
                    Code = string.IsNullOrWhiteSpace(a.Code) ? null : a.Code,
                    Name = a.Name ?? string.Empty,
                    Type = a.Type,
                    IsArchived = a.Status is not null && !string.Equals(a.Status, "ACTIVE", StringComparison.OrdinalIgnoreCase),
                    IsBank = string.Equals(a.Type, "BANK", StringComparison.OrdinalIgnoreCase),
                    EnablePayments = a.EnablePaymentsToAccount == true || string.Equals(a.Type, "BANK", StringComparison.OrdinalIgnoreCase),
                }, Deleted: string.Equals(a.Status, "DELETED", StringComparison.OrdinalIgnoreCase)))
                .ToArray();
        var data = new ReferenceData
        {
            Accounts = accountsSince is null ? read.Where(a => !a.Deleted).Select(a => a.Account).ToArray() : MergeAccounts(previous!.Accounts, read),
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
            RecordKind.CreditNote => PushCreditNotesAsync(batch, cancellationToken),
            RecordKind.PurchaseOrder => SendAsync(batch, s_purchaseOrders, PrepareDocuments<XeroPurchaseOrder>(batch, (r, contact, id) => M.PurchaseOrder((PurchaseOrderRecord)r, contact, id)), cancellationToken),
            RecordKind.Payment => PushPaymentsAsync(batch, cancellationToken),
            RecordKind.Client or RecordKind.Job or RecordKind.Cost => PracticeManager.PushAsync(batch, cancellationToken),
            _ => throw new NotSupportedException($"The Xero connector does not push {batch.Kind} records."),
        };
    }

    // ---- Push -----------------------------------------------------------------------------------------------

    private async Task<PushResult> PushContactsAsync(PushBatch batch, CancellationToken cancellationToken)
    {
        var prepared = Prepare<ContactRecord, XeroContact>(batch, (e, r) => M.Contact(r, e.RemoteId));

        // No duplicate contacts: a new contact whose name Xero already has takes that contact over, unless another
        // record owns it (then it fails, naming both). Never by email: two customers may share an accounts address.
        var creates = prepared.Where(p => p.Body is not null && !p.IsUpdate).ToList();
        List<(string SourceId, string ContactId)> takeovers = [];
        if (creates.Count > 0)
        {
            var (matches, failure) = await MatchExistingContactsAsync(batch.TenantId, creates.Select(p => p.Element).ToList(), cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return PushResult.Failed(failure);
            }

            if (matches.Count > 0)
            {
                takeovers = matches.Where(m => m.Value.ContactId is not null).Select(m => (m.Key, m.Value.ContactId!)).ToList();
                Log.ContactsMatched(logger, matches.Count(m => m.Value.ContactId is not null), creates.Count);
                prepared = prepared
                    .Select(p => p.Body is null || p.IsUpdate || !matches.TryGetValue(p.Element.Record.SourceId, out var match)
                        ? p
                        : match.Failure is not null
                            ? p with { Body = null, Failure = match.Failure }
                            : p with { Body = M.Contact((ContactRecord)p.Element.Record, match.ContactId), IsUpdate = true })
                    .ToList();
            }
        }

        // A send that throws keeps its claims: whether the takeover landed is unknown, so no other record takes the contact.
        var result = await SendAsync(batch, s_contacts, prepared, cancellationToken).ConfigureAwait(false);
        if (_directories.TryGetValue(batch.TenantId, out var directory))
        {
            // Contacts written now are existing contacts — claimed by their records — for the batches that follow; a
            // takeover that Xero refused gives its claim back.
            var sent = batch.Elements.ToDictionary(e => e.Key.SourceId, e => (ContactRecord)e.Record, StringComparer.Ordinal);
            var outcomes = result.Outcomes.ToDictionary(o => o.SourceId, StringComparer.Ordinal);
            foreach (var outcome in result.Outcomes.Where(o => o.Succeeded))
            {
                if (sent.TryGetValue(outcome.SourceId, out var contact))
                {
                    directory.Add(contact.Name, outcome.RemoteId!, outcome.SourceId);
                }
            }

            foreach (var (sourceId, match) in takeovers)
            {
                var failure = outcomes.TryGetValue(sourceId, out var outcome) ? outcome.Failure : result.BatchFailure;
                if (failure is { WriteMayHaveLanded: false })
                {
                    directory.Release(match, sourceId);
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Credit notes, then each new authorised one that names the invoice it refunds is allocated to it (reducing what is
    /// due), for its whole total as Xero echoed it. An allocation Xero refuses (the invoice has less due) leaves the credit
    /// note synced with a warning to allocate it by hand: the credit note itself is in Xero either way.
    /// </summary>
    private async Task<PushResult> PushCreditNotesAsync(PushBatch batch, CancellationToken cancellationToken)
    {
        var prepared = PrepareDocuments<XeroCreditNote>(batch, M.CreditNote);
        List<XeroCreditNote>? answered = null;
        var capturing = new Spec<XeroCreditNote>(s_creditNotes.Resource, e => answered = e.CreditNotes, (e, l) => e.CreditNotes = l, c => c.CreditNoteID, c => c.CreditNoteNumber, c => c.CreditNoteNumber);
        var result = await SendAsync(batch, capturing, prepared, cancellationToken).ConfigureAwait(false);
        var created = prepared.Where(p => p.Body is not null && !p.IsUpdate).ToDictionary(p => p.Element.Record.SourceId, StringComparer.Ordinal);
        var outcomes = new List<ElementOutcome>(result.Outcomes.Count);
        foreach (var outcome in result.Outcomes)
        {
            if (outcome.Succeeded
                && created.TryGetValue(outcome.SourceId, out var sent)
                && sent.Element.Record is CreditNoteRecord { OriginalInvoiceSourceId: { } refunded }
                && sent.Element.LinkedRemoteId(RecordKind.Invoice, refunded) is { } invoiceId
                && answered?.FirstOrDefault(c => string.Equals(c.CreditNoteID, outcome.RemoteId, StringComparison.OrdinalIgnoreCase)) is { Status: "AUTHORISED", Total: > 0m } note)
            {
                var allocation = new XeroEnvelope { Allocations = [new XeroAllocation { Invoice = new XeroInvoice { InvoiceID = invoiceId }, Amount = note.Total, Date = note.Date }] };
                var (_, failure) = await Api.WriteAsync(batch.TenantId, HttpMethod.Put, "CreditNotes/" + Uri.EscapeDataString(outcome.RemoteId!) + "/Allocations", allocation, batch.IdempotencyKey + ":allocate:" + outcome.SourceId, RecordKind.CreditNote, cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    outcomes.Add(outcome with
                    {
                        Warnings =
                        [
                            .. outcome.Warnings,
                            new SyncWarning { Code = "CreditNoteNotAllocated", Message = $"The credit note was sent but could not be allocated to the invoice it refunds: {failure.MessageText} Allocate it in Xero by hand." },
                        ],
                    });
                    continue;
                }
            }

            outcomes.Add(outcome);
        }

        return result with { Outcomes = outcomes };
    }

    private async Task<PushResult> PushPaymentsAsync(PushBatch batch, CancellationToken cancellationToken)
    {
        var prepared = new List<Prepared<XeroPayment>>();
        foreach (var element in batch.Elements)
        {
            var payment = (PaymentRecord)element.Record;
            if (XeroLimits.Check(payment) is { } invalid)
            {
                prepared.Add(new(element, null, false, invalid));
                continue;
            }

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
        batch.Elements.Select(e => XeroLimits.Check(e.Record) is { } invalid
            ? new Prepared<TBody>(e, null, false, invalid)
            : new Prepared<TBody>(e, map(e, (TRecord)e.Record), e.RemoteId is not null, null)).ToList();

    private static List<Prepared<TBody>> PrepareDocuments<TBody>(PushBatch batch, Func<DocumentRecord, string, string?, TBody> map)
        where TBody : XeroElementBase =>
        batch.Elements.Select(e =>
        {
            var document = (DocumentRecord)e.Record;
            var contactId = e.LinkedRemoteId(RecordKind.Contact, document.ContactSourceId);
            if (XeroLimits.Check(document) is { } invalid)
            {
                return new Prepared<TBody>(e, null, false, invalid);
            }

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

    /// <summary>
    /// Pairs Xero's echoed elements with those sent: by position, checked by number/name/code (compared as Xero stores
    /// text) where both have one; when Xero answered as many elements as were sent, every element gets its position's answer.
    /// </summary>
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
                var candidates = Enumerable.Range(0, answered.Count).Where(j => !used[j] && M.SameName(spec.Key(answered[j]), wanted)).ToList();
                index = candidates.Count == 1 ? candidates[0] : -1;
            }

            if (index < 0 && answered.Count == sent.Count && !used[i])
            {
                // Xero answers every element, in the order sent: its answer at this position is this element's, even
                // when its echo of the key differs (text Xero stored otherwise than sent).
                index = i;
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
            return new ElementOutcome { SourceId = sourceId, Failure = XeroErrorParser.FromElement(answer, kind, SentLines(sent.Body)) };
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
        string.IsNullOrEmpty(sent) || string.IsNullOrEmpty(answered) || M.SameName(sent, answered);

    private static string? PaymentKey(XeroPayment payment)
    {
        var document = payment.Invoice?.InvoiceID ?? payment.CreditNote?.CreditNoteID;
        return document is null || payment.Amount is null
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{document.ToUpperInvariant()}|{payment.Amount.Value:0.00}");
    }

    // ---- Contacts: match before create, and reconcile ------------------------------------------------------

    /// <summary>
    /// Finds existing Xero contacts for new contacts by name as Xero stores it (never by email alone), from the tenant's
    /// directory or one read per chunk of names. A contact another ledger entry owns, that another record of this run
    /// claimed, or that an earlier create of this batch took, is not adopted: that element fails, naming both records.
    /// </summary>
    private async Task<(Dictionary<string, ContactMatchResult> Matches, SyncFailure? Failure)> MatchExistingContactsAsync(string tenantId, List<PushElement> creates, CancellationToken cancellationToken)
    {
        var matches = new Dictionary<string, ContactMatchResult>(StringComparer.Ordinal);
        var (directory, directoryFailure) = await ContactDirectoryAsync(tenantId, cancellationToken).ConfigureAwait(false);
        if (directoryFailure is not null)
        {
            return (matches, directoryFailure);
        }

        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        if (directory.Complete)
        {
            foreach (var element in creates)
            {
                if (directory.Find(((ContactRecord)element.Record).Name) is { } id)
                {
                    found[element.Key.SourceId] = id;
                }
            }
        }
        else
        {
            var (contacts, failure) = await ReadContactsByNameAsync(tenantId, creates.Select(e => ((ContactRecord)e.Record).Name), cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return (matches, failure);
            }

            var active = contacts.Where(IsActiveContact).ToList();
            foreach (var element in creates)
            {
                var name = ((ContactRecord)element.Record).Name;
                if (active.FirstOrDefault(c => M.SameName(c.Name, name)) is { } contact)
                {
                    found[element.Key.SourceId] = contact.ContactID!;
                }
            }
        }

        if (found.Count == 0)
        {
            return (matches, null);
        }

        IReadOnlyDictionary<string, SyncKit.Ledger.LedgerKey> owners = ledgerStore is null
            ? new Dictionary<string, SyncKit.Ledger.LedgerKey>()
            : await ledgerStore.FindOwnersAsync(tenantId, RecordKind.Contact, found.Values.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), cancellationToken).ConfigureAwait(false);
        var takenInBatch = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var element in creates)
        {
            if (!found.TryGetValue(element.Key.SourceId, out var contactId))
            {
                continue;
            }

            var sourceId = element.Key.SourceId;
            var owner = OwnerOf(owners, contactId) is { } key && !string.Equals(key.SourceId, sourceId, StringComparison.Ordinal) ? key.SourceId : null;
            owner ??= takenInBatch.TryGetValue(contactId, out var earlier) ? earlier : null;

            // Claimed at once, not after the write: a batch of contacts in flight beside this one must not take it too.
            owner ??= directory.TryClaim(contactId, sourceId);
            if (owner is not null)
            {
                matches[sourceId] = new ContactMatchResult(null, ContactNameTaken(element, owner));
                continue;
            }

            takenInBatch[contactId] = sourceId;
            matches[sourceId] = new ContactMatchResult(contactId, null);
        }

        return (matches, null);
    }

    private static SyncKit.Ledger.LedgerKey? OwnerOf(IReadOnlyDictionary<string, SyncKit.Ledger.LedgerKey> owners, string contactId) =>
        owners.TryGetValue(contactId, out var key) ? key : owners.FirstOrDefault(o => string.Equals(o.Key, contactId, StringComparison.OrdinalIgnoreCase)).Value;

    private static SyncFailure ContactNameTaken(PushElement element, string ownerSourceId)
    {
        var name = M.StoredName(((ContactRecord)element.Record).Name);
        return new SyncFailure
        {
            Source = FailureSource.Validation,
            Code = XeroFailureCodes.ContactNameTaken,
            Kind = RecordKind.Contact,
            Messages = [$"A contact named '{name}' already exists in Xero and is linked to another record ('{ownerSourceId}'), so this record ('{element.Key.SourceId}') was not sent: Xero needs every contact's name to be different."],
            Details = new Dictionary<string, string> { ["ContactName"] = name, ["LinkedSourceId"] = ownerSourceId },
        };
    }

    private sealed record ContactMatchResult(string? ContactId, SyncFailure? Failure);

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
        if (Fresh(tenantId) is { } fresh)
        {
            return (fresh, null);
        }

        // One read per tenant, however many batches of contacts are in flight: the others wait for it.
        var gate = _directoryLoads.GetOrAdd(tenantId, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return Fresh(tenantId) is { } loaded ? (loaded, null) : await LoadContactDirectoryAsync(tenantId, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }

        ContactDirectory? Fresh(string tenant) =>
            _directories.TryGetValue(tenant, out var cached) && timeProvider.GetUtcNow() - cached.LoadedAt < s_directoryLifetime ? cached : null;
    }

    private async Task<(ContactDirectory Directory, SyncFailure? Failure)> LoadContactDirectoryAsync(string tenantId, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        _directories.TryGetValue(tenantId, out var cached);

        // A complete directory is brought up to date with what changed since it was read (Xero answers If-Modified-Since
        // with the changed contacts only), instead of being read whole again: the same call, a fraction of the bytes.
        var since = cached is { Complete: true } ? cached.LoadedAt - ModifiedSinceSkew : (DateTimeOffset?)null;
        var (envelope, failure) = await Api.GetAsync(
            tenantId,
            "Contacts",
            [new("page", "1"), new("pageSize", "1000"), new("summaryOnly", "true")],
            RecordKind.Contact,
            ifModifiedSince: since,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return (cached ?? new ContactDirectory(now, complete: false), failure);
        }

        var contacts = envelope?.Contacts ?? [];
        var complete = envelope?.Pagination?.PageCount is { } pages ? pages <= 1 : contacts.Count < 1000;
        if (since is not null && complete)
        {
            var updated = cached!.Updated(now, contacts.Where(c => !M.IsEmptyId(c.ContactID)).Select(c => (c.ContactID!, IsActiveContact(c) ? c.Name : null)));
            _directories[tenantId] = updated;
            return (updated, null);
        }

        var directory = new ContactDirectory(now, complete);
        if (complete)
        {
            foreach (var contact in contacts.Where(IsActiveContact))
            {
                directory.Add(contact.Name!, contact.ContactID!, claimedBy: null);
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

    // ---- Helpers -----------------------------------------------------------------------------------------------

    private async Task<XeroEnvelope> ReadAsync(string tenantId, string resource, IReadOnlyList<KeyValuePair<string, string>>? query, RecordKind? kind, CancellationToken cancellationToken, DateTimeOffset? ifModifiedSince = null)
    {
        var (envelope, failure) = await Api.GetAsync(tenantId, resource, query, kind, ifModifiedSince, cancellationToken).ConfigureAwait(false);
        ThrowIfFailed(failure);
        return envelope ?? new XeroEnvelope();
    }

    /// <summary>The previous chart of accounts with the accounts Xero says changed since put in their place (deleted ones out).</summary>
    private static LedgerAccount[] MergeAccounts(IReadOnlyList<LedgerAccount> previous, IReadOnlyList<(LedgerAccount Account, bool Deleted)> changed)
    {
        if (changed.Count == 0)
        {
            return previous.ToArray();
        }

        var byId = changed.ToDictionary(c => c.Account.AccountId, StringComparer.OrdinalIgnoreCase);
        var merged = new List<LedgerAccount>(previous.Count + changed.Count);
        foreach (var account in previous)
        {
            if (byId.Remove(account.AccountId, out var update))
            {
                if (!update.Deleted)
                {
                    merged.Add(update.Account);
                }
            }
            else
            {
                merged.Add(account);
            }
        }

        merged.AddRange(byId.Values.Where(c => !c.Deleted).Select(c => c.Account));
        return merged.ToArray();
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

    /// <summary>The lines as sent, so a failure about "a line" can say which (Xero's messages do not).</summary>
    private static IReadOnlyList<XeroLineItem>? SentLines(XeroElementBase? body) => body switch
    {
        XeroInvoice invoice => invoice.LineItems,
        XeroCreditNote note => note.LineItems,
        XeroPurchaseOrder order => order.LineItems,
        _ => null,
    };

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

/// <summary>
/// A tenant's existing contacts by name as Xero stores it (complete when the organisation has one page of them), and
/// which record of this process wrote or took over each contact.
/// </summary>
internal sealed class ContactDirectory(DateTimeOffset loadedAt, bool complete)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _claims = new(StringComparer.OrdinalIgnoreCase);

    public DateTimeOffset LoadedAt { get; } = loadedAt;

    public bool Complete { get; } = complete;

    public void Add(string name, string contactId, string? claimedBy)
    {
        lock (_gate)
        {
            var key = XeroRecordMapper.StoredName(name);
            if (key.Length > 0)
            {
                _byName.TryAdd(key, contactId);
            }

            if (claimedBy is not null)
            {
                _claims[contactId] = claimedBy;
            }
        }
    }

    /// <summary>
    /// A copy read at <paramref name="loadedAt"/> with Xero's changes since: each changed contact under its current name
    /// (null: archived or deleted, so no longer matched). Claims do not carry over, as with a whole read: they hold for
    /// one directory's lifetime.
    /// </summary>
    public ContactDirectory Updated(DateTimeOffset loadedAt, IEnumerable<(string ContactId, string? Name)> changes)
    {
        var updated = new ContactDirectory(loadedAt, Complete);
        lock (_gate)
        {
            foreach (var (key, id) in _byName)
            {
                updated._byName[key] = id;
            }
        }

        foreach (var (contactId, name) in changes)
        {
            // A renamed contact is no longer found by its old name.
            foreach (var key in updated._byName.Where(p => string.Equals(p.Value, contactId, StringComparison.OrdinalIgnoreCase)).Select(p => p.Key).ToList())
            {
                updated._byName.Remove(key);
            }

            if (name is not null)
            {
                updated.Add(name, contactId, claimedBy: null);
            }
        }

        return updated;
    }

    /// <summary>The contact with this name as Xero stores it; never by email (several customers may share one).</summary>
    public string? Find(string name)
    {
        lock (_gate)
        {
            return _byName.TryGetValue(XeroRecordMapper.StoredName(name), out var id) ? id : null;
        }
    }

    /// <summary>
    /// Claims a contact for a record that is taking it over, unless another record of this process wrote or took it.
    /// </summary>
    /// <returns>Null when claimed; otherwise the record that holds it.</returns>
    public string? TryClaim(string contactId, string sourceId)
    {
        lock (_gate)
        {
            if (_claims.TryGetValue(contactId, out var holder) && !string.Equals(holder, sourceId, StringComparison.Ordinal))
            {
                return holder;
            }

            _claims[contactId] = sourceId;
            return null;
        }
    }

    /// <summary>Gives back a claim whose takeover Xero refused.</summary>
    public void Release(string contactId, string sourceId)
    {
        lock (_gate)
        {
            if (_claims.TryGetValue(contactId, out var holder) && string.Equals(holder, sourceId, StringComparison.Ordinal))
            {
                _claims.Remove(contactId);
            }
        }
    }
}
