using Microsoft.Extensions.DependencyInjection;

namespace SyncKit.Storage.Tests;

/// <summary>The smallest <see cref="ISyncKitBuilder"/>, for registering storage without the engine.</summary>
public sealed class TestSyncKitBuilder : ISyncKitBuilder
{
    public IServiceCollection Services { get; } = new ServiceCollection();

    public ServiceProvider Build() => Services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
}
