using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SyncKit.Xero.Tests.DependencyInjection;

/// <summary><c>AddXeroSync(IConfiguration)</c>: SyncKit's options from the host's configuration, as appsettings.json holds them.</summary>
public sealed class ConfigurationTests
{
    private static readonly string Key = Convert.ToBase64String(new byte[32]);

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddXeroSync(configuration.GetSection("SyncKit")).UseInMemoryStorage();
        return services.BuildServiceProvider();
    }

    [Fact]
    public void XeroSection_BindsTheXeroOptions()
    {
        using var provider = Build(new()
        {
            ["SyncKit:Xero:ClientId"] = "client-from-config",
            ["SyncKit:Xero:TokenEncryptionKey"] = Key,
            ["SyncKit:Xero:BatchSize"] = "25",
        });

        var options = provider.GetRequiredService<IOptions<XeroOptions>>().Value;

        Assert.Equal("client-from-config", options.ClientId);
        Assert.Equal(25, options.BatchSize);
    }

    [Fact]
    public void EngineSection_BindsTheSyncOptions()
    {
        using var provider = Build(new()
        {
            ["SyncKit:Xero:ClientId"] = "client-from-config",
            ["SyncKit:Xero:TokenEncryptionKey"] = Key,
            ["SyncKit:Engine:ReadChunkSize"] = "123",
        });

        Assert.Equal(123, provider.GetRequiredService<IOptions<SyncOptions>>().Value.ReadChunkSize);
    }

    [Fact]
    public void AMissingClientId_FailsAtStart_NamingIt()
    {
        using var provider = Build(new() { ["SyncKit:Xero:TokenEncryptionKey"] = Key });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("XeroOptions.ClientId is required", error.Message, StringComparison.Ordinal);
    }
}
