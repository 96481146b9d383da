using System.Text.Json;

namespace Hearth.Inference.Grammar;

internal sealed partial class SchemaConverter
{
    // RFC 3339 (JSON Schema's date, time and date-time formats). Days are checked per month, with February capped at
    // 28 so no leap-year arithmetic is needed; years are 1000–9999 and seconds stop at 59 (no leap second).
    private static readonly Dictionary<string, string> Formats = new(StringComparer.Ordinal)
    {
        ["date"] = "[1-9] [0-9]{3} \"-\" ((\"0\" [13578] | \"1\" [02]) \"-\" (\"0\" [1-9] | [12] [0-9] | \"3\" [01]) | " +
                   "(\"0\" [469] | \"11\") \"-\" (\"0\" [1-9] | [12] [0-9] | \"30\") | \"02-\" (\"0\" [1-9] | \"1\" [0-9] | \"2\" [0-8]))",
        ["time"] = "([01] [0-9] | \"2\" [0-3]) \":\" [0-5] [0-9] \":\" [0-5] [0-9] (\".\" [0-9]{1,6})? " +
                   "(\"Z\" | [+-] ([01] [0-9] | \"2\" [0-3]) \":\" [0-5] [0-9])",
        ["uuid"] = "[0-9a-fA-F]{8} \"-\" [0-9a-fA-F]{4} \"-\" [0-9a-fA-F]{4} \"-\" [0-9a-fA-F]{4} \"-\" [0-9a-fA-F]{12}",
        // A conservative subset of RFC 5321 addresses: up to three dot-separated atoms of letters and digits (at most
        // 62 characters; the local part's limit is 64) at a domain of letter-led labels ending in a letters-only TLD.
        ["email"] = "[a-zA-Z0-9]{1,20} (\".\" [a-zA-Z0-9]{1,20}){0,2} \"@\" [a-zA-Z] [a-zA-Z0-9]{0,30} " +
                    "(\".\" [a-zA-Z] [a-zA-Z0-9]{0,30})? \".\" [a-zA-Z]{2,12}",
    };

    private string String(JsonElement schema, string path, string hint)
    {
        var space = Space;
        var minLength = Count(schema, "minLength", path) ?? 0;
        var maxLength = Count(schema, "maxLength", path);
        if (schema.TryGetProperty("format", out var format))
        {
            if (schema.TryGetProperty("minLength", out _) || schema.TryGetProperty("maxLength", out _))
                throw new UnsupportedSchemaException(schema.TryGetProperty("minLength", out _) ? "minLength" : "maxLength", path,
                    "string lengths together with 'format' are not supported");
            var name = format.GetString() ?? "";
            var body = name == "date-time" ? FormatRule("date") + " \"T\" " + FormatRule("time")
                : Formats.ContainsKey(name) ? FormatRule(name)
                : throw new UnsupportedSchemaException("format", path,
                    $"format '{name}' is not supported (supported: date, time, date-time, uuid, email)");
            return $"\"\\\"\" {body} \"\\\"\" {space}";
        }
        if (maxLength < minLength)
            throw new UnsupportedSchemaException("maxLength", path, $"maxLength {maxLength} is less than minLength {minLength}");
        if (minLength == 0 && maxLength is null)
            return JsonPrimitives.Use(rules, "string");
        var chars = BoundedRepeat(JsonPrimitives.Use(rules, "char"), minLength, maxLength,
            new Bound("minLength", minLength), maxLength is { } m ? new Bound("maxLength", m) : null, 0, path, $"{hint}-chars");
        return rules.Add($"{hint}-string", $"\"\\\"\" {chars}{(chars.Length > 0 ? " " : "")}\"\\\"\" {space}");
    }

    private string FormatRule(string name) => rules.Add(name, Formats[name]);

    private string Integer(JsonElement schema, string path, string hint)
    {
        var (min, minExclusive, max, maxExclusive) = Bounds(schema, path);
        if (min is null && max is null)
            return JsonPrimitives.Use(rules, "integer");
        var range = IntegerRange.Expression(LowestInteger(min, minExclusive), HighestInteger(max, maxExclusive))
            ?? throw new UnsupportedSchemaException("minimum", path, "no integer lies between the minimum and the maximum");
        return rules.Add($"{hint}-int", $"{range} {Space}");
    }

