using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SyncKit.Testing.Emulator.State;

namespace SyncKit.Testing.Emulator.Accounting;

/// <summary>
/// Xero's <c>where</c> expressions over an element's JSON: <c>Field=="x"</c>, <c>!=</c>, <c>&lt; &lt;= &gt; &gt;=</c>,
/// <c>Guid("...")</c>, <c>DateTime(2020,1,31)</c>, <c>true/false/null</c>, numbers, dotted paths (<c>Contact.ContactID</c>),
/// <c>.Contains("x")</c>, <c>.StartsWith("x")</c>, <c>.EndsWith("x")</c>, <c>.ToLower()</c>/<c>.ToUpper()</c>,
/// <c>AND</c>/<c>&amp;&amp;</c>, <c>OR</c>/<c>||</c>, <c>!</c>/<c>NOT</c> and parentheses. Comparisons are case-insensitive.
/// </summary>
internal sealed class WhereFilter
{
    private readonly Func<JsonObject, bool> _predicate;

    private WhereFilter(Func<JsonObject, bool> predicate) => _predicate = predicate;

    public bool Matches(JsonObject element) => _predicate(element);

    public static bool TryParse(string text, out WhereFilter? filter)
    {
        try
        {
            var parser = new Parser(Tokenize(text));
            var expr = parser.ParseOr();
            parser.ExpectEnd();
            filter = new WhereFilter(e => Truthy(expr(e)));
            return true;
        }
        catch (FormatException)
        {
            filter = null;
            return false;
        }
    }

