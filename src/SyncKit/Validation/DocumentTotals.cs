using SyncKit.Connectors;
using SyncKit.Records;

namespace SyncKit.Validation;

/// <summary>Document totals as the ledger computes them: tax per line, each rounded to 2 decimals, then summed.</summary>
internal static class DocumentTotals
{
    public static decimal NetTotal(DocumentRecord document) => document.Lines.Sum(l => l.NetAmount);

    /// <summary>The total including tax, computed line by line with the ledger's tax rates (by mapped tax type).</summary>
    public static decimal LedgerTotal(DocumentRecord document, ReferenceData reference)
    {
        decimal total = 0m;
        foreach (var line in document.Lines)
        {
            var net = line.NetAmount;
            var rate = RateOf(line.TaxKey, reference) / 100m;
            total += document.LineAmountType switch
            {
                LineAmountType.Exclusive => net + Round(net * rate),
                _ => net,
            };
        }

        return total;
    }

    public static decimal Round(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);

    private static decimal RateOf(string? taxType, ReferenceData reference)
    {
        if (taxType is null)
        {
            return 0m;
        }

        foreach (var rate in reference.TaxRates)
        {
            if (string.Equals(rate.TaxType, taxType, StringComparison.OrdinalIgnoreCase))
            {
                return rate.Rate;
            }
        }

        return 0m;
    }
}
