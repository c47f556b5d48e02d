namespace SyncKit.Authorization;

/// <summary>Something a user asks SyncKit to do, which the host's <see cref="ISyncAuthorizer"/> allows or refuses.</summary>
public enum SyncPermission
{
    /// <summary>See a tenant's status, errors, lists and activity.</summary>
    View,

    /// <summary>Sync every record of a tenant ("Sync All"). Refused unless the host allows it.</summary>
    SyncAll,

    /// <summary>Preview a sync (a dry run that sends nothing).</summary>
    Preview,

    /// <summary>Send one record, or failed records, again.</summary>
    Retry,

    /// <summary>Skip a record ("do not send"), or undo a skip.</summary>
    Skip,

    /// <summary>Release held records ("Pending Action": send).</summary>
    Release,

    /// <summary>Mark a failed record resolved by hand, link it, or send it as new.</summary>
    Resolve,

    /// <summary>Add or change a mapping (accounts, tax rates, tracking, items, clients).</summary>
    Map,

    /// <summary>Pause or resume a tenant's sync.</summary>
    Pause,

    /// <summary>Pull changes from the ledger into the host, or dismiss a pulled record.</summary>
    Pull,

    /// <summary>Connect an organisation, or reconnect one.</summary>
    Connect,

    /// <summary>Disconnect an organisation, or offboard a tenant.</summary>
    Disconnect,

    /// <summary>Change a tenant's sync settings (the direction per kind, the conflict policy).</summary>
    Configure,
}
