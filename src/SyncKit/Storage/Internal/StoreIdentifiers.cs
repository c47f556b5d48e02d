using System.Text.RegularExpressions;

namespace SyncKit.Storage.Internal;

/// <summary>Checks the identifiers (table prefixes, schema names) that SQL providers splice into statements.</summary>
internal static partial class StoreIdentifiers
{
    [GeneratedRegex("^[a-z_][a-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>Whether the value is a safe lower-case SQL identifier (or prefix).</summary>
    public static bool IsValid(string? value) => value is not null && value.Length <= 48 && Pattern().IsMatch(value);

    /// <summary>Throws unless the value is a safe identifier.</summary>
    public static string Require(string? value, string name)
    {
        if (!IsValid(value))
        {
            throw new ArgumentException($"{name} must match ^[a-z_][a-z0-9_]*$ (at most 48 characters); got '{value}'.", name);
        }

        return value!;
    }
}
