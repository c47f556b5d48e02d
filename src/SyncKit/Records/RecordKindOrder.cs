namespace SyncKit.Records;

/// <summary>The order in which kinds are pushed, so every record's dependencies exist before it.</summary>
public static class RecordKindOrder
{
    private static readonly RecordKind[] s_order =
    [
        RecordKind.Contact,
        RecordKind.Item,
        RecordKind.Client,
        RecordKind.Staff,
        RecordKind.Invoice,
        RecordKind.CreditNote,
        RecordKind.PurchaseOrder,
        RecordKind.Bill,
        RecordKind.Job,
        RecordKind.Payment,
        RecordKind.Cost,
    ];

    /// <summary>Every kind, dependencies first.</summary>
    public static IReadOnlyList<RecordKind> All => s_order;

    /// <summary>The given kinds (or all when <paramref name="kinds"/> is null or empty), dependencies first.</summary>
    /// <param name="kinds">The kinds to order.</param>
    /// <returns>The kinds in push order, without duplicates.</returns>
    public static IReadOnlyList<RecordKind> Sort(IEnumerable<RecordKind>? kinds)
    {
        if (kinds is null)
        {
            return s_order;
        }

        var wanted = kinds.ToHashSet();
        return wanted.Count == 0 ? s_order : s_order.Where(wanted.Contains).ToArray();
    }

    /// <summary>The position of a kind in push order (0 first).</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>Its stage.</returns>
    public static int StageOf(RecordKind kind) => Array.IndexOf(s_order, kind);
}
