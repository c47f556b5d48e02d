namespace SyncKit.Testing.Emulator.Http;

/// <summary>Reads a request body up to <see cref="EmulatorHost.MaxRequestBodyBytes"/>, draining (not keeping) the rest.</summary>
internal static class BoundedBody
{
    /// <summary>The body, or an empty array and <c>TooLarge</c> when it was longer than the limit (then it is read to its end and discarded).</summary>
    public static async Task<(byte[] Body, bool TooLarge)> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var kept = new MemoryStream();
        var buffer = new byte[81_920];
        var tooLarge = false;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (tooLarge)
            {
                continue;
            }

            if (kept.Length + read > EmulatorHost.MaxRequestBodyBytes)
            {
                tooLarge = true;
                kept.SetLength(0);
                continue;
            }

            kept.Write(buffer, 0, read);
        }

        return tooLarge ? ([], true) : (kept.ToArray(), false);
    }
}
