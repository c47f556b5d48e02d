namespace SyncKit.Xero.Api;

/// <summary>Joins a configured base URL and a relative path, keeping any path the base already has (an emulator under <c>/xero/</c>).</summary>
internal static class XeroUrls
{
    public static Uri Under(Uri baseUrl, string relative)
    {
        var text = baseUrl.ToString();
        return new Uri(new Uri(text.EndsWith('/') ? text : text + "/"), relative.TrimStart('/'));
    }
}
