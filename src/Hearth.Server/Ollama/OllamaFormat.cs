using System.Text.Json;
using Hearth.Inference.Grammar;
using Hearth.Server.Errors;

namespace Hearth.Server.Ollama;

/// <summary>
/// Ollama's <c>format</c>: <c>"json"</c> (any JSON object) or a JSON schema, turned into a grammar that constrains
/// sampling, so the reply parses and validates even from a weak model. A schema feature the converter does not support
/// is a 400 naming the keyword (<see cref="UnsupportedSchemaException"/>), never ignored.
/// </summary>
internal static class OllamaFormat
{
    /// <summary>The GBNF grammar for the request's <c>format</c>, or null when it has none.</summary>
    public static string? Grammar(OllamaRequestBody body) => body.Get("format") switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } s when s.GetString() is "" => null,
        { ValueKind: JsonValueKind.String } s when s.GetString() is "json" => JsonSchemaGrammar.AnyJsonObject,
        { ValueKind: JsonValueKind.String } s => throw new ApiException(400, $"invalid format '{s.GetString()}': use \"json\" or a JSON schema object", "format"),
        { ValueKind: JsonValueKind.Object } schema => JsonSchemaGrammar.FromSchema(schema),
        { } other => throw OllamaRequestBody.WrongType("format", "\"json\" or a JSON schema object", other),
    };
}
