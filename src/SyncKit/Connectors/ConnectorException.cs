using SyncKit.Errors;

namespace SyncKit.Connectors;

/// <summary>Thrown by a connector when a call that is not a push fails with a known failure (reading reference data, a lookup).</summary>
/// <remarks>The engine classifies <see cref="Failure"/>: a daily limit pauses the tenant, a refused token disconnects it.</remarks>
public sealed class ConnectorException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="failure">What failed.</param>
    public ConnectorException(SyncFailure failure)
        : base(failure?.MessageText is { Length: > 0 } text ? text : "The ledger call failed.")
    {
        ArgumentNullException.ThrowIfNull(failure);
        Failure = failure;
    }

    /// <summary>Creates the exception.</summary>
    public ConnectorException()
        : this(new SyncFailure { Source = FailureSource.Internal })
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public ConnectorException(string message)
        : this(new SyncFailure { Source = FailureSource.Internal, Messages = [message] })
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ConnectorException(string message, Exception innerException)
        : base(message, innerException)
    {
        Failure = new SyncFailure { Source = FailureSource.Internal, Messages = [message] };
    }

    /// <summary>The failure.</summary>
    public SyncFailure Failure { get; }
}
