using Microsoft.Extensions.Options;
using SyncKit.Xero.Identity;

namespace SyncKit.Xero.DependencyInjection;

/// <summary>Checks <see cref="XeroOptions"/> at start; every message names the setting to fix.</summary>
internal sealed class XeroOptionsValidator(IEnumerable<ITokenProtector> protectors) : IValidateOptions<XeroOptions>
{
    public ValidateOptionsResult Validate(string? name, XeroOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            errors.Add("XeroOptions.ClientId is required: set it to the client id of your app in the Xero developer portal (My Apps).");
        }

        if (options.UseCustomConnection && string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            errors.Add("XeroOptions.ClientSecret is required for a custom connection (UseCustomConnection = true): set it to the app's client secret.");
        }

        Absolute(options.ApiBaseUrl, nameof(XeroOptions.ApiBaseUrl), "https://api.xero.com/");
        if (options.ApiBaseUrl is { IsAbsoluteUri: true } api && ApiPathInBase(api) is { } path)
        {
            // Xero's documentation writes full endpoint URLs; copied as the base, every call would go to
            // .../api.xro/2.0/api.xro/2.0/... and each 404 would read as "record deleted".
            errors.Add($"XeroOptions.ApiBaseUrl must be the API's host only, without '{path}': SyncKit adds the API's path itself. Set it to {api.GetLeftPart(UriPartial.Authority)}/ (it is {api}).");
        }

        Absolute(options.IdentityBaseUrl, nameof(XeroOptions.IdentityBaseUrl), "https://identity.xero.com/");
        Absolute(options.LoginBaseUrl, nameof(XeroOptions.LoginBaseUrl), "https://login.xero.com/");
        if (options.RedirectUri is { IsAbsoluteUri: false })
        {
            errors.Add("XeroOptions.RedirectUri must be an absolute URI, exactly as registered for the app in the Xero developer portal.");
        }

        if (!options.UseCustomConnection && protectors.LastOrDefault() is null or AesGcmTokenProtector)
        {
            try
            {
                AesGcmTokenProtector.ParseKey(options.TokenEncryptionKey);
            }
            catch (InvalidOperationException ex)
            {
                errors.Add(ex.Message);
            }

            for (var i = 0; i < options.PreviousTokenEncryptionKeys.Count; i++)
            {
                try
                {
                    AesGcmTokenProtector.ParseKey(options.PreviousTokenEncryptionKeys[i]);
                }
                catch (InvalidOperationException ex)
                {
                    errors.Add(ex.Message.Replace("XeroOptions.TokenEncryptionKey", $"XeroOptions.PreviousTokenEncryptionKeys[{i}]", StringComparison.Ordinal));
                }
            }
        }

        Range(options.BatchSize, 1, 100, nameof(XeroOptions.BatchSize));
        Range(options.ItemBatchSize, 1, 500, nameof(XeroOptions.ItemBatchSize));
        Range(options.PageSize, 1, 1000, nameof(XeroOptions.PageSize));
        Range(options.MaxConcurrentCallsPerTenant, 1, 5, nameof(XeroOptions.MaxConcurrentCallsPerTenant));
        Range(options.CallsPerMinutePerTenant, 1, 10_000, nameof(XeroOptions.CallsPerMinutePerTenant));
        Range(options.AppCallsPerMinute, 1, 1_000_000, nameof(XeroOptions.AppCallsPerMinute));
        Range(options.AppBudgetNodes, 1, 1_000, nameof(XeroOptions.AppBudgetNodes));
        Range(options.MaxRateLimitRetries, 0, 20, nameof(XeroOptions.MaxRateLimitRetries));
        Range(options.MaxRetryAttempts, 0, 20, nameof(XeroOptions.MaxRetryAttempts));
        if (options.DailyCallLimit is { } daily)
        {
            Range(daily, 1, 1_000_000, nameof(XeroOptions.DailyCallLimit));
        }

        if (options.DailyCallReserve is { } reserve && (reserve < 0 || reserve >= options.EffectiveDailyCallLimit))
        {
            errors.Add($"XeroOptions.DailyCallReserve must be at least 0 and below the daily call limit ({options.EffectiveDailyCallLimit}); it is {reserve}.");
        }

        if (options.Scopes.FirstOrDefault(s => string.IsNullOrWhiteSpace(s) || s.Contains(' ', StringComparison.Ordinal)) is { } badScope)
        {
            errors.Add($"XeroOptions.Scopes holds '{badScope}': give one scope per entry (for example accounting.invoices), or leave Scopes empty to let SyncKit derive them from the kinds you sync.");
        }

        if (options.TokenRefreshSkew < TimeSpan.Zero || options.TokenRefreshSkew >= TimeSpan.FromMinutes(30))
        {
            errors.Add("XeroOptions.TokenRefreshSkew must be between 0 and 30 minutes (access tokens last 30 minutes; 5 minutes is a good value).");
        }

        if (options.AttemptTimeout <= TimeSpan.Zero)
        {
            errors.Add("XeroOptions.AttemptTimeout must be positive (for example 100 seconds).");
        }

        if (options.RetryBaseDelay < TimeSpan.Zero)
        {
            errors.Add("XeroOptions.RetryBaseDelay must not be negative.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);

        static string? ApiPathInBase(Uri uri)
        {
            foreach (var path in new[] { "api.xro/", "practicemanager/", "connections" })
            {
                var at = uri.AbsolutePath.IndexOf("/" + path, StringComparison.OrdinalIgnoreCase);
                if (at >= 0)
                {
                    return uri.AbsolutePath[(at + 1)..];
                }
            }

            return null;
        }

        void Absolute(Uri? uri, string setting, string example)
        {
            if (uri is null || !uri.IsAbsoluteUri)
            {
                errors.Add($"XeroOptions.{setting} must be an absolute URL (for example {example}, or the emulator's address such as http://127.0.0.1:5080/).");
            }
        }

        void Range(int value, int min, int max, string setting)
        {
            if (value < min || value > max)
            {
                errors.Add($"XeroOptions.{setting} must be between {min} and {max}; it is {value}.");
            }
        }
    }
}
