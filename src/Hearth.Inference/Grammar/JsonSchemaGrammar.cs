using System.Text.Json;

namespace Hearth.Inference.Grammar;

/// <summary>
/// JSON Schema → GBNF, the grammar language of llama.cpp's grammar sampler (<c>grammars/README.md</c>), so that a
/// reply sampled under the grammar is JSON that validates against the schema — whatever the model's weights.
/// Supported: <c>type</c> (also as a list, and OpenAPI's <c>nullable</c>), objects (<c>properties</c> in declared order,
/// <c>required</c>, <c>additionalProperties</c>), arrays (<c>items</c>, <c>prefixItems</c>, <c>minItems</c>/<c>maxItems</c>),
/// <c>enum</c>, <c>const</c>, strings (<c>minLength</c>/<c>maxLength</c>; <c>format</c> date, time, date-time, uuid, email),
/// integers and numbers with (exclusive) minimum/maximum, <c>anyOf</c>/<c>oneOf</c>, <c>allOf</c> of objects, and local
/// <c>$ref</c>s (<c>#/$defs/…</c>, <c>#/definitions/…</c>, recursion included). Keywords that constrain values in ways
/// a grammar here cannot (<c>pattern</c>, <c>not</c>, <c>if</c>, <c>uniqueItems: true</c>, remote <c>$ref</c>, …) raise
/// <see cref="UnsupportedSchemaException"/> rather than being ignored. Keywords JSON Schema itself treats as
/// annotations (<c>title</c>, <c>description</c>, <c>default</c>, <c>examples</c>, unknown <c>x-…</c> keys) are ignored.
/// </summary>
/// <remarks>
/// Where a schema allows more than one shape the grammar may allow fewer, never more: an object without
/// <c>additionalProperties</c> gets only its declared properties, and <c>prefixItems</c> are all emitted. <c>oneOf</c> is
/// treated as <c>anyOf</c>, which is exact when its alternatives do not overlap (as in tagged unions). Counts are
/// enforced up to what llama.cpp's grammar parser takes (<c>MAX_REPETITION_THRESHOLD</c>): <c>minItems</c>/<c>maxItems</c>
/// up to 2000, <c>minLength</c>/<c>maxLength</c> up to 1999; a larger bound is an <see cref="UnsupportedSchemaException"/>
/// naming it, not a loosened grammar.
/// </remarks>
public static class JsonSchemaGrammar
{
    private static readonly Lazy<string> AnyObject = new(() =>
    {
        var rules = JsonPrimitives.NewRuleSet();
        rules.Define("root", JsonPrimitives.Use(rules, "object"));
        return rules.Write();
    });

    /// <summary>GBNF (root rule <c>root</c>) for JSON values valid against <paramref name="schema"/>.</summary>
    /// <exception cref="UnsupportedSchemaException">The schema uses a keyword the converter does not support.</exception>
    public static string FromSchema(JsonElement schema)
    {
        var rules = JsonPrimitives.NewRuleSet();
        rules.Define("root", new SchemaConverter(rules, schema).Value(schema, "#", "root"));
        return rules.Write();
    }

    /// <summary>GBNF for any JSON object: OpenAI's <c>response_format: json_object</c>, Ollama's <c>format: "json"</c>.</summary>
    public static string AnyJsonObject => AnyObject.Value;
}
