using SyncKit.Xero.Api;

namespace SyncKit.Xero.Tests.Api;

public sealed class XeroUrlsTests
{
    [Theory]
    [InlineData("https://api.xero.com/", "api.xro/2.0/Invoices", "https://api.xero.com/api.xro/2.0/Invoices")]
    [InlineData("https://identity.xero.com", "connect/token", "https://identity.xero.com/connect/token")]
    [InlineData("http://127.0.0.1:5080/emulator", "connect/token", "http://127.0.0.1:5080/emulator/connect/token")]
    [InlineData("http://127.0.0.1:5080/emulator/", "practicemanager/3.1/job.api/current", "http://127.0.0.1:5080/emulator/practicemanager/3.1/job.api/current")]
    public void Under_KeepsTheBasePath(string baseUrl, string relative, string expected)
    {
        Assert.Equal(expected, XeroUrls.Under(new Uri(baseUrl), relative).ToString());
    }
}
