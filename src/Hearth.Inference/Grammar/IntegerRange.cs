using System.Globalization;

namespace Hearth.Inference.Grammar;

/// <summary>
/// GBNF for the decimal integers in a range, digit by digit, the way llama.cpp's <c>json-schema-to-grammar.cpp</c>
/// builds its <c>minimum</c>/<c>maximum</c> rules: the range is split by number of digits, and each same-length range
/// [lo, hi] into a fixed prefix and character classes (e.g. 15‥42 → <c>"1" [5-9] | [2-3] [0-9] | "4" [0-2]</c>).
/// No leading zeros and no <c>-0</c>, so every value has one spelling. Magnitudes are capped at <see cref="Limit"/>
/// (16 digits, the same cap as the unconstrained <c>integer</c> rule).
/// </summary>
internal static class IntegerRange
{
    public const long Limit = 9_999_999_999_999_999;

    /// <summary>An expression for min ≤ n ≤ max (null = open on that side); null when the range holds no integer.</summary>
    public static string? Expression(long? min, long? max)
    {
        var lo = Math.Max(min ?? -Limit, -Limit);
        var hi = Math.Min(max ?? Limit, Limit);
        if (lo > hi)
            return null;
        var parts = new List<string>(2);
        if (lo <= -1)
            parts.Add("\"-\" " + Unsigned(Math.Max(hi >= 0 ? 1 : -hi, 1), -lo));
        if (hi >= 0)
            parts.Add(Unsigned(Math.Max(lo, 0), hi));
        return parts.Count == 1 ? parts[0] : "(" + string.Join(" | ", parts) + ")";
    }

    /// <summary>Non-negative integers a ≤ n ≤ b.</summary>
    public static string Unsigned(long a, long b)
    {
        var alternatives = new List<string>();
        int digitsA = Digits(a), digitsB = Digits(b);
        var fullRun = -1; // first length of a run of lengths that take every value ([1-9][0-9]{L-1})
        for (var length = digitsA; length <= digitsB; length++)
        {
            var first = length == 1 ? 0 : Pow10(length - 1);
            var last = Pow10(length) - 1;
            long lo = Math.Max(a, first), hi = Math.Min(b, last);
            var full = length > 1 && lo == first && hi == last;
            if (full)
            {
                if (fullRun < 0)
                    fullRun = length;
                continue;
            }
            FlushRun(alternatives, ref fullRun, length - 1);
            alternatives.Add(SameLength(Text(lo), Text(hi)));
        }
        FlushRun(alternatives, ref fullRun, digitsB);
        return alternatives.Count == 1 ? alternatives[0] : "(" + string.Join(" | ", alternatives) + ")";
    }

    private static void FlushRun(List<string> alternatives, ref int fullRun, int lastLength)
    {
        if (fullRun < 0)
            return;
        int min = fullRun - 1, max = lastLength - 1;
        alternatives.Add(min == max ? $"[1-9] [0-9]{{{min}}}" : $"[1-9] [0-9]{{{min},{max}}}");
        fullRun = -1;
    }

    // lo and hi have the same number of digits and lo <= hi.
    private static string SameLength(string lo, string hi)
    {
        if (lo.Length == 0)
            return "";
        if (lo == hi)
            return GbnfRules.Literal(lo);
        if (lo[0] == hi[0])
            return Join(GbnfRules.Literal(lo[..1]), SameLength(lo[1..], hi[1..]));

        var rest = lo.Length - 1;
        bool loTailZero = lo.AsSpan(1).IndexOfAnyExcept('0') < 0, hiTailNine = hi.AsSpan(1).IndexOfAnyExcept('9') < 0;
        var parts = new List<string>(3);
        var start = lo[0];
        if (!loTailZero)
        {
            parts.Add(Join(GbnfRules.Literal(lo[..1]), SameLength(lo[1..], new string('9', rest))));
            start++;
        }
        var end = hiTailNine ? hi[0] : (char)(hi[0] - 1);
        if (start <= end)
            parts.Add(Join(start == end ? GbnfRules.Literal(start.ToString()) : $"[{start}-{end}]", AnyDigits(rest)));
        if (!hiTailNine)
            parts.Add(Join(GbnfRules.Literal(hi[..1]), SameLength(new string('0', rest), hi[1..])));
        return parts.Count == 1 ? parts[0] : "(" + string.Join(" | ", parts) + ")";
    }

    private static string AnyDigits(int count) => count switch { 0 => "", 1 => "[0-9]", _ => $"[0-9]{{{count}}}" };

    private static string Join(string a, string b) => b.Length == 0 ? a : a + " " + b;

    private static string Text(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static int Digits(long n) => Text(n).Length;

    private static long Pow10(int n)
    {
        long p = 1;
        for (var i = 0; i < n; i++)
            p *= 10;
        return p;
    }
}
