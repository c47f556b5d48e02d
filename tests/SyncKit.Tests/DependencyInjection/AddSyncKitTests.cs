using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SyncKit.Testing.Connectors;

namespace SyncKit.Tests.DependencyInjection;

public sealed class AddSyncKitTests
{
    [Fact]
    public void MissingStore_FailsAtStart_NamingTheCallThatAddsOne()
    {
        var services = new ServiceCollection();
        services.AddSyncKit().UseConnector(new InMemoryLedgerConnector());
        using var provider = services.BuildServiceProvider(validateScopes: true);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("UseSqliteStorage", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingConnector_FailsAtStart_NamingAddXeroSync()
    {
        var services = new ServiceCollection();
        services.AddSyncKit().UseInMemoryStorage();
        using var provider = services.BuildServiceProvider(validateScopes: true);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("AddXeroSync", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidOptions_FailAtStart_WithWhatToSet()
    {
        var services = new ServiceCollection();
        services.AddSyncKit(o => o.ReadChunkSize = 1).UseInMemoryStorage().UseConnector(new InMemoryLedgerConnector());
        using var provider = services.BuildServiceProvider(validateScopes: true);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("ReadChunkSize", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CallingAddSyncKitTwice_IsHarmless()
    {
        var services = new ServiceCollection();
        services.AddSyncKit().UseInMemoryStorage().UseConnector(new InMemoryLedgerConnector());
        services.AddSyncKit();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.Single(services, d => d.ServiceType == typeof(ISyncEngine));
        Assert.Single(services, d => d.ServiceType == typeof(SyncKit.Errors.ErrorRuleRegistration));
        Assert.NotNull(provider.GetRequiredService<ISyncEngine>());
    }
}
