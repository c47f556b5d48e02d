namespace SyncKit.Errors;

/// <summary>What SyncKit does with a record (and its tenant's run) after a failure.</summary>
public enum ErrorDisposition
{
    /// <summary>Transient: back off (honouring Retry-After) and try again automatically.</summary>
    RetryLater = 0,

    /// <summary>The tenant's daily limit is spent: pause the tenant until the limit refreshes ("Sync paused until ...").</summary>
    PauseTenant = 1,

    /// <summary>The connection is gone or its token refused: stop the tenant's run and mark it Disconnected.</summary>
    Reconnect = 2,

    /// <summary>The record fails until a user fixes something named by the rule's resolution.</summary>
    UserAction = 3,

    /// <summary>A mapping is missing: the record waits in Unmapped until the mapping is added.</summary>
    Unmapped = 4,

    /// <summary>The write may have landed: reconcile by lookup before creating anything again.</summary>
    Reconcile = 5,

    /// <summary>Not to be sent: the record is Skipped.</summary>
    Skip = 6,

    /// <summary>
    /// The app's own configuration is wrong (a client id the ledger refuses, a token key that cannot read the stored
    /// tokens): the run stops with a message naming the setting. Tenants are not marked disconnected and records are not
    /// charged an attempt, so the first run after the fix works.
    /// </summary>
    StopRun = 7,
}

/// <summary>Where a failure came from.</summary>
public enum FailureSource
{
    /// <summary>SyncKit's pre-flight validation, before any call.</summary>
    Validation = 0,

    /// <summary>Mapping resolution, before any call.</summary>
    Mapping = 1,

    /// <summary>The ledger answered with an error.</summary>
    Remote = 2,

    /// <summary>The call did not complete: timeout, dropped connection, DNS, TLS.</summary>
    Transport = 3,

    /// <summary>Authentication or the token endpoint.</summary>
    Authorization = 4,

    /// <summary>An unexpected exception inside SyncKit or a host component.</summary>
    Internal = 5,
}
