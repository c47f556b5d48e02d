using Microsoft.Extensions.Options;
using SyncKit.Records;
using SyncKit.Sources;

namespace SyncKit.Xero;

/// <summary>
/// The scopes SyncKit asks Xero for: <see cref="XeroOptions.Scopes"/> when the host set them, otherwise the granular
/// scopes of the kinds it syncs (each kind's write scope, see <see cref="XeroScopes.ForKind"/>), the settings scope the
/// reference data needs, Practice Manager jobs when the host reads them, and <c>offline_access</c>.
/// </summary>
internal sealed class XeroScopePlan(IOptions<XeroOptions> options, IEnumerable<SyncSource> sources)
{
    private readonly XeroOptions _options = options.Value;
    private readonly Lazy<IReadOnlyList<string>> _requested = new(() => Derive(options.Value, sources.Select(s => s.Kind)));

    /// <summary>The scopes to ask for at consent, in a stable order.</summary>
    public IReadOnlyList<string> Requested => _options.Scopes.Count > 0 ? _options.Scopes.ToArray() : _requested.Value;

    /// <summary>The scopes the kinds the host syncs need, whatever <see cref="XeroOptions.Scopes"/> asks for (the status's "missing").</summary>
    public IReadOnlyList<string> Needed => _requested.Value;

    /// <summary>The scopes for the client-credentials grant (custom connections have no refresh token).</summary>
    public IReadOnlyList<string> ForClientCredentials => Requested.Where(s => !string.Equals(s, XeroScopes.OfflineAccess, StringComparison.Ordinal)).ToArray();

    internal static IReadOnlyList<string> Derive(XeroOptions options, IEnumerable<RecordKind> kinds)
    {
        var kindSet = kinds.Where(k => k != RecordKind.Staff).ToHashSet();
        var practiceOnly = options.IsPracticeManagerTenant is not null && kindSet.All(IsPracticeKind) && kindSet.Count > 0;
        var scopes = new List<string>();
        if (!options.UseCustomConnection)
        {
            scopes.Add(XeroScopes.OfflineAccess);
        }

        // Reference data (organisation, accounts, tax rates, tracking, currencies) is read before any accounting push.
        if (!practiceOnly)
        {
            scopes.Add(XeroScopes.Settings);
        }

        // Sort reads an empty set as every kind: a host without sources asks for nothing more.
        foreach (var kind in kindSet.Count == 0 ? [] : RecordKindOrder.Sort(kindSet))
        {
            scopes.Add(XeroScopes.ForKind(kind).Write);
        }

        if (options.UsePracticeManager || options.IsPracticeManagerTenant is not null)
        {
            // The practice's current jobs are reference data (costs are checked against their states).
            scopes.Add(XeroScopes.PracticeManagerJob);
        }

        return scopes.Distinct(StringComparer.Ordinal).ToArray();
    }

    private static bool IsPracticeKind(RecordKind kind) => kind is RecordKind.Client or RecordKind.Job or RecordKind.Cost or RecordKind.Staff;
}
