using System.Text.Encodings.Web;
using System.Text.Json;

namespace Hearth.Inference.Grammar;

/// <summary>
/// Turns one JSON schema (and the local <c>$ref</c>s inside it) into GBNF expressions in a shared rule set. Every
/// expression it returns matches one JSON value followed by bounded whitespace (the <c>space</c> rule). Split by
/// concern: this file dispatches and resolves references, <c>.Objects</c> does objects and arrays, <c>.Scalars</c>
/// strings and numbers.
/// </summary>
internal sealed partial class SchemaConverter(GbnfRules rules, JsonElement root)
{
    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
    {
        "title", "description", "examples", "default", "$schema", "$id", "$comment", "$anchor", "deprecated", "readOnly",
        "writeOnly", "$defs", "definitions",
    };

    // JSON Schema assertions and applicators this converter cannot express; anything else unknown is an annotation.
    private static readonly HashSet<string> Unsupported = new(StringComparer.Ordinal)
    {
        "pattern", "patternProperties", "not", "if", "then", "else", "dependentSchemas", "dependentRequired",
        "dependencies", "propertyNames", "unevaluatedProperties", "unevaluatedItems", "contains", "minContains",
        "maxContains", "minProperties", "maxProperties", "multipleOf", "$dynamicRef", "$dynamicAnchor", "$recursiveRef",
        "$recursiveAnchor", "contentEncoding", "contentMediaType", "contentSchema", "$vocabulary",
    };

    private static readonly JsonSerializerOptions LiteralJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Dictionary<string, string> _refRules = new(StringComparer.Ordinal);

    private string Space => JsonPrimitives.Use(rules, "space");

    /// <summary>An expression for one value valid against <paramref name="schema"/>, found at <paramref name="path"/>.</summary>
    public string Value(JsonElement schema, string path, string hint)
    {
        switch (schema.ValueKind)
        {
            case JsonValueKind.True:
                return JsonPrimitives.Use(rules, "value");
            case JsonValueKind.False:
                throw new UnsupportedSchemaException("false", path, "a false schema accepts no value");
            case JsonValueKind.Object:
                break;
            default:
                throw new UnsupportedSchemaException("schema", path, $"a schema must be an object or a boolean, got {schema.ValueKind}");
        }

        foreach (var keyword in schema.EnumerateObject())
        {
            if (Unsupported.Contains(keyword.Name))
                throw new UnsupportedSchemaException(keyword.Name, path);
            if (keyword.Name == "uniqueItems" && keyword.Value.ValueKind == JsonValueKind.True)
                throw new UnsupportedSchemaException("uniqueItems", path, "uniqueItems: true cannot be enforced by a grammar");
        }

        string expression;
        if (schema.TryGetProperty("$ref", out var reference))
        {
            RequireAlone(schema, path, "$ref");
            expression = Reference(reference, path);
        }
        else
            expression = Core(schema, path, hint);
        if (schema.TryGetProperty("nullable", out var nullable) && nullable.ValueKind == JsonValueKind.True)
            expression = $"({expression} | {JsonPrimitives.Use(rules, "null")})";
        return expression;
    }

