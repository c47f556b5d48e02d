using Microsoft.Extensions.Options;
using SyncKit;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Checks the engine's options at start, with messages that say what to set.</summary>
internal sealed class SyncOptionsValidator : IValidateOptions<SyncOptions>
{
    public ValidateOptionsResult Validate(string? name, SyncOptions options)
    {
        var failures = new List<string>();
        if (options.ReadChunkSize is < 10 or > 5_000)
        {
            failures.Add($"SyncOptions.ReadChunkSize must be between 10 and 5000 (it is {options.ReadChunkSize}).");
        }

        if (options.LeaseDuration < TimeSpan.FromSeconds(10))
        {
            failures.Add($"SyncOptions.LeaseDuration must be at least 10 seconds (it is {options.LeaseDuration}).");
        }

        if (options.MaxAutomaticAttempts < 1)
        {
            failures.Add("SyncOptions.MaxAutomaticAttempts must be at least 1.");
        }

        if (options.InitialBackoff <= TimeSpan.Zero || options.MaxBackoff < options.InitialBackoff)
        {
            failures.Add("SyncOptions.InitialBackoff must be positive and no more than SyncOptions.MaxBackoff.");
        }

        if (options.MaxRoundingAdjustment < 0m)
        {
            failures.Add("SyncOptions.MaxRoundingAdjustment cannot be negative.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Fails start-up (with the options' validation) when a store or connector is missing, naming the call that adds it.</summary>
/// <remarks>Checks registrations without building them, so a connector's own option errors are reported once, by its options.</remarks>
internal sealed class SyncKitRegistrationValidator(IServiceProviderIsService registrations) : IValidateOptions<SyncOptions>
{
    public ValidateOptionsResult Validate(string? name, SyncOptions options)
    {
        var missing = new List<string>();
        if (!registrations.IsService(typeof(SyncKit.Storage.LedgerStore)))
        {
            missing.Add("No SyncKit store is registered: call UseSqliteStorage(...), UsePostgreSqlStorage(...) or UseInMemoryStorage() on the SyncKit builder.");
        }

        if (!registrations.IsService(typeof(SyncKit.Connectors.LedgerConnector)))
        {
            missing.Add("No ledger connector is registered: call AddXeroSync(...) or UseConnector<T>() on the SyncKit builder.");
        }

        return missing.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(missing);
    }
}
