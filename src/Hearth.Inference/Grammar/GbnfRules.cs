using System.Globalization;
using System.Text;

namespace Hearth.Inference.Grammar;

/// <summary>
/// A GBNF grammar being assembled: named rules in the order they were added, <c>root</c> first when written out.
/// Rule names are llama.cpp identifiers (letters, digits and <c>-</c>; <c>grammars/README.md</c>); a name already
/// taken by a different body gets a numeric suffix, and an identical body under the same name is shared.
/// </summary>
internal sealed class GbnfRules
{
    private readonly Dictionary<string, string?> _bodies = new(StringComparer.Ordinal);
    private readonly List<string> _order = new();

    /// <summary>Adds <paramref name="body"/> under a name derived from <paramref name="hint"/> and returns the name used.</summary>
    public string Add(string hint, string body)
    {
        var name = Sanitize(hint);
        for (var i = 1; ; i++)
        {
            var candidate = i == 1 ? name : $"{name}-{i}";
            if (_bodies.TryGetValue(candidate, out var existing))
            {
                if (existing == body)
                    return candidate;
                continue;
            }
            _bodies[candidate] = body;
            _order.Add(candidate);
            return candidate;
        }
    }

    /// <summary>Reserves a fresh name now and defines it later (for recursive <c>$ref</c>s).</summary>
    public string Reserve(string hint)
    {
        var name = Sanitize(hint);
        for (var i = 1; ; i++)
        {
            var candidate = i == 1 ? name : $"{name}-{i}";
            if (_bodies.ContainsKey(candidate))
                continue;
            _bodies[candidate] = null;
            _order.Add(candidate);
            return candidate;
        }
    }

    public void Define(string reservedName, string body) => _bodies[reservedName] = body;

    /// <summary>True once <paramref name="name"/> has a body.</summary>
    public bool IsDefined(string name) => _bodies.TryGetValue(name, out var body) && body is not null;

    /// <summary>The grammar text: <c>root</c> first, then the other rules in the order they were added.</summary>
    public string Write()
    {
        var text = new StringBuilder();
        if (_bodies.TryGetValue("root", out var root) && root is not null)
            text.Append("root ::= ").Append(root).Append('\n');
        foreach (var name in _order)
            if (name != "root" && _bodies[name] is { } body)
                text.Append(name).Append(" ::= ").Append(body).Append('\n');
        return text.ToString();
    }

    /// <summary>A rule name from any text: runs of other characters become one <c>-</c>.</summary>
    public static string Sanitize(string hint)
    {
        var name = new StringBuilder(hint.Length);
        foreach (var c in hint)
        {
            if (char.IsAsciiLetterOrDigit(c))
                name.Append(c);
            else if (name.Length > 0 && name[^1] != '-')
                name.Append('-');
        }
        var result = name.ToString().Trim('-');
        return result.Length == 0 ? "r" : result;
    }

    /// <summary>A GBNF string literal matching <paramref name="text"/> exactly.</summary>
    public static string Literal(string text)
    {
        var literal = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
            literal.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => "\\x" + ((int)c).ToString("X2", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        return literal.Append('"').ToString();
    }

    /// <summary>
    /// A character for use inside a GBNF character class <c>[...]</c>. llama.cpp's parser has no escape for <c>-</c>:
    /// callers put it last in the class, where it is literal.
    /// </summary>
    public static string ClassChar(char c) => c switch
    {
        '\\' => "\\\\",
        ']' => "\\]",
        '[' => "\\[",
        '"' => "\\\"",
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        _ when char.IsControl(c) || char.IsSurrogate(c) => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
        _ => c.ToString(),
    };

    /// <summary>
    /// llama.cpp's <c>MAX_REPETITION_THRESHOLD</c> (<c>src/llama-grammar.cpp</c>): its parser expands <c>S{m,n}</c> into
    /// copies of S and one new rule per optional repeat, and refuses ("failed to parse grammar") a repetition when the
    /// rules S itself generated times the count (n, or m when unbounded) reaches this; newer versions also refuse
    /// m above it and silently drop an n above it.
    /// </summary>
    public const int RepetitionThreshold = 2000;

    /// <summary>
    /// How many rules llama.cpp's parser generates for <paramref name="expression"/> (its <c>parse_sequence</c>): one per
    /// group <c>( … )</c>, one per <c>?</c>, <c>*</c>, <c>+</c> and <c>{m,}</c>, n−m per <c>{m,n}</c>. Literals and
    /// character classes are skipped; rule references generate none.
    /// </summary>
    public static long RulesGeneratedBy(string expression)
    {
        long count = 0;
        for (var i = 0; i < expression.Length; i++)
        {
            switch (expression[i])
            {
                case '"':
                case '[':
                    var close = expression[i] == '"' ? '"' : ']';
                    for (i++; i < expression.Length && expression[i] != close; i++)
                        if (expression[i] == '\\')
                            i++;
                    break;
                case '(' or '?' or '*' or '+':
                    count++;
                    break;
                case '{':
                    var end = expression.IndexOf('}', i);
                    var bounds = expression[(i + 1)..end].Split(',');
                    var min = long.Parse(bounds[0], CultureInfo.InvariantCulture);
                    count += bounds.Length == 1 ? 0 : bounds[1].Trim().Length == 0 ? 1 : long.Parse(bounds[1], CultureInfo.InvariantCulture) - min;
                    i = end;
                    break;
            }
        }
        return count;
    }

    /// <summary><c>{min,max}</c> repetition suffix in llama.cpp's GBNF (max null = unbounded).</summary>
    public static string Repeat(string item, int min, int? max)
    {
        if (max == 0)
            return "";
        if (min == 0 && max == 1)
            return $"({item})?";
        if (min == 0 && max is null)
            return $"({item})*";
        if (min == 1 && max is null)
            return $"({item})+";
        if (max == min)
            return min == 1 ? item : $"({item}){{{min}}}";
        return max is null ? $"({item}){{{min},}}" : $"({item}){{{min},{max}}}";
    }
}
