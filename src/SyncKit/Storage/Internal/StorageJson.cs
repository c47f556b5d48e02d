using System.Text.Json;
using System.Text.Json.Serialization;
using SyncKit.Errors;
using SyncKit.Ledger;
using SyncKit.Records;
using SyncKit.Runs;

namespace SyncKit.Storage.Internal;

/// <summary>The JSON columns' serialiser, shared by the SQL providers (source generated, string enums).</summary>
[JsonSourceGenerationOptions(
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SyncError))]
[JsonSerializable(typeof(List<SyncWarning>))]
[JsonSerializable(typeof(RunCounts))]
[JsonSerializable(typeof(List<RecordKind>))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(int[]))]
[JsonSerializable(typeof(TenantSettingsDocument))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;

/// <summary>A tenant's settings as their JSON column holds them.</summary>
internal sealed class TenantSettingsDocument
{
    public Dictionary<RecordKind, Settings.SyncDirection> Directions { get; set; } = [];

    public Dictionary<RecordKind, Settings.ConflictPolicy> ConflictPolicies { get; set; } = [];

    public Dictionary<RecordKind, Dictionary<string, Settings.ConflictPolicy>>? FieldConflictPolicies { get; set; }

    public bool? PushPayments { get; set; }

    public bool? ImportPayments { get; set; }

    public ZeroValuePolicy? ZeroValueDocuments { get; set; }

    public NegativeInvoicePolicy? NegativeInvoices { get; set; }

    public bool? SummariseLines { get; set; }

    public string? RoundingAccountKey { get; set; }

    public string? RoundingTaxKey { get; set; }

    public decimal? MaxRoundingAdjustment { get; set; }

    public bool? WarnOnMissingBillingContact { get; set; }

    public Settings.ApprovalHold? ApprovalHold { get; set; }

    public List<RecordKind>? ApprovalHoldKinds { get; set; }
}

/// <summary>Serialises the values stores keep as JSON columns.</summary>
internal static class StorageJson
{
    // One document per tenant: settings added later are new (optional) properties of it, read as "not set" from older rows.
    public static string SerializeSettings(Settings.TenantSettings settings) => JsonSerializer.Serialize(
        new TenantSettingsDocument
        {
            Directions = new(settings.Directions),
            ConflictPolicies = new(settings.ConflictPolicies),
            FieldConflictPolicies = settings.FieldConflictPolicies.Count == 0
                ? null
                : settings.FieldConflictPolicies.ToDictionary(k => k.Key, k => new Dictionary<string, Settings.ConflictPolicy>(k.Value, StringComparer.Ordinal)),
            PushPayments = settings.PushPayments,
            ImportPayments = settings.ImportPayments,
            ZeroValueDocuments = settings.ZeroValueDocuments,
            NegativeInvoices = settings.NegativeInvoices,
            SummariseLines = settings.SummariseLines,
            RoundingAccountKey = settings.RoundingAccountKey,
            RoundingTaxKey = settings.RoundingTaxKey,
            MaxRoundingAdjustment = settings.MaxRoundingAdjustment,
            WarnOnMissingBillingContact = settings.WarnOnMissingBillingContact,
            ApprovalHold = settings.ApprovalHold,
            ApprovalHoldKinds = settings.ApprovalHoldKinds.Count == 0 ? null : [.. settings.ApprovalHoldKinds],
        },
        StorageJsonContext.Default.TenantSettingsDocument);

    public static Settings.TenantSettings DeserializeSettings(string tenantId, string json, DateTimeOffset updatedAt)
    {
        var document = JsonSerializer.Deserialize(json, StorageJsonContext.Default.TenantSettingsDocument) ?? new TenantSettingsDocument();
        return new Settings.TenantSettings
        {
            TenantId = tenantId,
            Directions = document.Directions,
            ConflictPolicies = document.ConflictPolicies,
            FieldConflictPolicies = document.FieldConflictPolicies?.ToDictionary(
                k => k.Key, k => (IReadOnlyDictionary<string, Settings.ConflictPolicy>)new Dictionary<string, Settings.ConflictPolicy>(k.Value, StringComparer.Ordinal))
                ?? [],
            PushPayments = document.PushPayments,
            ImportPayments = document.ImportPayments,
            ZeroValueDocuments = document.ZeroValueDocuments,
            NegativeInvoices = document.NegativeInvoices,
            SummariseLines = document.SummariseLines,
            RoundingAccountKey = document.RoundingAccountKey,
            RoundingTaxKey = document.RoundingTaxKey,
            MaxRoundingAdjustment = document.MaxRoundingAdjustment,
            WarnOnMissingBillingContact = document.WarnOnMissingBillingContact,
            ApprovalHold = document.ApprovalHold,
            ApprovalHoldKinds = document.ApprovalHoldKinds ?? [],
            UpdatedAt = updatedAt,
        };
    }

    public static string? SerializeError(SyncError? error) =>
        error is null ? null : JsonSerializer.Serialize(error, StorageJsonContext.Default.SyncError);

    public static SyncError? DeserializeError(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize(json, StorageJsonContext.Default.SyncError);

    public static string? SerializeWarnings(IReadOnlyList<SyncWarning>? warnings) =>
        warnings is null || warnings.Count == 0 ? null : JsonSerializer.Serialize([.. warnings], StorageJsonContext.Default.ListSyncWarning);

    public static IReadOnlyList<SyncWarning> DeserializeWarnings(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize(json, StorageJsonContext.Default.ListSyncWarning) ?? [];

    public static string SerializeCounts(RunCounts? counts) =>
        JsonSerializer.Serialize(counts ?? new RunCounts(), StorageJsonContext.Default.RunCounts);

    public static RunCounts DeserializeCounts(string? json) =>
        string.IsNullOrEmpty(json) ? new RunCounts() : JsonSerializer.Deserialize(json, StorageJsonContext.Default.RunCounts) ?? new RunCounts();

    public static string? SerializeKinds(IReadOnlyList<RecordKind>? kinds) =>
        kinds is null || kinds.Count == 0 ? null : JsonSerializer.Serialize([.. kinds], StorageJsonContext.Default.ListRecordKind);

    /// <summary>A JSON array of strings (for SQLite's <c>json_each</c>).</summary>
    public static string StringArray(IEnumerable<string> values) =>
        JsonSerializer.Serialize(values.ToArray(), StorageJsonContext.Default.StringArray);

    /// <summary>A JSON array of integers (for SQLite's <c>json_each</c>).</summary>
    public static string IntArray(IEnumerable<int> values) =>
        JsonSerializer.Serialize(values.ToArray(), StorageJsonContext.Default.Int32Array);

    public static IReadOnlyList<string> DeserializeStrings(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize(json, StorageJsonContext.Default.StringArray) ?? [];

    public static IReadOnlyList<RecordKind> DeserializeKinds(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize(json, StorageJsonContext.Default.ListRecordKind) ?? [];
}
