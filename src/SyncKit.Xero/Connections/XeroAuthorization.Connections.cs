using SyncKit.Offboarding;
using SyncKit.Runs;
using SyncKit.Storage;
using SyncKit.Xero.Connections;

namespace SyncKit.Xero;

/// <summary>The connection lifecycle: registering connected organisations, reconnecting, disconnecting, offboarding, listing.</summary>
public sealed partial class XeroAuthorization
{
    /// <summary>
    /// Exchanges the code of a reconnect consent for one tenant, and saves it only when that same organisation came back.
    /// </summary>
    /// <param name="tenantId">The tenant being reconnected.</param>
    /// <param name="code">The code Xero redirected back with.</param>
    /// <param name="codeVerifier">The PKCE verifier, if any.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The organisations the new connection gives access to (the tenant among them).</returns>
    /// <exception cref="UnknownTenantException">The tenant was never connected.</exception>
    /// <exception cref="XeroReconnectMismatchException">
    /// The user chose another organisation at Xero: nothing is saved and the tenant stays as it was. Connections the
    /// consent created for organisations SyncKit does not know are removed again, so they are not billed.
    /// </exception>
    /// <remarks>The tokens are saved under the tenant's own connection key, and every tenant that connection serves is connected again.</remarks>
    public async Task<IReadOnlyList<XeroConnection>> ReconnectAsync(string tenantId, string code, string? codeVerifier = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        var tenants = RequireTenants();
        var state = await tenants.GetAsync(tenantId, cancellationToken).ConfigureAwait(false) ?? throw new UnknownTenantException(tenantId);
        var tokens = await ExchangeCodeAsync(code, codeVerifier, cancellationToken).ConfigureAwait(false);
        var connections = ParseConnections(await SendConnectionsAsync(null, tokens.AccessToken, HttpMethod.Get, "connections", cancellationToken).ConfigureAwait(false));
        if (!connections.Any(c => string.Equals(c.TenantId, XeroTenantId(tenantId), StringComparison.OrdinalIgnoreCase)))
        {
            foreach (var stray in connections)
            {
                if (await tenants.GetAsync(stray.TenantId, cancellationToken).ConfigureAwait(false) is null)
                {
                    await SendConnectionsAsync(null, tokens.AccessToken, HttpMethod.Delete, "connections/" + Uri.EscapeDataString(stray.Id), cancellationToken).ConfigureAwait(false);
                }
            }

            throw new XeroReconnectMismatchException(state, connections);
        }

        var connectionKey = XeroConnectionKeys.Of(_options, state);
        await SaveTokensAsync(connectionKey, tokens, cancellationToken).ConfigureAwait(false);
        await RegisterAsync(connectionKey, connections, cancellationToken).ConfigureAwait(false);
        return connections;
    }

