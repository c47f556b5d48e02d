using SyncKit.Connectors;
using SyncKit.Errors;
using SyncKit.Ledger;
using SyncKit.Mapping;
using SyncKit.Records;

namespace SyncKit.Engine;

/// <summary>Maps one record's host keys to ledger codes and resolves its links; remembers the first thing missing.</summary>
internal sealed class RecordMapper
{
    private readonly RunScope _scope;
    private readonly MappingProvider _provider;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);

    public RecordMapper(RunScope scope, MappingProvider provider, CancellationToken cancellationToken)
    {
        _scope = scope;
        _provider = provider;
        _cancellationToken = cancellationToken;
    }

    /// <summary>The first missing mapping or link, as <c>Kind:key</c> with its failure.</summary>
    public (string Key, SyncFailure Failure)? Missing { get; private set; }

    public IReadOnlyDictionary<string, string> Links => _links;

    public async Task<SyncRecord> MapAsync(SyncRecord record)
    {
        switch (record)
        {
            case DocumentRecord document:
            {
                await LinkAsync(RecordKind.Contact, document.ContactSourceId, MappingKind.Contact, FailureCodes.MissingMapping(MappingKind.Contact), record.Kind).ConfigureAwait(false);
                if (document is CreditNoteRecord { OriginalInvoiceSourceId: { } refunded })
                {
                    // The credit note is allocated to the invoice it refunds: that invoice goes first.
                    await LinkAsync(RecordKind.Invoice, refunded, null, FailureCodes.DependencyNotSynced, record.Kind).ConfigureAwait(false);
                }

                var lines = new DocumentLine[document.Lines.Count];
                for (var i = 0; i < lines.Length; i++)
                {
                    lines[i] = await MapLineAsync(document.Lines[i], record.Kind).ConfigureAwait(false);
                }

                return document with { Lines = lines };
            }

            case ContactRecord contact when contact.PaymentTermsKey is { } terms:
                return contact with { PaymentTermsKey = await RequireAsync(MappingKind.PaymentTerms, terms, record.Kind).ConfigureAwait(false) };

            case ItemRecord item:
                return item with
                {
                    SalesAccountKey = await OptionalAsync(MappingKind.Account, item.SalesAccountKey, record.Kind).ConfigureAwait(false),
                    SalesTaxKey = await OptionalAsync(MappingKind.TaxRate, item.SalesTaxKey, record.Kind).ConfigureAwait(false),
                    PurchaseAccountKey = await OptionalAsync(MappingKind.Account, item.PurchaseAccountKey, record.Kind).ConfigureAwait(false),
                    PurchaseTaxKey = await OptionalAsync(MappingKind.TaxRate, item.PurchaseTaxKey, record.Kind).ConfigureAwait(false),
                };

            case PaymentRecord payment:
                await LinkAsync(payment.DocumentKind, payment.DocumentSourceId, null, FailureCodes.DependencyNotSynced, record.Kind).ConfigureAwait(false);
                return payment with { AccountKey = await RequireAsync(MappingKind.Account, payment.AccountKey, record.Kind).ConfigureAwait(false) };

            case JobRecord job:
                await LinkAsync(RecordKind.Client, job.ClientSourceId, MappingKind.Client, FailureCodes.MissingMapping(MappingKind.Client), record.Kind).ConfigureAwait(false);
                return job;

            case CostRecord cost:
            {
                // The seeds' order: an unmapped organisation is the cause to report before a missing job.
                await LinkAsync(RecordKind.Client, cost.OrganisationKey, MappingKind.Client, FailureCodes.MissingMapping(MappingKind.Client), record.Kind).ConfigureAwait(false);
                var jobKey = cost.JobSourceId ?? cost.OrganisationKey;
                await LinkAsync(RecordKind.Job, jobKey, MappingKind.Job, FailureCodes.MissingMapping(MappingKind.Job), record.Kind).ConfigureAwait(false);
                return cost;
            }

            default:
                return record;
        }
    }

    public async ValueTask<string?> MapKeyAsync(MappingKind kind, string localKey)
    {
        if (_scope.Mappings.TryGetValue((kind, localKey), out var known))
        {
            return known;
        }

        var mapped = await _provider.MapAsync(_scope.TenantId, kind, localKey, _cancellationToken).ConfigureAwait(false);
        _scope.Mappings[(kind, localKey)] = mapped;
        return mapped;
    }

    public SyncFailure MissingFailure(MappingKind kind, string localKey, RecordKind recordKind) =>
        Failure(FailureCodes.MissingMapping(kind), $"{kind}:{localKey}", localKey, recordKind, MissingMessage(kind, localKey));

    private async Task<DocumentLine> MapLineAsync(DocumentLine line, RecordKind recordKind)
    {
        string? item = null;
        if (line.ItemKey is { } itemKey)
        {
            // An item SyncKit synced is known by its code (the item record's display name); otherwise it must be mapped.
            item = await MapKeyAsync(MappingKind.Item, itemKey).ConfigureAwait(false)
                ?? (_scope.LinkedEntry(RecordKind.Item, itemKey) is { State: LedgerState.Synced, DisplayName: { } code } ? code : null);
            if (item is null)
            {
                Remember(MappingKind.Item, itemKey, recordKind);
            }
        }

        var tracking = line.Tracking;
        if (tracking.Count > 0)
        {
            var mappedTracking = new TrackingAssignment[tracking.Count];
            for (var i = 0; i < tracking.Count; i++)
            {
                var local = $"{tracking[i].CategoryKey}/{tracking[i].OptionKey}";
                var remote = await RequireAsync(MappingKind.Tracking, local, recordKind).ConfigureAwait(false);
                var slash = remote.IndexOf('/', StringComparison.Ordinal);
                mappedTracking[i] = slash < 0
                    ? tracking[i]
                    : new TrackingAssignment { CategoryKey = remote[..slash], OptionKey = remote[(slash + 1)..] };
            }

            tracking = mappedTracking;
        }

        return line with
        {
            AccountKey = await OptionalAsync(MappingKind.Account, line.AccountKey, recordKind).ConfigureAwait(false),
            TaxKey = await OptionalAsync(MappingKind.TaxRate, line.TaxKey, recordKind).ConfigureAwait(false),
            ItemKey = item ?? line.ItemKey,
            Tracking = tracking,
        };
    }

    private async ValueTask<string?> OptionalAsync(MappingKind kind, string? localKey, RecordKind recordKind) =>
        localKey is null ? null : await RequireAsync(kind, localKey, recordKind).ConfigureAwait(false);

    private async ValueTask<string> RequireAsync(MappingKind kind, string localKey, RecordKind recordKind)
    {
        if (await MapKeyAsync(kind, localKey).ConfigureAwait(false) is { } mapped)
        {
            return mapped;
        }

        Remember(kind, localKey, recordKind);
        return localKey;
    }

    private async Task LinkAsync(RecordKind kind, string sourceId, MappingKind? mappingKind, string missingCode, RecordKind recordKind)
    {
        var linkKey = PushElement.LinkKey(kind, sourceId);
        if (_scope.LinkedEntry(kind, sourceId) is { RemoteId: { } synced })
        {
            _links[linkKey] = synced;
            return;
        }

        if (mappingKind is { } mk && await MapKeyAsync(mk, sourceId).ConfigureAwait(false) is { } mapped)
        {
            _links[linkKey] = mapped;
            return;
        }

        if (Missing is null)
        {
            var message = mappingKind is { } m ? MissingMessage(m, sourceId) : $"{kind} '{sourceId}' is not synced to the ledger yet.";
            Missing = ($"{mappingKind?.ToString() ?? kind.ToString()}:{sourceId}", Failure(missingCode, $"{mappingKind?.ToString() ?? kind.ToString()}:{sourceId}", sourceId, recordKind, message));
        }
    }

    private void Remember(MappingKind kind, string localKey, RecordKind recordKind) =>
        Missing ??= ($"{kind}:{localKey}", MissingFailure(kind, localKey, recordKind));

    private static string MissingMessage(MappingKind kind, string localKey) => kind switch
    {
        MappingKind.Account => $"No Xero account is mapped for GL account '{localKey}'.",
        MappingKind.TaxRate => $"No Xero tax rate is mapped for tax code '{localKey}'.",
        MappingKind.Item => $"No Xero item is mapped for product '{localKey}'.",
        MappingKind.Contact => $"Contact '{localKey}' is not synced or mapped.",
        MappingKind.Client => $"No client is mapped for organisation '{localKey}'.",
        MappingKind.Tracking => $"No Xero tracking option is mapped for '{localKey}'.",
        MappingKind.PaymentTerms => $"No Xero payment terms are mapped for '{localKey}'.",
        MappingKind.Job => $"No job is mapped for '{localKey}'.",
        _ => $"No mapping for {kind} '{localKey}'.",
    };

    private static SyncFailure Failure(string code, string missingKey, string localKey, RecordKind recordKind, string message) => new()
    {
        Source = FailureSource.Mapping,
        Code = code,
        Kind = recordKind,
        Messages = [message],
        Details = new Dictionary<string, string> { ["MappingKey"] = missingKey, ["LocalKey"] = localKey },
    };
}
