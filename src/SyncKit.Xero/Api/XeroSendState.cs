namespace SyncKit.Xero.Api;

/// <summary>
/// Whether a call was ever handed on towards Xero (past the rate governor, into the attempt timeout and the transport).
/// Until then a timeout or cancellation proves the write did not land; afterwards it may have.
/// </summary>
/// <remarks>Carried in <see cref="HttpRequestMessage.Options"/> as a shared object, so it survives retries of the same message.</remarks>
internal sealed class XeroSendState
{
    public static readonly HttpRequestOptionsKey<XeroSendState> Key = new("SyncKit.Xero.SendState");

    private int _handedOn;
    private int _queued;

    /// <summary>Whether the call reached the rate governor (without one, nothing proves it was not sent).</summary>
    public bool Queued => Volatile.Read(ref _queued) == 1;

    /// <summary>Whether the call is known not to have been sent: it reached the governor and never left it.</summary>
    public bool ProvablyNotSent => Queued && !HandedOn;

    public static void MarkQueued(HttpRequestMessage request)
    {
        if (request.Options.TryGetValue(Key, out var state))
        {
            Volatile.Write(ref state._queued, 1);
        }
    }

    public bool HandedOn => Volatile.Read(ref _handedOn) == 1;

    public void MarkHandedOn() => Volatile.Write(ref _handedOn, 1);

    public static void MarkHandedOn(HttpRequestMessage request)
    {
        if (request.Options.TryGetValue(Key, out var state))
        {
            state.MarkHandedOn();
        }
    }
}
