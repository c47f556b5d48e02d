using System.Buffers.Text;
using System.Globalization;
using System.Text;
using SyncKit.Records;

namespace SyncKit.Storage.Internal;

/// <summary>The opaque keyset token of ledger paging: the last (kind, source id) returned.</summary>
internal static class LedgerContinuation
{
    private const string Prefix = "v1:";

    public static string Encode(RecordKind kind, string sourceId)
    {
        var text = Prefix + ((int)kind).ToString(CultureInfo.InvariantCulture) + ":" + sourceId;
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
    }

    public static (RecordKind Kind, string SourceId) Decode(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            if (text.StartsWith(Prefix, StringComparison.Ordinal))
            {
                var rest = text.AsSpan(Prefix.Length);
                var colon = rest.IndexOf(':');
                if (colon > 0 && int.TryParse(rest[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var kind))
                {
                    return ((RecordKind)kind, rest[(colon + 1)..].ToString());
                }
            }
        }
        catch (FormatException)
        {
            // Falls through to the argument exception below.
        }

        throw new ArgumentException("The continuation token is not one this store issued.", nameof(token));
    }

    /// <summary>Checks a query's page size and returns the decoded token, if any.</summary>
    public static (RecordKind Kind, string SourceId)? Validate(LedgerQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentException.ThrowIfNullOrEmpty(query.TenantId);
        if (query.PageSize is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.PageSize, "PageSize must be between 1 and 1000.");
        }

        return query.ContinuationToken is null ? null : Decode(query.ContinuationToken);
    }
}
