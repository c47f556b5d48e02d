namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures SyncKit: packages hang their extensions on it (<c>UseSqliteStorage</c>, <c>AddSource</c>, <c>AddErrorRules</c>, ...).</summary>
public interface ISyncKitBuilder
{
    /// <summary>The service collection SyncKit registers into.</summary>
    IServiceCollection Services { get; }
}
