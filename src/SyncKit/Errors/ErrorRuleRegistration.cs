using System.Text.Json;
using System.Text.Json.Serialization;

namespace SyncKit.Errors;

/// <summary>A list of rules registered with SyncKit, at a precedence.</summary>
/// <remarks>Lower <see cref="Order"/> is consulted first: host rules (0), connector rules (100), engine rules (1000).</remarks>
public sealed class ErrorRuleRegistration
{
    /// <summary>The precedence of rules a host adds.</summary>
    public const int HostOrder = 0;

    /// <summary>The precedence of a connector's built-in rules.</summary>
    public const int ConnectorOrder = 100;

    /// <summary>The precedence of the engine's built-in rules.</summary>
    public const int EngineOrder = 1000;

    /// <summary>Creates a registration.</summary>
    /// <param name="rules">The rules, in order.</param>
    /// <param name="order">The precedence.</param>
    public ErrorRuleRegistration(IReadOnlyList<ErrorRule> rules, int order)
    {
        ArgumentNullException.ThrowIfNull(rules);
        Rules = rules;
        Order = order;
    }

    /// <summary>The rules, in order.</summary>
    public IReadOnlyList<ErrorRule> Rules { get; }

    /// <summary>The precedence.</summary>
    public int Order { get; }
}

/// <summary>Collects a host's own error rules, in code or from JSON.</summary>
public sealed class ErrorRulesBuilder
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private readonly List<ErrorRule> _rules = [];

    /// <summary>The rules added so far.</summary>
    public IReadOnlyList<ErrorRule> Rules => _rules;

    /// <summary>Adds a rule. A rule whose id equals a built-in rule's id replaces it.</summary>
    /// <param name="rule">The rule.</param>
    /// <returns>This builder.</returns>
    public ErrorRulesBuilder Add(ErrorRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        _rules.Add(rule);
        return this;
    }

    /// <summary>Adds rules from a JSON array of rule objects (camelCase or PascalCase; enums as names).</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The JSON is not an array of valid rules.</exception>
    public ErrorRulesBuilder AddJson(string json)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(json);
        List<ErrorRule>? rules;
        try
        {
            rules = JsonSerializer.Deserialize<List<ErrorRule>>(json, s_json);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"The error rules JSON is not valid: {ex.Message}", nameof(json), ex);
        }

        foreach (var rule in rules ?? [])
        {
            if (string.IsNullOrWhiteSpace(rule.Id) || string.IsNullOrWhiteSpace(rule.Category) || string.IsNullOrWhiteSpace(rule.Reason))
            {
                throw new ArgumentException("Every error rule needs an id, a category and a reason.", nameof(json));
            }

            _rules.Add(rule);
        }

        return this;
    }
}
