using SyncKit.Records;

namespace SyncKit.Validation;

/// <summary>Summarises a document's lines per (account, tax, tracking), as practice systems post bills to Xero.</summary>
internal static class LineSummary
{
    public static DocumentRecord Summarise(DocumentRecord document)
    {
        var groups = document.Lines
            .GroupBy(l => (l.AccountKey, l.TaxKey, Tracking: string.Join('|', l.Tracking.Select(t => $"{t.CategoryKey}/{t.OptionKey}"))))
            .ToList();
        if (groups.Count == document.Lines.Count)
        {
            return document;
        }

        var lines = groups.Select(g =>
        {
            var first = g.First();
            var count = g.Count();
            return count == 1
                ? first
                : new DocumentLine
                {
                    Description = $"{first.Description ?? "Summary"} and {count - 1} more line(s)",
                    Quantity = 1m,
                    UnitPrice = g.Sum(l => l.NetAmount),
                    AccountKey = first.AccountKey,
                    TaxKey = first.TaxKey,
                    Tracking = first.Tracking,
                };
        }).ToArray();
        return document with { Lines = lines };
    }
}
