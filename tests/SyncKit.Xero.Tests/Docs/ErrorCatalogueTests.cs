using System.Text;
using SyncKit.Errors;
using SyncKit.Xero;

namespace SyncKit.Xero.Tests.Docs;

/// <summary>docs/errors.md is generated from the rule sets; this test fails when they differ.</summary>
public sealed class ErrorCatalogueTests
{
    private const string UpdateVariable = "SYNCKIT_UPDATE_DOCS";

    [Fact]
    public void ErrorCatalogue_InDocs_IsTheOneGeneratedFromTheRules()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "errors.md");
        var generated = Generate();
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(path, generated);
        }

        var current = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : string.Empty;
        Assert.True(
            current == generated,
            $"docs/errors.md differs from the rules. Regenerate it: {UpdateVariable}=1 dotnet test tests/SyncKit.Xero.Tests --filter ErrorCatalogue");
    }

    internal static string Generate()
    {
        // The classifier's order: connector rules, then the engine's.
        var rules = XeroErrorRules.All.Concat(EngineErrorRules.All).ToList();
        var text = new StringBuilder();
        text.Append("# Error catalogue\n\n");
        text.Append("Generated from `XeroErrorRules.All` and `EngineErrorRules.All` (in the order they are consulted) by\n");
        text.Append($"`{UpdateVariable}=1 dotnet test tests/SyncKit.Xero.Tests --filter ErrorCatalogue`; do not edit by hand.\n");
        text.Append("Hosts add or replace rules with `AddErrorRules(...)`; a failure no rule matches is `Unclassified` and keeps Xero's own message.\n\n");
        text.Append("| category | reason | what SyncKit does | rule |\n|---|---|---|---|\n");
        foreach (var rule in rules)
        {
            text.Append($"| {rule.Category} | {Escape(rule.Reason)} | {Describe(rule.Disposition)} | [`{rule.Id}`](#{Anchor(rule.Id)}) |\n");
        }

        foreach (var group in rules.GroupBy(r => r.Category))
        {
            text.Append($"\n## {group.Key}\n");
            foreach (var rule in group)
            {
                text.Append($"\n### {rule.Id}\n\n");
                text.Append($"**{Escape(rule.Reason)}** — {Describe(rule.Disposition)}.\n\n");
                var example = rule.Examples.FirstOrDefault();
                if (example is not null && example.Messages.Count > 0)
                {
                    text.Append($"Example: {string.Join(" / ", example.Messages.Select(m => $"“{Escape(m)}”"))}");
                    text.Append(example.StatusCode is { } status ? $" (HTTP {status})" : string.Empty);
                    text.Append('\n');
                    text.Append('\n');
                }
                else if (example is not null)
                {
                    text.Append($"Example: {example.Source}{(example.StatusCode is { } status ? $", HTTP {status}" : string.Empty)}{(example.RateLimitProblem is { } problem ? $", rate limit problem `{problem}`" : string.Empty)}.\n\n");
                }

                var step = 1;
                foreach (var resolution in rule.Resolution)
                {
                    text.Append($"{step++}. {Escape(resolution)}\n");
                }
            }
        }

        return text.ToString();
    }

    private static string Describe(ErrorDisposition disposition) => disposition switch
    {
        ErrorDisposition.RetryLater => "retried automatically (backoff, Retry-After)",
        ErrorDisposition.PauseTenant => "pauses the tenant until the limit refreshes",
        ErrorDisposition.Reconnect => "stops the tenant's runs until Xero is reconnected",
        ErrorDisposition.UserAction => "Failed until a user fixes it",
        ErrorDisposition.Unmapped => "Unmapped until the mapping is added",
        ErrorDisposition.Reconcile => "Uncertain until a lookup in Xero settles it",
        ErrorDisposition.Skip => "Skipped (not sent)",
        ErrorDisposition.StopRun => "stops the run until the app's setting is fixed (no tenant is disconnected)",
        _ => disposition.ToString(),
    };

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string Anchor(string id) => id.Replace(".", string.Empty, StringComparison.Ordinal);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SyncKit.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with SyncKit.sln) was not found above the test's folder.");
    }
}
