using System.Text.Json;
using Hearth.Inference.Grammar;
using Hearth.Server.Errors;

namespace Hearth.Server.OpenAi;

/// <summary>
/// <c>response_format</c>: <c>text</c> (free), <c>json_object</c> (any JSON object) or <c>json_schema</c> (a reply that
/// validates against the schema). JSON formats are enforced with a grammar whether or not <c>strict</c> is set, so the
/// reply always parses; a schema keyword the grammar cannot enforce is a 400 naming it, never silently ignored.
/// </summary>
internal static class ResponseFormat
{
    /// <summary>The GBNF grammar the reply must follow; null for free text.</summary>
    public static string? ReadGrammar(JsonFields body)
    {
        if (body.Object("response_format") is not { } format)
            return null;
        var type = format.OneOf("type", "text", "json_object", "json_schema")
            ?? throw new ApiException(400, $"'{format.Name("type")}' is required", format.Name("type"), "missing_field");
        switch (type)
        {
            case "json_object":
                return JsonSchemaGrammar.AnyJsonObject;
            case "json_schema":
                var spec = format.Object("json_schema")
                    ?? throw new ApiException(400, $"'{format.Name("json_schema")}' is required for type 'json_schema'", format.Name("json_schema"), "missing_field");
                spec.String("name");
                spec.Bool("strict");
                var schema = spec.Value("schema")
                    ?? throw new ApiException(400, $"'{spec.Name("schema")}' is required", spec.Name("schema"), "missing_field");
                if (schema.ValueKind is not (JsonValueKind.Object or JsonValueKind.True))
                    throw JsonFields.Invalid(spec.Name("schema"), "a JSON schema object", schema);
                return CompileSchema(schema, spec.Name("schema"));
            default:
                return null;
        }
    }

    /// <summary>The schema as a grammar; a schema the grammar cannot enforce is a 400 saying where and why.</summary>
    public static string CompileSchema(JsonElement schema, string path)
    {
        try
        {
            return JsonSchemaGrammar.FromSchema(schema);
        }
        catch (UnsupportedSchemaException ex)
        {
            throw new ApiException(400, $"'{path}': {ex.Message}", path, "unsupported_schema");
        }
        catch (ArgumentException ex)
        {
            throw new ApiException(400, $"'{path}' is not a valid JSON schema: {ex.Message}", path, "invalid_schema");
        }
    }
}