    /// <summary>
    /// Disconnects a tenant: removes its connection at Xero (<c>DELETE /connections/{id}</c>), deletes the stored tokens
    /// when no other tenant uses them, and keeps or deletes the tenant's data.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="retention">
    /// <see cref="TenantDataRetention.Keep"/> (default): ledger, mappings, runs and pulled records stay and the tenant is
    /// listed as Disconnected until it is reconnected. <see cref="TenantDataRetention.Delete"/>: offboarding — all of it,
    /// and the tenant itself, is deleted.
    /// </param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>What was done.</returns>
    /// <exception cref="UnknownTenantException">The tenant was never connected.</exception>
    /// <remarks>
    /// A connection Xero no longer knows (removed in Xero's settings, or its tokens refused) is not an error: there is
    /// nothing left to remove there, and <see cref="XeroDisconnection.RemovedAtXero"/> says so.
    /// </remarks>
    public async Task<XeroDisconnection> DisconnectTenantAsync(string tenantId, TenantDataRetention retention = TenantDataRetention.Keep, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        var tenants = RequireTenants();
        var offboarding = _offboarding ?? throw new InvalidOperationException("Disconnecting a tenant needs the SyncKit engine's stores: register SyncKit with AddXeroSync.");
        var state = await tenants.GetAsync(tenantId, cancellationToken).ConfigureAwait(false) ?? throw new UnknownTenantException(tenantId);
        var connectionKey = XeroConnectionKeys.Of(_options, state);

        var removedAtXero = false;
        try
        {
            var connectionId = state.ConnectionId
                ?? (await GetConnectionsAsync(connectionKey, cancellationToken).ConfigureAwait(false))
                    .FirstOrDefault(c => string.Equals(c.TenantId, XeroTenantId(tenantId), StringComparison.OrdinalIgnoreCase))?.Id;
            if (connectionId is not null)
            {
                await DisconnectAsync(connectionKey, connectionId, cancellationToken).ConfigureAwait(false);
                removedAtXero = true;
            }
        }
        catch (XeroApiException ex) when (ex.Failure.StatusCode is 404 || ex is XeroAuthorizationException)
        {
            // Already gone at Xero, or its tokens no longer work: nothing to remove there.
        }

        var others = (await tenants.ListAsync(cancellationToken).ConfigureAwait(false))
            .Any(t => !string.Equals(t.TenantId, tenantId, StringComparison.Ordinal)
                && t.Connection != ConnectionState.Disconnected
                && string.Equals(XeroConnectionKeys.Of(_options, t), connectionKey, StringComparison.Ordinal));
        if (!others)
        {
            await _tokenManager.ForgetAsync(connectionKey, cancellationToken).ConfigureAwait(false);
        }

        TenantErasure? erasure = null;
        if (retention == TenantDataRetention.Delete)
        {
            erasure = await offboarding.EraseAsync(tenantId, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await offboarding.KeepDisconnectedAsync(tenantId, "Disconnected by a user: reconnect to sync again.", cancellationToken).ConfigureAwait(false);
        }

        return new XeroDisconnection { TenantId = tenantId, RemovedAtXero = removedAtXero, TokensDeleted = !others, Erasure = erasure };
    }

    /// <summary>Offboards a tenant: disconnects it at Xero and deletes everything SyncKit holds for it.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>What was done.</returns>
    /// <exception cref="UnknownTenantException">The tenant was never connected.</exception>
    public Task<XeroDisconnection> OffboardAsync(string tenantId, CancellationToken cancellationToken = default) =>
        DisconnectTenantAsync(tenantId, TenantDataRetention.Delete, cancellationToken);

    /// <summary>Lists the app's tenants with their connection and when each last synced, to find inactive connections (each one costs money under Xero's tiers).</summary>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The tenants, ordered by id.</returns>
    /// <remarks>Reads SyncKit's stores only (one activity read per tenant); it makes no call to Xero.</remarks>
    public async Task<IReadOnlyList<XeroTenantConnection>> ListConnectionsAsync(CancellationToken cancellationToken = default)
    {
        var tenants = RequireTenants();
        var list = new List<XeroTenantConnection>();
        foreach (var tenant in await tenants.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            DateTimeOffset? lastSync = null;
            if (_runs is not null)
            {
                // The latest run that reached Xero and finished; paused, disconnected and failed runs are not a sync.
                var runs = await _runs.ListAsync(tenant.TenantId, 50, null, cancellationToken).ConfigureAwait(false);
                lastSync = runs.FirstOrDefault(r => r.Outcome is RunOutcome.Completed or RunOutcome.CompletedWithErrors)?.CompletedAt;
            }

            list.Add(new XeroTenantConnection
            {
                TenantId = tenant.TenantId,
                Name = tenant.Name,
                Type = tenant.Type,
                ConnectionKey = XeroConnectionKeys.Of(_options, tenant),
                ConnectionId = tenant.ConnectionId,
                Connection = tenant.Connection,
                ConnectedAt = tenant.ConnectedAt,
                LastSyncAt = lastSync,
            });
        }

        return list;
    }

    /// <summary>Registers (or updates) a tenant for every organisation of a connection.</summary>
    private async Task RegisterAsync(string connectionKey, IReadOnlyList<XeroConnection> connections, CancellationToken cancellationToken)
    {
        if (_tenants is null)
        {
            return;
        }

        var now = _timeProvider.GetUtcNow();
        foreach (var connection in connections)
        {
            var existing = await _tenants.GetAsync(connection.TenantId, cancellationToken).ConfigureAwait(false);
            var state = (existing ?? new TenantState { TenantId = connection.TenantId }) with
            {
                Name = connection.TenantName ?? existing?.Name,
                Type = TypeOf(connection.TenantType),
                ConnectionKey = connectionKey,
                ConnectionId = connection.Id,
                Connection = ConnectionState.Connected,
                ConnectionMessage = null,
                ConnectedAt = now,
                UpdatedAt = now,
            };
            await _tenants.SaveAsync(state, cancellationToken).ConfigureAwait(false);
        }
    }

    private static TenantType TypeOf(string? tenantType) => tenantType?.ToUpperInvariant() switch
    {
        "ORGANISATION" => TenantType.Organisation,
        "PRACTICE" or "PRACTICEMANAGER" => TenantType.Practice,
        _ => TenantType.Unknown,
    };

    private string XeroTenantId(string tenantId) => _options.XeroTenantIdForTenant?.Invoke(tenantId) ?? tenantId;

    private TenantStore RequireTenants() =>
        _tenants ?? throw new InvalidOperationException("The connection lifecycle needs SyncKit's tenant store: register SyncKit with AddXeroSync.");
}

/// <summary>A tenant of the app with its connection and last sync (<see cref="XeroAuthorization.ListConnectionsAsync"/>).</summary>
public sealed record XeroTenantConnection
{
    /// <summary>The SyncKit tenant id (the Xero tenant id for organisations connected through SyncKit).</summary>
    public required string TenantId { get; init; }