    /// <summary>
    /// A number between the bounds, exactly: the integers in range, plus decimals <c>k.ddd</c> (value in [k, k+1)) for the
    /// whole parts k where that whole unit lies in range, and their negatives <c>-k.ddd</c> (in (−k−1, −k]). No
    /// exponents. Unbounded sides stop at 16 digits, as the unconstrained number rule does.
    /// </summary>
    private string Number(JsonElement schema, string path, string hint)
    {
        var (min, minExclusive, max, maxExclusive) = Bounds(schema, path);
        if (min is null && max is null)
            return JsonPrimitives.Use(rules, "number");

        var alternatives = new List<string>();
        if (IntegerRange.Expression(LowestInteger(min, minExclusive), HighestInteger(max, maxExclusive)) is { } integers)
            alternatives.Add(integers);
        var fraction = "\".\" [0-9]{1,16}";
        // k.ddd ≥ 0 needs k ≥ min (k > min when exclusive, as k.000 = k) and k + 1 ≤ max.
        long positiveLow = Math.Max(0, LowestInteger(min, minExclusive) ?? 0);
        long? positiveHigh = max is null ? null : (long)Math.Floor(Clamp(max.Value)) - 1;
        if (positiveHigh is null || positiveLow <= positiveHigh)
            alternatives.Add($"{IntegerRange.Unsigned(positiveLow, positiveHigh ?? IntegerRange.Limit)} {fraction}");
        // -k.ddd in (−k−1, −k] needs −k−1 ≥ min and −k ≤ max (−k < max when exclusive).
        long negativeLow = Math.Max(0, max is null ? 0 : -(HighestInteger(max, maxExclusive) ?? 0));
        long? negativeHigh = min is null ? null : (long)Math.Floor(-Clamp(min.Value)) - 1;
        if (negativeHigh is null || negativeLow <= negativeHigh)
            alternatives.Add($"\"-\" {IntegerRange.Unsigned(negativeLow, negativeHigh ?? IntegerRange.Limit)} {fraction}");
        if (alternatives.Count == 0)
            throw new UnsupportedSchemaException("minimum", path,
                "ranges narrower than one whole unit without an integer inside are not supported");
        return rules.Add($"{hint}-num", $"({string.Join(" | ", alternatives)}) {Space}");
    }

    private static long? LowestInteger(decimal? min, bool exclusive) =>
        min is null ? null : (long)(exclusive ? Math.Floor(Clamp(min.Value)) + 1 : Math.Ceiling(Clamp(min.Value)));

    private static long? HighestInteger(decimal? max, bool exclusive) =>
        max is null ? null : (long)(exclusive ? Math.Ceiling(Clamp(max.Value)) - 1 : Math.Floor(Clamp(max.Value)));

    private static decimal Clamp(decimal value) => Math.Clamp(value, -IntegerRange.Limit - 1, IntegerRange.Limit + 1);

    /// <summary>minimum/maximum with their exclusive forms: numbers (draft 6+) or booleans beside them (draft 4).</summary>
    private static (decimal? Min, bool MinExclusive, decimal? Max, bool MaxExclusive) Bounds(JsonElement schema, string path)
    {
        decimal? min = Decimal(schema, "minimum", path), max = Decimal(schema, "maximum", path);
        bool minExclusive = false, maxExclusive = false;
        if (schema.TryGetProperty("exclusiveMinimum", out var emin))
        {
            if (emin.ValueKind is JsonValueKind.True or JsonValueKind.False)
                minExclusive = emin.ValueKind == JsonValueKind.True && min is not null;
            else if (Decimal(schema, "exclusiveMinimum", path) is { } e && (min is null || e >= min))
                (min, minExclusive) = (e, true);
        }
        if (schema.TryGetProperty("exclusiveMaximum", out var emax))
        {
            if (emax.ValueKind is JsonValueKind.True or JsonValueKind.False)
                maxExclusive = emax.ValueKind == JsonValueKind.True && max is not null;
            else if (Decimal(schema, "exclusiveMaximum", path) is { } e && (max is null || e <= max))
                (max, maxExclusive) = (e, true);
        }
        return (min, minExclusive, max, maxExclusive);
    }

    private static decimal? Decimal(JsonElement schema, string keyword, string path)
    {
        if (!schema.TryGetProperty(keyword, out var value))
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var d))
            return d;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var big))
            return big < 0 ? -IntegerRange.Limit - 1 : IntegerRange.Limit + 1; // beyond decimal: beyond the 16-digit cap too
        throw new UnsupportedSchemaException(keyword, path, $"{keyword} must be a number, got {value.GetRawText()}");
    }

}
