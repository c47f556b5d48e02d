using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace SyncKit.AspNetCore.Dashboard.Pages;

/// <summary>Writes one HTML page: every text goes through <see cref="Text(string?)"/>, so nothing from a record is markup.</summary>
internal sealed class HtmlPage
{
    private readonly StringBuilder _html = new(16 * 1024);

    public HtmlPage Raw(string markup)
    {
        _html.Append(markup);
        return this;
    }

    public HtmlPage Text(string? text)
    {
        _html.Append(HtmlEncoder.Default.Encode(text ?? string.Empty));
        return this;
    }

    public HtmlPage Text(int number) => Raw(number.ToString("N0", CultureInfo.InvariantCulture));

    /// <summary>An element with text content: <c>&lt;tag attrs&gt;text&lt;/tag&gt;</c>; attribute values are encoded.</summary>
    public HtmlPage Element(string tag, string? text, params (string Name, string? Value)[] attributes)
    {
        Open(tag, attributes);
        Text(text);
        return Raw($"</{tag}>");
    }

    public HtmlPage Open(string tag, params (string Name, string? Value)[] attributes)
    {
        _html.Append('<').Append(tag);
        foreach (var (name, value) in attributes)
        {
            if (value is null)
            {
                continue;
            }

            _html.Append(' ').Append(name);
            if (value.Length > 0)
            {
                _html.Append("=\"").Append(HtmlEncoder.Default.Encode(value)).Append('"');
            }
        }

        _html.Append('>');
        return this;
    }

    public HtmlPage Close(string tag) => Raw($"</{tag}>");

    public HtmlPage Link(string href, string text, string? cssClass = null) => Element("a", text, ("href", href), ("class", cssClass));

    public override string ToString() => _html.ToString();
}
