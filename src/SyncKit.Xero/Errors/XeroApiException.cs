using SyncKit.Errors;

namespace SyncKit.Xero;

/// <summary>A Xero call failed; <see cref="Failure"/> says how, ready for the error rules.</summary>
/// <remarks>
/// Thrown where the connector contract has no failure channel (reference data reads, lookups) and by the
/// <see cref="XeroAuthorization"/> helpers. Pushes report failures in their result instead.
/// </remarks>
public class XeroApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public XeroApiException()
        : this("A Xero call failed.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public XeroApiException(string message)
        : this(new SyncFailure { Source = FailureSource.Remote, Messages = [message] })
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public XeroApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Failure = new SyncFailure { Source = FailureSource.Internal, Messages = [message] };
    }

    /// <summary>Creates the exception from a failure.</summary>
    /// <param name="failure">The failure.</param>
    public XeroApiException(SyncFailure failure)
        : base(failure?.MessageText is { Length: > 0 } text ? text : "A Xero call failed.")
    {
        ArgumentNullException.ThrowIfNull(failure);
        Failure = failure;
    }

    /// <summary>The failure, as the Xero rules classify it.</summary>
    public SyncFailure Failure { get; }
}

/// <summary>Xero refused the connection (for example the token endpoint's <c>invalid_grant</c>), or none is stored.</summary>
/// <remarks>The failure's source is <see cref="FailureSource.Authorization"/>: the Xero rules classify it as Reconnect.</remarks>
public sealed class XeroAuthorizationException : XeroApiException
{
    /// <summary>Creates the exception.</summary>
    public XeroAuthorizationException()
        : this("Xero refused the authorization.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public XeroAuthorizationException(string message)
        : base(new SyncFailure { Source = FailureSource.Authorization, Messages = [message] })
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public XeroAuthorizationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception from a failure.</summary>
    /// <param name="failure">The failure (its source should be Authorization).</param>
    public XeroAuthorizationException(SyncFailure failure)
        : base(failure)
    {
    }

    /// <summary>The OAuth2 error code or Xero error type (for example <c>invalid_grant</c>, <c>NotConnected</c>).</summary>
    public string? Error => Failure.ErrorType;
}
