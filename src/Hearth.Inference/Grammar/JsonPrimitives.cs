namespace Hearth.Inference.Grammar;

/// <summary>
/// The GBNF rules every JSON grammar shares: values, strings, numbers and bounded whitespace. Written for Hearth after
/// the rules in llama.cpp's <c>common/json-schema-to-grammar.cpp</c> and RFC 8259, with three deliberate limits so
/// that a constrained reply always parses and always ends: whitespace between tokens is at most one newline plus 20
/// spaces/tabs (an unbounded <c>space*</c> lets a model loop on blanks forever), integers have at most 16 digits and
/// exponents at most 2, and <c>\u</c> escapes cannot name a lone UTF-16 surrogate (most JSON parsers, .NET's included,
/// reject those).
/// </summary>
internal static class JsonPrimitives
{
    private static readonly Dictionary<string, (string Body, string[] Uses)> Table = new(StringComparer.Ordinal)
    {
        ["space"] = ("| \" \" | \"\\n\" [ \\t]{0,20}", []),
        ["value"] = ("object | array | string | number | boolean | null", ["object", "array", "string", "number", "boolean", "null"]),
        ["object"] = ("\"{\" space ( string \":\" space value (\",\" space string \":\" space value)* )? \"}\" space", ["space", "string", "value"]),
        ["array"] = ("\"[\" space ( value (\",\" space value)* )? \"]\" space", ["space", "value"]),
        ["string"] = ("\"\\\"\" char* \"\\\"\" space", ["char", "space"]),
        ["char"] = ("[^\"\\\\\\x7F\\x00-\\x1F] | [\\\\] ([\"\\\\/bfnrt] | \"u\" ([0-9a-cA-CefEF] [0-9a-fA-F]{3} | [dD] [0-7] [0-9a-fA-F]{2}))", []),
        ["number"] = ("\"-\"? integral-part (\".\" [0-9]{1,16})? ([eE] [-+]? [0-9]{1,2})? space", ["integral-part", "space"]),
        ["integer"] = ("\"-\"? integral-part space", ["integral-part", "space"]),
        ["integral-part"] = ("[0] | [1-9] [0-9]{0,15}", []),
        ["boolean"] = ("(\"true\" | \"false\") space", ["space"]),
        ["null"] = ("\"null\" space", ["space"]),
    };

    /// <summary>The names, reserved in every JSON grammar so that schema-derived rule names never take them.</summary>
    public static IEnumerable<string> Names => Table.Keys;

    /// <summary>A rule set with <c>root</c> and the primitive names reserved.</summary>
    public static GbnfRules NewRuleSet()
    {
        var rules = new GbnfRules();
        rules.Reserve("root");
        foreach (var name in Table.Keys)
            rules.Reserve(name);
        return rules;
    }

    /// <summary>Defines primitive <paramref name="name"/> (and what it uses) in <paramref name="rules"/>; returns the name.</summary>
    public static string Use(GbnfRules rules, string name)
    {
        if (rules.IsDefined(name))
            return name;
        var (body, uses) = Table[name];
        rules.Define(name, body);
        foreach (var used in uses)
            Use(rules, used);
        return name;
    }
}
