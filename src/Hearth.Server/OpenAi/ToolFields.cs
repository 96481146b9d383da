using System.Text.Json;
using Hearth.Inference.Tools;
using Hearth.Server.Errors;

namespace Hearth.Server.OpenAi;

/// <summary>
/// Reads <c>tools</c> (function tools only) and <c>tool_choice</c> (<c>"none"</c>, <c>"auto"</c>, <c>"required"</c>,
/// or <c>{"type": "function", "function": {"name": …}}</c>). Each tool's <c>parameters</c> schema is compiled to a
/// grammar here, so a schema Hearth cannot enforce is a 400 naming the tool and the keyword, before any model loads.
/// </summary>
internal static class ToolFields
{
    private static readonly JsonElement EmptyObjectSchema = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();

    public static IReadOnlyList<ToolDefinition> ReadTools(JsonFields body)
    {
        var tools = new List<ToolDefinition>();
        foreach (var (item, path) in body.Array("tools"))
        {
            var tool = new JsonFields(item, path);
            var type = tool.RequiredString("type");
            if (type != "function")
                throw JsonFields.Unsupported(tool.Name("type"), $"tool type '{type}' at '{path}' is not supported; only 'function' is");
            var function = tool.Object("function")
                ?? throw new ApiException(400, $"'{tool.Name("function")}' is required", tool.Name("function"), "missing_field");
            var name = function.RequiredString("name");
            if (tools.Any(t => t.Name == name))
                throw new ApiException(400, $"tool '{name}' is declared twice ('{function.Name("name")}')", function.Name("name"), "duplicate_tool");
            var parameters = function.Value("parameters") ?? EmptyObjectSchema;
            if (parameters.ValueKind != JsonValueKind.Object)
                throw JsonFields.Invalid(function.Name("parameters"), "a JSON schema object", parameters);
            function.Bool("strict");
            ResponseFormat.CompileSchema(parameters, function.Name("parameters"));
            tools.Add(new ToolDefinition(name, function.String("description"), parameters));
        }
        return tools;
    }

    public static ToolChoice ReadChoice(JsonFields body, IReadOnlyList<ToolDefinition> tools)
    {
        const string field = "tool_choice";
        var choice = body.Value(field) switch
        {
            null => tools.Count > 0 ? ToolChoice.Auto : ToolChoice.None,
            { ValueKind: JsonValueKind.String } s => s.GetString() switch
            {
                "none" => ToolChoice.None,
                "auto" => ToolChoice.Auto,
                "required" => ToolChoice.Required,
                var other => throw new ApiException(400, $"'{field}' must be 'none', 'auto', 'required' or a function, got '{other}'", field, "invalid_value"),
            },
            { ValueKind: JsonValueKind.Object } => Function(body.Object(field)!.Value, tools),
            var other => throw JsonFields.Invalid(field, "a string or an object", other.Value),
        };
        if (choice.Mode is ToolChoiceMode.Required or ToolChoiceMode.Function && tools.Count == 0)
            throw new ApiException(400, $"'{field}' asks for a tool call but no 'tools' were given", field, "invalid_value");
        return choice;
    }

    private static ToolChoice Function(JsonFields choice, IReadOnlyList<ToolDefinition> tools)
    {
        var type = choice.RequiredString("type");
        if (type != "function")
            throw JsonFields.Unsupported(choice.Name("type"), $"tool choice type '{type}' is not supported; only 'function' is");
        var function = choice.Object("function")
            ?? throw new ApiException(400, $"'{choice.Name("function")}' is required", choice.Name("function"), "missing_field");
        var name = function.RequiredString("name");
        if (tools.All(t => t.Name != name))
            throw new ApiException(400, $"'{function.Name("name")}' names tool '{name}', which is not among 'tools'", function.Name("name"), "unknown_tool");
        return ToolChoice.Function(name);
    }
}
