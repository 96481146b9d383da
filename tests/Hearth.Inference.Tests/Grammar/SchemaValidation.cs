using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Hearth.Inference.Tests.Grammar;

/// <summary>
/// Checks JSON text against a schema with an independent validator (JsonSchema.Net), formats asserted. OpenAPI's
/// <c>nullable: true</c>, which JSON Schema does not know, is rewritten first into the JSON Schema it means.
/// </summary>
internal static class SchemaValidation
{
    private static JsonNode? WithoutNullable(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var (key, value) in o)
                    if (key != "nullable")
                        copy[key] = WithoutNullable(value);
                return o["nullable"]?.GetValueKind() == JsonValueKind.True
                    ? new JsonObject { ["anyOf"] = new JsonArray(copy, new JsonObject { ["type"] = "null" }) }
                    : copy;
            case JsonArray a:
                return new JsonArray(a.Select(WithoutNullable).ToArray());
            default:
                return node?.DeepClone();
        }
    }

    public static void AssertValid(string schema, string json, string context)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException ex)
        {
            Assert.Fail($"{context}: reply is not JSON ({ex.Message})\nschema: {schema}\nreply: {json}");
            return;
        }
        var result = JsonSchema.FromText(WithoutNullable(JsonNode.Parse(schema))!.ToJsonString()).Evaluate(node, new EvaluationOptions
        {
            RequireFormatValidation = true,
            OutputFormat = OutputFormat.List,
        });
        if (!result.IsValid)
        {
            var errors = string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null)
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));
            Assert.Fail($"{context}: reply does not validate: {errors}\nschema: {schema}\nreply: {json}");
        }
    }
}