    private string Core(JsonElement schema, string path, string hint)
    {
        if (schema.TryGetProperty("const", out var constant))
        {
            RequireAlone(schema, path, "const", "type");
            if (!OfDeclaredType(constant, schema))
                throw new UnsupportedSchemaException("const", path, "the const value is not of the schema's type");
            return Literal(constant);
        }
        if (schema.TryGetProperty("enum", out var values))
        {
            RequireAlone(schema, path, "enum", "type");
            if (values.ValueKind != JsonValueKind.Array || values.GetArrayLength() == 0)
                throw new UnsupportedSchemaException("enum", path, "enum must be a non-empty array");
            // An enum value of another type than 'type' names would fail validation: leave it out.
            var literals = values.EnumerateArray().Where(v => OfDeclaredType(v, schema)).Select(Literal).Distinct().ToList();
            if (literals.Count == 0)
                throw new UnsupportedSchemaException("enum", path, "no enum value is of the schema's type");
            return literals.Count == 1 ? literals[0] : "(" + string.Join(" | ", literals) + ")";
        }
        foreach (var combinator in (ReadOnlySpan<string>)["anyOf", "oneOf"])
            if (schema.TryGetProperty(combinator, out var alternatives))
            {
                RequireAlone(schema, path, combinator);
                var choices = Items(alternatives, path, combinator)
                    .Select((s, i) => Value(s, $"{path}/{combinator}/{i}", $"{hint}-{i}")).Distinct().ToList();
                return choices.Count == 1 ? choices[0] : "(" + string.Join(" | ", choices) + ")";
            }
        if (schema.TryGetProperty("allOf", out var all))
        {
            RequireAlone(schema, path, "allOf");
            return AllOf(Items(all, path, "allOf"), path, hint);
        }

        if (schema.TryGetProperty("type", out var type))
        {
            if (type.ValueKind == JsonValueKind.String)
                return Typed(type.GetString()!, schema, path, hint);
            if (type.ValueKind == JsonValueKind.Array && type.GetArrayLength() > 0)
            {
                var typed = type.EnumerateArray().Select(t => t.ValueKind == JsonValueKind.String
                    ? Typed(t.GetString()!, schema, path, hint)
                    : throw new UnsupportedSchemaException("type", path, "type names must be strings")).Distinct().ToList();
                return typed.Count == 1 ? typed[0] : "(" + string.Join(" | ", typed) + ")";
            }
            throw new UnsupportedSchemaException("type", path, "type must be a type name or a non-empty list of them");
        }

        // No type: infer it from the keywords present, as validators apply each keyword only to its own type.
        if (Has(schema, "properties", "additionalProperties", "required"))
            return Typed("object", schema, path, hint);
        if (Has(schema, "items", "prefixItems", "minItems", "maxItems"))
            return Typed("array", schema, path, hint);
        if (Has(schema, "minLength", "maxLength", "format"))
            return Typed("string", schema, path, hint);
        if (Has(schema, "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"))
            return Typed("number", schema, path, hint);
        return JsonPrimitives.Use(rules, "value");
    }

    private string Typed(string type, JsonElement schema, string path, string hint) => type switch
    {
        "string" => String(schema, path, hint),
        "integer" => Integer(schema, path, hint),
        "number" => Number(schema, path, hint),
        "boolean" => JsonPrimitives.Use(rules, "boolean"),
        "null" => JsonPrimitives.Use(rules, "null"),
        "object" => Object(schema, path, hint),
        "array" => Array(schema, path, hint),
        _ => throw new UnsupportedSchemaException("type", path, $"unknown type '{type}'"),
    };

    private string Reference(JsonElement reference, string path)
    {
        var target = reference.ValueKind == JsonValueKind.String ? reference.GetString()! : "";
        if (_refRules.TryGetValue(target, out var known))
            return known;
        if (target != "#" && !target.StartsWith("#/", StringComparison.Ordinal))
            throw new UnsupportedSchemaException("$ref", path, $"only local references such as '#/$defs/name' are supported, got '{target}'");

        var node = root;
        foreach (var raw in target.Length == 1 ? [] : target[2..].Split('/'))
        {
            var token = Uri.UnescapeDataString(raw).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (node.ValueKind == JsonValueKind.Object && node.TryGetProperty(token, out var child))
                node = child;
            else if (node.ValueKind == JsonValueKind.Array && int.TryParse(token, out var index) && index >= 0 && index < node.GetArrayLength())
                node = node[index];
            else
                throw new UnsupportedSchemaException("$ref", path, $"reference '{target}' points to nothing in this schema");
        }

        // Named before it is converted, so a schema that refers to itself (a tree) becomes a recursive rule.
        var name = rules.Reserve(target == "#" ? "root-value" : target[(target.LastIndexOf('/') + 1)..]);
        _refRules[target] = name;
        rules.Define(name, Value(node, target, name));
        return name;
    }

