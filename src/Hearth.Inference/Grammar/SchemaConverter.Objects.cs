using System.Text;
using System.Text.Json;

namespace Hearth.Inference.Grammar;

internal sealed partial class SchemaConverter
{
    private sealed record Property(string Name, JsonElement Schema, string Path);

    private string Object(JsonElement schema, string path, string hint)
    {
        var properties = new List<Property>();
        if (schema.TryGetProperty("properties", out var declared))
        {
            if (declared.ValueKind != JsonValueKind.Object)
                throw new UnsupportedSchemaException("properties", path, "properties must be an object");
            foreach (var p in declared.EnumerateObject())
                properties.Add(new Property(p.Name, p.Value, $"{path}/properties/{Pointer(p.Name)}"));
        }
        JsonElement? additional = schema.TryGetProperty("additionalProperties", out var a) ? a : null;
        return ObjectRule(properties, Required(schema, path), additional, path, hint);
    }

    private string MergedObject(IReadOnlyList<JsonElement> parts, string path, string hint)
    {
        var properties = new List<Property>();
        var required = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < parts.Count; i++)
        {
            if (parts[i].TryGetProperty("properties", out var declared))
                foreach (var p in declared.EnumerateObject())
                {
                    if (properties.Any(q => q.Name == p.Name))
                        throw new UnsupportedSchemaException("allOf", path, $"property '{p.Name}' is declared by more than one allOf part");
                    properties.Add(new Property(p.Name, p.Value, $"{path}/allOf/{i}/properties/{Pointer(p.Name)}"));
                }
            required.UnionWith(Required(parts[i], $"{path}/allOf/{i}"));
        }
        return ObjectRule(properties, required, null, path, hint);
    }

    /// <summary>
    /// <c>{</c> properties in declared order <c>}</c>: required ones always, optional ones possibly not, commas only between
    /// members. <paramref name="additional"/> absent or false: no other members (absent allows them, but leaving them
    /// out is still valid); true or a schema: any number of other members after the declared ones.
    /// </summary>
    private string ObjectRule(List<Property> properties, IReadOnlySet<string> required, JsonElement? additional, string path, string hint)
    {
        var open = additional is { ValueKind: JsonValueKind.True or JsonValueKind.Object };
        foreach (var name in required)
            if (properties.All(p => p.Name != name))
            {
                // Required but not declared: it still has to be there, valued as additionalProperties allows.
                if (additional is { ValueKind: JsonValueKind.False })
                    throw new UnsupportedSchemaException("required", path, $"'{name}' is required but not declared, and additionalProperties is false");
                properties.Add(new Property(name, additional is { ValueKind: JsonValueKind.Object } s ? s : default, $"{path}/additionalProperties"));
            }

        var space = Space;
        var members = properties.Select(p =>
        {
            var value = p.Schema.ValueKind == JsonValueKind.Undefined
                ? JsonPrimitives.Use(rules, "value")
                : Value(p.Schema, p.Path, $"{hint}-{p.Name}");
            var key = GbnfRules.Literal(JsonSerializer.Serialize(p.Name, LiteralJson));
            return (Rule: rules.Add($"{hint}-{p.Name}-kv", $"{key} {space} \":\" {space} {value}"), Required: required.Contains(p.Name));
        }).ToList();

        string? extra = null;
        if (open)
        {
            var value = additional!.Value.ValueKind == JsonValueKind.Object
                ? Value(additional.Value, path + "/additionalProperties", $"{hint}-additional")
                : JsonPrimitives.Use(rules, "value");
            extra = rules.Add($"{hint}-additional-kv", $"{KeyOtherThan(properties.Select(p => p.Name), hint)} \":\" {space} {value}");
        }

        // After(i): members i.. when one is already written, so each is preceded by a comma.
        string After(int i)
        {
            var text = new StringBuilder();
            for (var j = i; j < members.Count; j++)
                text.Append(members[j].Required ? $" \",\" {space} {members[j].Rule}" : $" (\",\" {space} {members[j].Rule})?");
            if (extra is not null)
                text.Append($" (\",\" {space} {extra})*");
            return text.ToString();
        }

        // First(i): members i.. when none is written yet; the first one written has no comma.
        string First(int i)
        {
            if (i == members.Count)
                return extra is null ? "" : $"({extra} (\",\" {space} {extra})*)?";
            var (rule, isRequired) = members[i];
            if (isRequired)
                return rule + After(i + 1);
            var rest = First(i + 1);
            return rest.Length == 0 ? $"({rule}{After(i + 1)})?" : $"({rule}{After(i + 1)} | {rules.Add($"{hint}-from-{i + 1}", rest)})";
        }

        var body = First(0);
        return rules.Add(hint, $"\"{{\" {space} {body}{(body.Length > 0 ? " " : "")}\"}}\" {space}");
    }

    /// <summary>
    /// A JSON string (and whitespace) of at most <see cref="MaxKeyLength"/> characters that is none of <paramref name="names"/>, so an additional member never repeats a
    /// declared key: a walk down the trie of the names, where leaving it (a character no name continues with) frees the
    /// rest. Escapes are allowed only after leaving the trie, since an escape such as <c>\u0061</c> could spell a name.
    /// </summary>
    private string KeyOtherThan(IEnumerable<string> names, string hint)
    {
        var trie = new TrieNode();
        foreach (var name in names)
        {
            if (name.Any(c => c is '"' or '\\' || char.IsControl(c)))
                continue; // cannot be written without an escape, so never reached
            var node = trie;
            foreach (var rune in name.EnumerateRunes())
                node = node.Children.TryGetValue(rune, out var next) ? next : node.Children[rune] = new TrieNode();
            node.IsName = true;
        }
        var chars = JsonPrimitives.Use(rules, "char");
        var counter = 0;
        string Node(TrieNode node)
        {
            var alternatives = new List<string>();
            if (!node.IsName)
                alternatives.Add("\"\\\"\"");
            foreach (var (rune, child) in node.Children)
                alternatives.Add($"{GbnfRules.Literal(rune.ToString())} {Node(child)}");
            var excluded = new StringBuilder("\"\\\\\\x00-\\x1F\\x7F");
            var dash = false;
            foreach (var rune in node.Children.Keys)
                if (rune.Value == '-')
                    dash = true;
                else
                    excluded.Append(rune.IsBmp ? GbnfRules.ClassChar((char)rune.Value) : $"\\U{rune.Value:X8}");
            alternatives.Add($"[^{excluded}{(dash ? "-" : "")}] {chars}{{0,{MaxKeyLength - 1}}} \"\\\"\"");
            return rules.Add($"{hint}-key-{counter++}", string.Join(" | ", alternatives));
        }
        return $"\"\\\"\" {Node(trie)} {Space}";
    }

    // Additional keys are capped (a valid subset of what the schema allows) so that a model cannot spend its whole
    // budget on one key: names in real objects are short.
    private const int MaxKeyLength = 64;

    private sealed class TrieNode
    {
        public Dictionary<Rune, TrieNode> Children { get; } = new();
        public bool IsName { get; set; }
    }

    private string Array(JsonElement schema, string path, string hint)
    {
        var min = Count(schema, "minItems", path) ?? 0;
        var max = Count(schema, "maxItems", path);
        if (max < min)
            throw new UnsupportedSchemaException("maxItems", path, $"maxItems {max} is less than minItems {min}");

        List<JsonElement> prefix = [];
        JsonElement? rest;
        string restPath;
        if (schema.TryGetProperty("prefixItems", out var p))
        {
            prefix = Items(p, path, "prefixItems").ToList();
            rest = schema.TryGetProperty("items", out var i) ? i : null;
            restPath = path + "/items";
        }
        else if (schema.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            prefix = Items(items, path, "items").ToList(); // draft 4–2019 tuple form
            rest = schema.TryGetProperty("additionalItems", out var ai) ? ai : null;
            restPath = path + "/additionalItems";
        }
        else
        {
            rest = schema.TryGetProperty("items", out var i) ? i : JsonDocument.Parse("true").RootElement;
            restPath = path + "/items";
        }

        var space = Space;
        var taken = Math.Min(prefix.Count, max ?? int.MaxValue);
        var parts = prefix.Take(taken).Select((s, i) => Value(s, $"{path}/prefixItems/{i}", $"{hint}-{i}")).ToList();
        var restMin = Math.Max(0, min - taken);
        var restMax = max - taken;
        // Items beyond the prefix: left out when the schema forbids them, or when it is silent and none are needed.
        if (rest is { ValueKind: JsonValueKind.False } || (rest is null && restMin == 0))
        {
            if (restMin > 0)
                throw new UnsupportedSchemaException("minItems", path, $"minItems {min} needs more items than the {prefix.Count} allowed");
            restMax = 0;
        }
        var item = restMax == 0 ? "" : rest is null or { ValueKind: JsonValueKind.True }
            ? JsonPrimitives.Use(rules, "value")
            : Value(rest.Value, restPath, $"{hint}-item");

        // Items after the first are written as a repetition of ", item"; the rest are counted in `written`.
        var lower = new Bound("minItems", min);
        Bound? upper = max is { } m ? new Bound("maxItems", m) : null;
        string Next(int from, int? to, int written) =>
            BoundedRepeat($"\",\" {space} {item}", from, to, lower, upper, written, path, $"{hint}-items");
        string body;
        if (parts.Count == 0)
        {
            if (restMax == 0)
                body = "";
            else if (restMin == 0)
                body = $"({item} {Next(0, restMax - 1, 1)})?";
            else
                body = $"{item} {Next(restMin - 1, restMax - 1, 1)}";
        }
        else
        {
            body = string.Join($" \",\" {space} ", parts);
            if (restMax != 0)
                body += " " + Next(restMin, restMax, taken);
        }
        return rules.Add(hint, $"\"[\" {space} {body.Trim()}{(body.Trim().Length > 0 ? " " : "")}\"]\" {space}");
    }

    private static IReadOnlySet<string> Required(JsonElement schema, string path)
    {
        if (!schema.TryGetProperty("required", out var required))
            return new HashSet<string>();
        if (required.ValueKind != JsonValueKind.Array || required.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.String))
            throw new UnsupportedSchemaException("required", path, "required must be an array of property names");
        return required.EnumerateArray().Select(r => r.GetString()!).ToHashSet(StringComparer.Ordinal);
    }

    private static int? Count(JsonElement schema, string keyword, string path)
    {
        if (!schema.TryGetProperty(keyword, out var value))
            return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var d) || d < 0 || d != decimal.Truncate(d) || d > 100_000)
            throw new UnsupportedSchemaException(keyword, path, $"{keyword} must be a whole number from 0 to 100000");
        return (int)d;
    }

    private static string Pointer(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
