using Microsoft.Extensions.Options;

namespace SyncKit.Hosting;

/// <summary>Checks the health check's options, with messages that name the option.</summary>
internal sealed class SyncKitHealthCheckOptionsValidator : IValidateOptions<SyncKitHealthCheckOptions>
{
    public ValidateOptionsResult Validate(string? name, SyncKitHealthCheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.FailedRecordThreshold < 1)
        {
            failures.Add($"SyncKitHealthCheckOptions.FailedRecordThreshold must be at least 1 (it is {options.FailedRecordThreshold}).");
        }

        if (options.MaxTenantsInDescription < 1)
        {
            failures.Add($"SyncKitHealthCheckOptions.MaxTenantsInDescription must be at least 1 (it is {options.MaxTenantsInDescription}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
