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
