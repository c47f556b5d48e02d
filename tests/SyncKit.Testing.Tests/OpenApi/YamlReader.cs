using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SyncKit.Testing.Tests.OpenApi;

/// <summary>
/// A small YAML reader for the OpenAPI files: block mappings and sequences, compact "- key: value" items, flow
/// <c>[]</c>/<c>{}</c>, plain/single/double-quoted scalars, <c>|</c>/<c>&gt;</c> block scalars and comments.
/// Produces <see cref="JsonNode"/>s (plain scalars typed as YAML 1.2 core: null, booleans, numbers).
/// </summary>
internal sealed partial class YamlReader
{
    private readonly List<Line> _lines;
    private int _pos;

    private YamlReader(string text)
    {
        _lines = [];
        var raw = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < raw.Length; i++)
        {
            var content = raw[i].TrimEnd();
            var trimmed = content.TrimStart(' ');
            if (trimmed.Length == 0 || trimmed.StartsWith('#') || trimmed == "---")
            {
                _lines.Add(new Line(-1, string.Empty, i + 1, raw[i]));
                continue;
            }

            _lines.Add(new Line(content.Length - trimmed.Length, trimmed, i + 1, raw[i]));
        }
    }

    public static JsonNode? Parse(string text)
    {
        var reader = new YamlReader(text);
        reader.SkipBlank();
        if (reader._pos >= reader._lines.Count)
        {
            return null;
        }

        return reader.ParseBlock(reader._lines[reader._pos].Indent);
    }

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)$")]
    private static partial Regex IntRegex();

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)?(\.[0-9]*)?([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatRegex();

    private void SkipBlank()
    {
        while (_pos < _lines.Count && _lines[_pos].Indent < 0)
        {
            _pos++;
        }
    }

    private Line? Current
    {
        get
        {
            SkipBlank();
            return _pos < _lines.Count ? _lines[_pos] : null;
        }
    }

    private static bool IsSequenceItem(string text) => text == "-" || text.StartsWith("- ", StringComparison.Ordinal);

    private JsonNode? ParseBlock(int indent)
    {
        var line = Current;
        if (line is null)
        {
            return null;
        }

        if (IsSequenceItem(line.Text))
        {
            return ParseSequence(line.Indent);
        }

        if (FindKeySeparator(line.Text) >= 0)
        {
            return ParseMapping(line.Indent);
        }

        _pos++;
        return ParseInline(line.Text, line.Indent - 1);
    }

    private JsonArray ParseSequence(int indent)
    {
        var array = new JsonArray();
        while (Current is { } line && line.Indent == indent && IsSequenceItem(line.Text))
        {
            var rest = line.Text.Length > 1 ? line.Text[2..].TrimStart(' ') : string.Empty;
            if (rest.Length == 0)
            {
                _pos++;
                var next = Current;
                array.Add(next is not null && next.Indent > indent ? ParseBlock(next.Indent) : null);
                continue;
            }

            var restIndent = indent + (line.Text.Length - rest.Length);
            if (IsSequenceItem(rest) || (FindKeySeparator(rest) >= 0 && !rest.StartsWith('{') && !rest.StartsWith('[')))
            {
                // Compact nested node: re-read the rest of the line as if it started at its own column.
                _lines[_pos] = new Line(restIndent, rest, line.Number, line.Raw);
                array.Add(ParseBlock(restIndent));
                continue;
            }

            _pos++;
            array.Add(ParseInline(rest, indent));
        }

        return array;
    }

    private JsonObject ParseMapping(int indent)
    {
        var obj = new JsonObject();
        while (Current is { } line && line.Indent == indent && !IsSequenceItem(line.Text))
        {
            var sep = FindKeySeparator(line.Text);
            if (sep < 0)
            {
                throw new FormatException($"Line {line.Number}: expected 'key: value'.");
            }

            var key = Unquote(line.Text[..sep].Trim());
            var value = line.Text[(sep + 1)..].Trim();
            value = StripComment(value);
            _pos++;
            JsonNode? node;
            if (value.Length == 0)
            {
                var next = Current;
                if (next is not null && next.Indent > indent)
                {
                    node = ParseBlock(next.Indent);
                }
                else if (next is not null && next.Indent == indent && IsSequenceItem(next.Text))
                {
                    node = ParseSequence(indent);
                }
                else
                {
                    node = null;
                }
            }
            else if (value[0] is '|' or '>' && BlockHeader().IsMatch(value))
            {
                node = JsonValue.Create(ReadBlockScalar(indent, value));
            }
            else
            {
                node = ParseInline(value, indent);
            }

            obj[key] = node;
        }

        return obj;
    }

    [GeneratedRegex(@"^[|>][-+]?[0-9]?$")]
    private static partial Regex BlockHeader();

    private string ReadBlockScalar(int parentIndent, string header)
    {
        var folded = header[0] == '>';
        var keep = header.Contains('+', StringComparison.Ordinal);
        var strip = header.Contains('-', StringComparison.Ordinal);
        var collected = new List<string>();
        int? blockIndent = null;
        while (_pos < _lines.Count)
        {
            var line = _lines[_pos];
            if (line.Indent >= 0 && line.Indent <= parentIndent)
            {
                break;
            }

            if (line.Indent < 0 && line.Raw.Trim().Length > 0 && (line.Raw.Length - line.Raw.TrimStart(' ').Length) <= parentIndent)
            {
                break; // a comment at a shallower indent ends the block
            }

            if (line.Raw.Trim().Length == 0)
            {
                collected.Add(string.Empty);
            }
            else
            {
                var rawIndent = line.Raw.Length - line.Raw.TrimStart(' ').Length;
                blockIndent ??= rawIndent;
                collected.Add(line.Raw.Length >= blockIndent ? line.Raw[blockIndent.Value..].TrimEnd() : line.Raw.Trim());
            }

            _pos++;
        }

        while (collected.Count > 0 && collected[^1].Length == 0)
        {
            collected.RemoveAt(collected.Count - 1);
        }

        string text;
        if (folded)
        {
            var sb = new StringBuilder();
            for (var i = 0; i < collected.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append(collected[i].Length == 0 || collected[i - 1].Length == 0 ? "\n" : " ");
                }

                sb.Append(collected[i]);
            }

            text = sb.ToString();
        }
        else
        {
            text = string.Join("\n", collected);
        }

        return strip ? text : text + "\n" + (keep ? string.Empty : string.Empty);
    }

    private JsonNode? ParseInline(string text, int parentIndent)
    {
        text = text.Trim();
        if (text.StartsWith('[') || text.StartsWith('{'))
        {
            var index = 0;
            var node = ParseFlow(text, ref index);
            return node;
        }

        if (text.StartsWith('"') || text.StartsWith('\''))
        {
            var index = 0;
            return JsonValue.Create(ReadQuoted(text, ref index));
        }

        // Plain scalar, possibly continued on more-indented lines.
        var value = StripComment(text);
        while (Current is { } next && next.Indent > parentIndent && FindKeySeparator(next.Text) < 0 && !IsSequenceItem(next.Text) && parentIndent >= 0 && next.Indent > parentIndent + 1)
        {
            value += " " + StripComment(next.Text);
            _pos++;
        }

        return Scalar(value);
    }

    private static JsonNode? Scalar(string value)
    {
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (IntRegex().IsMatch(value) && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
        {
            return JsonValue.Create(l);
        }

        if (value.Any(char.IsDigit) && FloatRegex().IsMatch(value) && decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return JsonValue.Create(d);
        }

        return JsonValue.Create(value);
    }

    private static JsonNode? ParseFlow(string text, ref int i)
    {
        SkipSpaces(text, ref i);
        if (text[i] == '[')
        {
            i++;
            var array = new JsonArray();
            while (true)
            {
                SkipSpaces(text, ref i);
                if (text[i] == ']')
                {
                    i++;
                    return array;
                }

                array.Add(ParseFlow(text, ref i));
                SkipSpaces(text, ref i);
                if (text[i] == ',')
                {
                    i++;
                }
            }
        }

        if (text[i] == '{')
        {
            i++;
            var obj = new JsonObject();
            while (true)
            {
                SkipSpaces(text, ref i);
                if (text[i] == '}')
                {
                    i++;
                    return obj;
                }

                var key = text[i] is '"' or '\'' ? ReadQuoted(text, ref i) : ReadPlainFlow(text, ref i, keyMode: true);
                SkipSpaces(text, ref i);
                JsonNode? value = null;
                if (text[i] == ':')
                {
                    i++;
                    value = ParseFlow(text, ref i);
                }

                obj[key] = value;
                SkipSpaces(text, ref i);
                if (text[i] == ',')
                {
                    i++;
                }
            }
        }

        if (text[i] is '"' or '\'')
        {
            return JsonValue.Create(ReadQuoted(text, ref i));
        }

        return Scalar(ReadPlainFlow(text, ref i, keyMode: false));
    }

    private static string ReadPlainFlow(string text, ref int i, bool keyMode)
    {
        var start = i;
        while (i < text.Length && text[i] is not ',' and not ']' and not '}' && !(keyMode && text[i] == ':'))
        {
            i++;
        }

        return text[start..i].Trim();
    }

    private static void SkipSpaces(string text, ref int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        if (i >= text.Length)
        {
            throw new FormatException("Unterminated flow collection.");
        }
    }

    private static string ReadQuoted(string text, ref int i)
    {
        var quote = text[i++];
        var sb = new StringBuilder();
        while (i < text.Length)
        {
            var c = text[i++];
            if (quote == '\'' && c == '\'')
            {
                if (i < text.Length && text[i] == '\'')
                {
                    sb.Append('\'');
                    i++;
                    continue;
                }

                return sb.ToString();
            }

            if (quote == '"' && c == '"')
            {
                return sb.ToString();
            }

            if (quote == '"' && c == '\\' && i < text.Length)
            {
                var e = text[i++];
                switch (e)
                {
                    case 'n': sb.Append('\n'); break;
                    case 't': sb.Append('\t'); break;
                    case 'r': sb.Append('\r'); break;
                    case '0': sb.Append('\0'); break;
                    case 'u':
                        sb.Append((char)int.Parse(text.AsSpan(i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        i += 4;
                        break;
                    default: sb.Append(e); break;
                }

                continue;
            }

            sb.Append(c);
        }

        throw new FormatException("Unterminated quoted scalar.");
    }

    private static string Unquote(string key)
    {
        if (key.Length >= 2 && (key[0] == '"' || key[0] == '\''))
        {
            var i = 0;
            return ReadQuoted(key, ref i);
        }

        return key;
    }

    /// <summary>Index of the ':' that ends a mapping key on this line, or -1 (ignores quoted text and flow collections).</summary>
    private static int FindKeySeparator(string text)
    {
        if (text.Length == 0 || text[0] is '[' or '{' || IsSequenceItem(text))
        {
            return -1;
        }

        var i = 0;
        if (text[0] is '"' or '\'')
        {
            try
            {
                ReadQuoted(text, ref i);
            }
            catch (FormatException)
            {
                return -1;
            }

            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }

            return i < text.Length && text[i] == ':' && (i + 1 == text.Length || text[i + 1] == ' ') ? i : -1;
        }

        for (; i < text.Length; i++)
        {
            if (text[i] == ':' && (i + 1 == text.Length || text[i + 1] == ' '))
            {
                return i;
            }

            if (text[i] == '#' && i > 0 && text[i - 1] == ' ')
            {
                return -1;
            }
        }

        return -1;
    }

    private static string StripComment(string value)
    {
        if (value.StartsWith('"') || value.StartsWith('\''))
        {
            return value;
        }

        var index = value.IndexOf(" #", StringComparison.Ordinal);
        return index >= 0 ? value[..index].TrimEnd() : value;
    }

    private sealed record Line(int Indent, string Text, int Number, string Raw);
}