    private string AllOf(IReadOnlyList<JsonElement> parts, string path, string hint)
    {
        if (parts.Count == 1)
            return Value(parts[0], path + "/allOf/0", hint);
        // Several parts: only objects merge exactly (their properties and required lists add up).
        var merged = new List<JsonElement>();
        for (var i = 0; i < parts.Count; i++)
        {
            var part = Resolve(parts[i], $"{path}/allOf/{i}");
            var at = $"{path}/allOf/{i}";
            if (part.ValueKind != JsonValueKind.Object || !Has(part, "properties", "required") ||
                part.EnumerateObject().Any(p => !Annotations.Contains(p.Name) && p.Name is not ("properties" or "required" or "type")) ||
                (part.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() != "object"))
                throw new UnsupportedSchemaException("allOf", at, "allOf is supported for object schemas with properties/required only");
            merged.Add(part);
        }
        return MergedObject(merged, path, hint);
    }

    private JsonElement Resolve(JsonElement schema, string path)
    {
        for (var depth = 0; schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var r); depth++)
        {
            var target = r.GetString() ?? "";
            if (depth > 32 || !target.StartsWith("#/", StringComparison.Ordinal))
                throw new UnsupportedSchemaException("$ref", path, $"cannot resolve '{target}' here");
            var node = root;
            foreach (var raw in target[2..].Split('/'))
                node = node.ValueKind == JsonValueKind.Object && node.TryGetProperty(raw.Replace("~1", "/").Replace("~0", "~"), out var c)
                    ? c : throw new UnsupportedSchemaException("$ref", path, $"reference '{target}' points to nothing in this schema");
            schema = node;
        }
        return schema;
    }

    /// <summary>Throws when <paramref name="keyword"/> shares its schema with constraints other than annotations (and <paramref name="allowed"/>).</summary>
    private static void RequireAlone(JsonElement schema, string path, string keyword, string? allowed = null)
    {
        foreach (var p in schema.EnumerateObject())
            if (p.Name != keyword && p.Name != allowed && p.Name != "nullable" && !Annotations.Contains(p.Name) && IsKnownKeyword(p.Name))
                throw new UnsupportedSchemaException(p.Name, path, $"'{p.Name}' alongside '{keyword}' is not supported");
    }

    private static bool IsKnownKeyword(string name) => name is "type" or "properties" or "required" or "additionalProperties" or
        "items" or "prefixItems" or "additionalItems" or "minItems" or "maxItems" or "enum" or "const" or "minLength" or
        "maxLength" or "format" or "minimum" or "maximum" or "exclusiveMinimum" or "exclusiveMaximum" or "anyOf" or
        "oneOf" or "allOf" or "$ref";

    private static bool OfDeclaredType(JsonElement value, JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
            return true;
        var names = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()).ToList() : [type.GetString()];
        if (schema.TryGetProperty("nullable", out var n) && n.ValueKind == JsonValueKind.True)
            names.Add("null");
        return names.Any(name => name switch
        {
            "string" => value.ValueKind == JsonValueKind.String,
            "number" => value.ValueKind == JsonValueKind.Number,
            "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var d) && d == decimal.Truncate(d),
            "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "null" => value.ValueKind == JsonValueKind.Null,
            "object" => value.ValueKind == JsonValueKind.Object,
            "array" => value.ValueKind == JsonValueKind.Array,
            _ => false,
        });
    }

    private static IReadOnlyList<JsonElement> Items(JsonElement list, string path, string keyword) =>
        list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0
            ? list.EnumerateArray().ToList()
            : throw new UnsupportedSchemaException(keyword, path, $"{keyword} must be a non-empty array of schemas");

    private static bool Has(JsonElement schema, params ReadOnlySpan<string> keywords)
    {
        foreach (var k in keywords)
            if (schema.TryGetProperty(k, out _))
                return true;
        return false;
    }

    /// <summary>The exact JSON text of <paramref name="value"/> (compact), then whitespace.</summary>
    private string Literal(JsonElement value) => GbnfRules.Literal(JsonSerializer.Serialize(value, LiteralJson)) + " " + Space;
}
