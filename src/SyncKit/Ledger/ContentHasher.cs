using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using SyncKit.Records;

namespace SyncKit.Ledger;

/// <summary>Hashes a record's content, so an unchanged record is never re-sent and a changed one is.</summary>
internal static class ContentHasher
{
    private static readonly JsonSerializerOptions s_options = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Hash(SyncRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);

        // The runtime type's public properties, in declaration order: stable for a given SyncKit version.
        var json = JsonSerializer.SerializeToUtf8Bytes(record, record.GetType(), s_options);
        return Convert.ToHexStringLower(SHA256.HashData(json));
    }

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}
