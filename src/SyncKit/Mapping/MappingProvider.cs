using SyncKit.Storage;

namespace SyncKit.Mapping;

/// <summary>Translates the host's keys (GL codes, tax codes, items, organisations, tracking, terms, jobs) to the ledger's.</summary>
/// <remarks>
/// The default reads the <see cref="MappingStore"/>. A host replaces it by registering its own provider,
/// or decorates it by taking <see cref="StoreMappingProvider"/> in its constructor.
/// Results are cached for the length of a run.
/// </remarks>
public abstract class MappingProvider
{
    /// <summary>Maps one key.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="kind">What kind of key.</param>
    /// <param name="localKey">The host's key.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The ledger's key, or null when no mapping exists.</returns>
    public abstract ValueTask<string?> MapAsync(string tenantId, MappingKind kind, string localKey, CancellationToken cancellationToken = default);
}

/// <summary>The default mapping provider: mappings from the store, and pass-through for kinds the options name.</summary>
public sealed class StoreMappingProvider : MappingProvider
{
    private readonly MappingStore _store;
    private readonly Microsoft.Extensions.Options.IOptions<SyncOptions> _options;

    /// <summary>Creates the provider.</summary>
    /// <param name="store">The mapping store.</param>
    /// <param name="options">The engine options (pass-through kinds).</param>
    public StoreMappingProvider(MappingStore store, Microsoft.Extensions.Options.IOptions<SyncOptions> options)
    {
        _store = store;
        _options = options;
    }

    /// <inheritdoc />
    public override async ValueTask<string?> MapAsync(string tenantId, MappingKind kind, string localKey, CancellationToken cancellationToken = default)
    {
        var mapped = await _store.GetAsync(tenantId, kind, localKey, cancellationToken).ConfigureAwait(false);
        if (mapped is not null)
        {
            return mapped;
        }

        return _options.Value.PassThroughMappings.Contains(kind) ? localKey : null;
    }
}
