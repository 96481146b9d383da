using System.Text.Json;
using Hearth.Inference.Tools;
using Hearth.Server.Errors;

namespace Hearth.Server.Ollama;

/// <summary>
/// <c>tools</c> of <c>/api/chat</c>: <c>[{"type": "function", "function": {"name", "description", "parameters": {JSON
/// schema}}}]</c>, as in Ollama's docs/api.md ("Chat request (with tools)"), and Hearth's extension <c>tool_choice</c>
/// (OpenAI's values: <c>"auto"</c> (default), <c>"none"</c>, <c>"required"</c>, or
/// <c>{"type": "function", "function": {"name": …}}</c>), which Ollama lacks: with it a client can insist on a call.
/// </summary>
internal static class OllamaTools
{
    public static IReadOnlyList<ToolDefinition> Parse(OllamaRequestBody body)
    {
        if (body.Get("tools") is not { } tools)
            return [];
        if (tools.ValueKind != JsonValueKind.Array)
            throw OllamaRequestBody.WrongType("tools", "an array", tools);
        var result = new List<ToolDefinition>();
        var i = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var at = $"tools[{i++}]";
            if (tool.ValueKind != JsonValueKind.Object)
                throw OllamaRequestBody.WrongType(at, "an object", tool);
            var fields = OllamaRequestBody.From(tool);
            if (fields.String("type") is { } type && type != "function")
                throw new ApiException(400, $"'{at}.type' must be \"function\", got '{type}'", $"{at}.type");
            if (fields.Get("function") is not { ValueKind: JsonValueKind.Object } function)
                throw new ApiException(400, $"'{at}.function' is required: {{\"name\": …, \"parameters\": {{JSON schema}}}}", $"{at}.function");
            var f = OllamaRequestBody.From(function);
            var name = f.String("name") is { Length: > 0 } n ? n : throw new ApiException(400, $"'{at}.function.name' is required", $"{at}.function.name");
            if (result.Any(t => t.Name == name))
                throw new ApiException(400, $"'{at}.function.name': tool '{name}' is declared twice", $"{at}.function.name");
            var parameters = f.Get("parameters") switch
            {
                null => JsonSerializer.SerializeToElement(new { type = "object", properties = new { } }),
                { ValueKind: JsonValueKind.Object } p => p,
                { } other => throw OllamaRequestBody.WrongType($"{at}.function.parameters", "an object (a JSON schema)", other),
            };
            result.Add(new ToolDefinition(name, f.String("description"), parameters));
        }
        return result;
    }

    public static ToolChoice Choice(OllamaRequestBody body, IReadOnlyList<ToolDefinition> tools)
    {
        var choice = body.Get("tool_choice") switch
        {
            null => ToolChoice.Auto,
            { ValueKind: JsonValueKind.String } s => s.GetString() switch
            {
                "auto" => ToolChoice.Auto,
                "none" => ToolChoice.None,
                "required" => ToolChoice.Required,
                var other => throw new ApiException(400, $"'tool_choice' must be \"auto\", \"none\", \"required\" or {{\"type\": \"function\", \"function\": {{\"name\": …}}}}, got '{other}'", "tool_choice"),
            },
            { ValueKind: JsonValueKind.Object } o when o.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object
                && f.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String => ToolChoice.Function(n.GetString()!),
            { } other => throw OllamaRequestBody.WrongType("tool_choice", "\"auto\", \"none\", \"required\" or {\"type\": \"function\", \"function\": {\"name\": …}}", other),
        };
        if (choice.Mode is ToolChoiceMode.Required or ToolChoiceMode.Function && tools.Count == 0)
            throw new ApiException(400, "'tool_choice' asks for a tool call but 'tools' declares none", "tool_choice");
        if (choice.Mode == ToolChoiceMode.Function && tools.All(t => t.Name != choice.Name))
            throw new ApiException(400, $"'tool_choice' names tool '{choice.Name}', which 'tools' does not declare; declared: {string.Join(", ", tools.Select(t => t.Name))}", "tool_choice");
        return choice;
    }
}
