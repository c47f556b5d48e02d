using System.Globalization;
using SyncKit.Runs;

namespace SyncKit.AspNetCore.Dashboard.Pages;

/// <summary>Records synced and failed per day over the last two weeks, drawn on the server as SVG (no script, no chart library).</summary>
internal static class DayChart
{
    private const int Days = 14;
    private const int BarWidth = 12;
    private const int DayWidth = 36;
    private const int Height = 120;

    public static void Render(HtmlPage body, IReadOnlyList<SyncRun> runs, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var days = Enumerable.Range(0, Days).Select(i => today.AddDays(i - Days + 1)).ToArray();
        var totals = days.ToDictionary(d => d, _ => (Synced: 0, Failed: 0));
        foreach (var run in runs)
        {
            var day = DateOnly.FromDateTime(run.StartedAt.UtcDateTime);
            if (totals.TryGetValue(day, out var t))
            {
                totals[day] = (t.Synced + run.Counts.Synced, t.Failed + run.Counts.Failed);
            }
        }

        var max = Math.Max(1, totals.Values.Max(t => Math.Max(t.Synced, t.Failed)));
        var width = Days * DayWidth;
        body.Raw("<section aria-labelledby=\"chart-title\"><h2 id=\"chart-title\">Synced and failed per day</h2>");
        body.Raw("<p class=\"legend\"><span class=\"key synced\"></span> Synced <span class=\"key failed\"></span> Sync Error</p>");
        body.Open("svg", ("class", "chart"), ("viewBox", Invariant($"0 0 {width} {Height + 20}")), ("role", "img"),
            ("aria-label", $"Records synced and failed per day over the last {Days} days; the figures are in the table below."));
        for (var i = 0; i < Days; i++)
        {
            var (synced, failed) = totals[days[i]];
            var x = i * DayWidth + 4;
            Bar(body, x, synced, max, "synced", $"{days[i]:d MMM}: {synced:N0} synced");
            Bar(body, x + BarWidth + 2, failed, max, "failed", $"{days[i]:d MMM}: {failed:N0} with a Sync Error");
            body.Open("text", ("x", Invariant($"{x + BarWidth}")), ("y", Invariant($"{Height + 14}")), ("text-anchor", "middle")).Text(days[i].ToString("dd", CultureInfo.InvariantCulture)).Close("text");
        }

        body.Close("svg");
        body.Raw("<details><summary>Figures</summary><div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Day</th><th scope=\"col\" class=\"num\">Synced</th><th scope=\"col\" class=\"num\">Sync Error</th></tr></thead><tbody>");
        foreach (var day in days.Reverse())
        {
            body.Raw("<tr><td>").Text(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Raw("</td><td class=\"num\">").Text(totals[day].Synced)
                .Raw("</td><td class=\"num\">").Text(totals[day].Failed).Raw("</td></tr>");
        }

        body.Raw("</tbody></table></div></details></section>");
    }

    private static void Bar(HtmlPage body, int x, int value, int max, string cssClass, string title)
    {
        var h = value == 0 ? 0 : Math.Max(2, (int)Math.Round((double)value / max * Height));
        body.Open("rect", ("class", cssClass), ("x", Invariant($"{x}")), ("y", Invariant($"{Height - h}")), ("width", Invariant($"{BarWidth}")), ("height", Invariant($"{h}")))
            .Element("title", title).Close("rect");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
