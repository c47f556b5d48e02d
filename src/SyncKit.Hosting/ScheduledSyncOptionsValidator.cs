using System.Globalization;
using Microsoft.Extensions.Options;

namespace SyncKit.Hosting;

/// <summary>Checks the scheduler's options at start, with messages that name the option.</summary>
internal sealed class ScheduledSyncOptionsValidator : IValidateOptions<ScheduledSyncOptions>
{
    /// <summary>The longest period or first delay: a timer cannot wait much longer (about 49 days).</summary>
    internal static readonly TimeSpan MaxWait = TimeSpan.FromDays(30);

    public ValidateOptionsResult Validate(string? name, ScheduledSyncOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Every <= TimeSpan.Zero || options.Every > MaxWait)
        {
            failures.Add($"ScheduledSyncOptions.Every must be positive and at most 30 days (it is {options.Every}).");
        }

        if (double.IsNaN(options.Jitter) || options.Jitter is < 0 or > 0.5)
        {
            failures.Add($"ScheduledSyncOptions.Jitter must be between 0 and 0.5, a fraction of Every (it is {options.Jitter.ToString(CultureInfo.InvariantCulture)}).");
        }

        if (options.FirstRunDelay < TimeSpan.Zero || options.FirstRunDelay > MaxWait)
        {
            failures.Add($"ScheduledSyncOptions.FirstRunDelay must be between zero and 30 days (it is {options.FirstRunDelay}).");
        }

        if (options.MaxConcurrentTenants < 1)
        {
            failures.Add($"ScheduledSyncOptions.MaxConcurrentTenants must be at least 1 (it is {options.MaxConcurrentTenants}).");
        }

        if (options.ClaimDuration < TimeSpan.FromSeconds(1) || options.ClaimDuration > MaxWait)
        {
            failures.Add($"ScheduledSyncOptions.ClaimDuration must be between 1 second and 30 days (it is {options.ClaimDuration}).");
        }

        if (options.PollInterval < TimeSpan.FromSeconds(1) || options.PollInterval > MaxWait)
        {
            failures.Add($"ScheduledSyncOptions.PollInterval must be between 1 second and 30 days (it is {options.PollInterval}).");
        }

        if (options.NodeId is { } node && string.IsNullOrWhiteSpace(node))
        {
            failures.Add("ScheduledSyncOptions.NodeId must not be blank; leave it null for a generated one.");
        }

        if (string.IsNullOrWhiteSpace(options.RequestedBy))
        {
            failures.Add("ScheduledSyncOptions.RequestedBy must not be empty; the activity log shows it as who started the run.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