    /// <summary>The organisation's name.</summary>
    public string? Name { get; init; }

    /// <summary>Organisation or practice.</summary>
    public TenantType Type { get; init; }

    /// <summary>The stored connection (token set) that serves it.</summary>
    public required string ConnectionKey { get; init; }

    /// <summary>Xero's connection id, or null when not recorded (tenants registered before connections were kept, or disconnected).</summary>
    public string? ConnectionId { get; init; }

    /// <summary>Whether it is connected.</summary>
    public ConnectionState Connection { get; init; }

    /// <summary>When it was last connected, or null when not recorded.</summary>
    public DateTimeOffset? ConnectedAt { get; init; }

    /// <summary>When its latest sync that finished completed, or null when it never synced.</summary>
    public DateTimeOffset? LastSyncAt { get; init; }
}

/// <summary>What disconnecting a tenant did (<see cref="XeroAuthorization.DisconnectTenantAsync"/>).</summary>
public sealed record XeroDisconnection
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>Whether the connection was removed at Xero now (false when Xero no longer had it, or its tokens were refused).</summary>
    public bool RemovedAtXero { get; init; }

    /// <summary>Whether the stored tokens were deleted (they stay while another tenant uses the same connection).</summary>
    public bool TokensDeleted { get; init; }

    /// <summary>What was deleted when the data was not kept, else null.</summary>
    public TenantErasure? Erasure { get; init; }
}

/// <summary>A reconnect brought back another organisation than the tenant being reconnected; nothing was saved.</summary>
public sealed class XeroReconnectMismatchException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="expected">The tenant being reconnected.</param>
    /// <param name="returned">The organisations the consent gave access to instead.</param>
    public XeroReconnectMismatchException(TenantState expected, IReadOnlyList<XeroConnection> returned)
        : base(Describe(expected, returned))
    {
        ExpectedTenantId = expected.TenantId;
        ExpectedName = expected.Name;
        Returned = returned;
    }

    /// <summary>The tenant being reconnected.</summary>
    public string ExpectedTenantId { get; }

    /// <summary>Its organisation's name, when known.</summary>
    public string? ExpectedName { get; }

    /// <summary>What came back instead.</summary>
    public IReadOnlyList<XeroConnection> Returned { get; }

    private static string Describe(TenantState expected, IReadOnlyList<XeroConnection> returned)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(returned);
        var name = expected.Name is { Length: > 0 } n ? $"'{n}'" : $"organisation {expected.TenantId}";
        var came = returned.Count == 0 ? "no organisation" : string.Join(", ", returned.Select(c => $"'{c.TenantName ?? c.TenantId}'"));
        return $"Reconnecting {name} connected {came} instead. On Xero's consent page choose {name}; nothing was changed and {name} is still disconnected.";
    }
}