    private static bool Truthy(object? value) => value is true;

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '"' || c == '\'')
            {
                var end = i + 1;
                var sb = new System.Text.StringBuilder();
                while (end < text.Length && text[end] != c)
                {
                    if (text[end] == '\\' && end + 1 < text.Length)
                    {
                        end++;
                    }

                    sb.Append(text[end]);
                    end++;
                }

                if (end >= text.Length)
                {
                    throw new FormatException("Unterminated string.");
                }

                tokens.Add("\"" + sb);
                i = end + 1;
            }
            else if ("=!<>&|".Contains(c, StringComparison.Ordinal))
            {
                var two = i + 1 < text.Length ? text.Substring(i, 2) : c.ToString();
                if (two is "==" or "!=" or "<=" or ">=" or "&&" or "||")
                {
                    tokens.Add(two);
                    i += 2;
                }
                else
                {
                    tokens.Add(c == '=' ? "==" : c.ToString());
                    i++;
                }
            }
            else if ("().,".Contains(c, StringComparison.Ordinal))
            {
                tokens.Add(c.ToString());
                i++;
            }
            else
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '-' || (text[i] == '.' && i + 1 < text.Length && char.IsDigit(text[i + 1]) && char.IsDigit(text[start]))))
                {
                    i++;
                }

                if (i == start)
                {
                    throw new FormatException("Unexpected character.");
                }

                tokens.Add(text[start..i]);
            }
        }

        return tokens;
    }

    private sealed class Parser(List<string> tokens)
    {
        private int _pos;

        private string? Peek => _pos < tokens.Count ? tokens[_pos] : null;

        public void ExpectEnd()
        {
            if (_pos != tokens.Count)
            {
                throw new FormatException("Unexpected token.");
            }
        }

        private string Next() => _pos < tokens.Count ? tokens[_pos++] : throw new FormatException("Unexpected end.");

        private void Expect(string token)
        {
            if (!string.Equals(Next(), token, StringComparison.OrdinalIgnoreCase))
            {
                throw new FormatException("Expected " + token);
            }
        }

        public Func<JsonObject, object?> ParseOr()
        {
            var left = ParseAnd();
            while (Peek is "||" || string.Equals(Peek, "OR", StringComparison.OrdinalIgnoreCase))
            {
                Next();
                var l = left;
                var r = ParseAnd();
                left = e => Truthy(l(e)) || Truthy(r(e));
            }

            return left;
        }

        private Func<JsonObject, object?> ParseAnd()
        {
            var left = ParseNot();
            while (Peek is "&&" || string.Equals(Peek, "AND", StringComparison.OrdinalIgnoreCase))
            {
                Next();
                var l = left;
                var r = ParseNot();
                left = e => Truthy(l(e)) && Truthy(r(e));
            }

            return left;
        }

        private Func<JsonObject, object?> ParseNot()
        {
            if (Peek is "!" || string.Equals(Peek, "NOT", StringComparison.OrdinalIgnoreCase))
            {
                Next();
                var inner = ParseNot();
                return e => !Truthy(inner(e));
            }

            return ParseComparison();
        }

        private Func<JsonObject, object?> ParseComparison()
        {
            var left = ParsePrimary();
            if (Peek is "==" or "!=" or "<" or "<=" or ">" or ">=")
            {
                var op = Next();
                var right = ParsePrimary();
                return e => Compare(left(e), right(e), op);
            }

            return left;
        }

        private Func<JsonObject, object?> ParsePrimary()
        {
            var token = Next();
            if (token == "(")
            {
                var inner = ParseOr();
                Expect(")");
                return inner;
            }

            if (token.StartsWith('"'))
            {
                var s = token[1..];
                return _ => s;
            }

            if (decimal.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return _ => number;
            }

            switch (token.ToUpperInvariant())
            {
                case "TRUE":
                    return _ => true;
                case "FALSE":
                    return _ => false;
                case "NULL":
                    return _ => null;
                case "GUID":
                    {
                        Expect("(");
                        var g = Next();
                        Expect(")");
                        var text = g.TrimStart('"');
                        return _ => text;
                    }

                case "DATETIME":
                    {
                        Expect("(");
                        var parts = new List<int>();
                        while (Peek != ")")
                        {
                            var p = Next();
                            if (p != ",")
                            {
                                parts.Add(int.Parse(p, CultureInfo.InvariantCulture));
                            }
                        }

                        Expect(")");
                        if (parts.Count < 3)
                        {
                            throw new FormatException("DateTime needs year, month, day.");
                        }

                        var dt = new DateTimeOffset(parts[0], parts[1], parts[2], parts.ElementAtOrDefault(3), parts.ElementAtOrDefault(4), parts.ElementAtOrDefault(5), TimeSpan.Zero);
                        return _ => dt;
                    }
            }

            // A field path with optional method calls: Contact.Name.ToLower().Contains("x")
            var path = new List<string> { token };
            Func<JsonObject, object?> accessor = e => Resolve(e, path);
            while (Peek == ".")
            {
                Next();
                var member = Next();
                if (Peek == "(")
                {
                    Next();
                    Func<JsonObject, object?>? arg = null;
                    if (Peek != ")")
                    {
                        arg = ParseOr();
                    }

                    Expect(")");
                    var target = accessor;
                    var name = member.ToUpperInvariant();
                    accessor = name switch
                    {
                        "TOLOWER" or "TOLOWERINVARIANT" => e => (target(e) as string)?.ToLowerInvariant(),
                        "TOUPPER" or "TOUPPERINVARIANT" => e => (target(e) as string)?.ToUpperInvariant(),
                        "TRIM" => e => (target(e) as string)?.Trim(),
                        "CONTAINS" => e => target(e) is string s && arg?.Invoke(e) is string a && s.Contains(a, StringComparison.OrdinalIgnoreCase),
                        "STARTSWITH" => e => target(e) is string s && arg?.Invoke(e) is string a && s.StartsWith(a, StringComparison.OrdinalIgnoreCase),
                        "ENDSWITH" => e => target(e) is string s && arg?.Invoke(e) is string a && s.EndsWith(a, StringComparison.OrdinalIgnoreCase),
                        _ => throw new FormatException("Unknown method " + member),
                    };
                }
                else
                {
                    path.Add(member);
                }
            }

            return accessor;
        }

        private static object? Resolve(JsonObject element, List<string> path)
        {
            JsonNode? node = element;
            foreach (var segment in path)
            {
                node = XeroJson.Get(node as JsonObject, segment);
                if (node is null)
                {
                    return null;
                }
            }

            if (node is not JsonValue value)
            {
                return null;
            }

            return value.GetValueKind() switch
            {
                JsonValueKind.String => value.GetValue<string>(),
                JsonValueKind.Number => XeroJson.ToDecimal(value),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => null,
            };
        }

        private static bool Compare(object? left, object? right, string op)
        {
            int? order = null;
            var equal = false;
            if (left is null || right is null)
            {
                equal = left is null && right is null;
            }
            else if (right is DateTimeOffset rd || left is DateTimeOffset)
            {
                if (ToDate(left) is { } l && ToDate(right) is { } r)
                {
                    order = l.CompareTo(r);
                    equal = order == 0;
                }
            }
            else if (left is decimal || right is decimal)
            {
                if (ToDecimal(left) is { } l && ToDecimal(right) is { } r)
                {
                    order = l.CompareTo(r);
                    equal = order == 0;
                }
            }
            else if (left is bool lb && right is bool rb)
            {
                equal = lb == rb;
            }
            else
            {
                var l = Convert.ToString(left, CultureInfo.InvariantCulture);
                var r = Convert.ToString(right, CultureInfo.InvariantCulture);
                order = string.Compare(l, r, StringComparison.OrdinalIgnoreCase);
                equal = order == 0;
            }

            return op switch
            {
                "==" => equal,
                "!=" => !equal,
                "<" => order < 0,
                "<=" => order <= 0,
                ">" => order > 0,
                ">=" => order >= 0,
                _ => false,
            };
        }

        private static DateTimeOffset? ToDate(object? value) => value switch
        {
            DateTimeOffset d => d,
            string s when XeroJson.TryParseDateTime(s, out var parsed) => parsed,
            _ => null,
        };

        private static decimal? ToDecimal(object? value) => value switch
        {
            decimal d => d,
            string s when decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }
}
