using System.Security.Claims;
using SyncKit.Ledger;
using SyncKit.Mapping;
using SyncKit.Records;
using SyncKit.Runs;
using SyncKit.Sources;
using SyncKit.Storage;

namespace SyncKit.Authorization;

/// <summary>The engine for one user: each call asks the host's authorizer first and does nothing when refused.</summary>
internal sealed class AuthorizedSyncEngine(ISyncEngine engine, ClaimsPrincipal user, ISyncAuthorizer authorizer) : ISyncEngine
{
    public async Task<SyncRun> SyncAsync(SyncRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await EnsureAsync(SyncPermission.SyncAll, request.TenantId, cancellationToken).ConfigureAwait(false);
        return await engine.SyncAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public async Task<RecordOutcome> SyncRecordAsync(LedgerKey key, string? requestedBy = null, CancellationToken cancellationToken = default)
    {
        await EnsureAsync(SyncPermission.Retry, key.TenantId, cancellationToken).ConfigureAwait(false);
        return await engine.SyncRecordAsync(key, requestedBy, cancellationToken).ConfigureAwait(false);
    }

    public async Task<SyncPreview> PreviewAsync(SyncRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await EnsureAsync(SyncPermission.Preview, request.TenantId, cancellationToken).ConfigureAwait(false);
        return await engine.PreviewAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public async Task<SyncRun> RetryAsync(RetryRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await EnsureAsync(SyncPermission.Retry, request.TenantId, cancellationToken).ConfigureAwait(false);
        return await engine.RetryAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public async Task<LedgerEntry> SkipAsync(LedgerKey key, string? reason = null, CancellationToken cancellationToken = default)
    {
        await EnsureAsync(SyncPermission.Skip, key.TenantId, cancellationToken).ConfigureAwait(false);
        return await engine.SkipAsync(key, reason, cancellationToken).ConfigureAwait(false);
    }

    public async Task<LedgerEntry> UnskipAsync(LedgerKey key, CancellationToken cancellationToken = default)
    {
        await EnsureAsync(SyncPermission.Skip, key.TenantId, cancellationToken).ConfigureAwait(false);
        return await engine.UnskipAsync(key, cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> ReleaseAsync(IReadOnlyCollection<LedgerKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);

        // Keys may span tenants: each tenant is asked once.
        foreach (var tenantId in keys.Select(k => k.TenantId).Distinct(StringComparer.Ordinal))
        {
            await EnsureAsync(SyncPermission.Release, tenantId, cancellationToken).ConfigureAwait(false);
        }

        return await engine.ReleaseAsync(keys, cancellationToken).ConfigureAwait(false);
    }

    public async Task<LedgerEntry> SendAsNewAsync(LedgerKey key, CancellationToken cancellationToken = default)
    {
        await EnsureAsync(SyncPermission.Resolve, key.TenantId, cancellationToken).ConfigureAwait(false);
        return await engine.SendAsNewAsync(key, cancellationToken).ConfigureAwait(false);
    }

    public async Task<LedgerEntry> MarkResolvedAsync(LedgerKey key, string? remoteId = null, CancellationToken cancellationToken = default)
    {
        await EnsureAsync(SyncPermission.Resolve, key.TenantId, cancellationToken).ConfigureAwait(false);
        return await engine.MarkResolvedAsync(key, remoteId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> SetMappingAsync(string tenantId, MappingKind kind, string localKey, string remoteKey, CancellationToken cancellationToken = default)
    {
        await EnsureAsync(SyncPermission.Map, tenantId, cancellationToken).ConfigureAwait(false);
        return await engine.SetMappingAsync(tenantId, kind, localKey, remoteKey, cancellationToken).ConfigureAwait(false);
    }

    public async Task PauseAsync(string tenantId, DateTimeOffset until, string? reason = null, CancellationToken cancellationToken = default)
    {
        await EnsureAsync(SyncPermission.Pause, tenantId, cancellationToken).ConfigureAwait(false);
        await engine.PauseAsync(tenantId, until, reason, cancellationToken).ConfigureAwait(false);
    }

    public async Task ResumeAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await EnsureAsync(SyncPermission.Pause, tenantId, cancellationToken).ConfigureAwait(false);
        await engine.ResumeAsync(tenantId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<SyncStatus> GetStatusAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await EnsureAsync(SyncPermission.View, tenantId, cancellationToken).ConfigureAwait(false);
        return await engine.GetStatusAsync(tenantId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<LedgerPage> QueryLedgerAsync(LedgerQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await EnsureAsync(SyncPermission.View, query.TenantId, cancellationToken).ConfigureAwait(false);
        return await engine.QueryLedgerAsync(query, cancellationToken).ConfigureAwait(false);
    }

    public async Task<SyncRun> PullAsync(Inbound.PullRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await EnsureAsync(SyncPermission.Pull, request.TenantId, cancellationToken).ConfigureAwait(false);
        return await engine.PullAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<InboundRecord>> GetReconciliationListAsync(string tenantId, int limit = 100, CancellationToken cancellationToken = default)
    {
        await EnsureAsync(SyncPermission.View, tenantId, cancellationToken).ConfigureAwait(false);
        return await engine.GetReconciliationListAsync(tenantId, limit, cancellationToken).ConfigureAwait(false);
    }

    public async Task<InboundRecord> DismissPulledAsync(string tenantId, RecordKind kind, string remoteId, CancellationToken cancellationToken = default)
    {
        await EnsureAsync(SyncPermission.Pull, tenantId, cancellationToken).ConfigureAwait(false);
        return await engine.DismissPulledAsync(tenantId, kind, remoteId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<SyncRun>> GetActivityAsync(string tenantId, int limit = 50, CancellationToken cancellationToken = default)
    {
        await EnsureAsync(SyncPermission.View, tenantId, cancellationToken).ConfigureAwait(false);
        return await engine.GetActivityAsync(tenantId, limit, cancellationToken).ConfigureAwait(false);
    }

    public async Task<InboundRecord> LinkPulledPaymentAsync(string tenantId, string remoteId, string invoiceHostId, CancellationToken cancellationToken = default)
    {
        await EnsureAsync(SyncPermission.Pull, tenantId, cancellationToken).ConfigureAwait(false);
        return await engine.LinkPulledPaymentAsync(tenantId, remoteId, invoiceHostId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<InboundRecord> ResolvePulledConflictAsync(string tenantId, RecordKind kind, string remoteId, bool takeLedgerVersion, CancellationToken cancellationToken = default)
    {
        await EnsureAsync(SyncPermission.Resolve, tenantId, cancellationToken).ConfigureAwait(false);
        return await engine.ResolvePulledConflictAsync(tenantId, kind, remoteId, takeLedgerVersion, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Settings.TenantSettings> GetTenantSettingsAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await EnsureAsync(SyncPermission.View, tenantId, cancellationToken).ConfigureAwait(false);
        return await engine.GetTenantSettingsAsync(tenantId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Settings.TenantSettings> SaveTenantSettingsAsync(Settings.TenantSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await EnsureAsync(SyncPermission.Configure, settings.TenantId, cancellationToken).ConfigureAwait(false);
        return await engine.SaveTenantSettingsAsync(settings, cancellationToken).ConfigureAwait(false);
    }

    private ValueTask EnsureAsync(SyncPermission permission, string tenantId, CancellationToken cancellationToken) =>
        authorizer.EnsureAllowedAsync(user, permission, tenantId, cancellationToken);
}
