using System.Text.Json;
using Hearth.Inference.Chat;
using Hearth.Inference.Tools;
using Hearth.Server.Errors;

namespace Hearth.Server.Ollama;

/// <summary>
/// <c>messages</c> of <c>/api/chat</c>: <c>{"role": "system"|"user"|"assistant"|"tool", "content": "…"}</c>, assistant
/// messages with <c>tool_calls</c> (<c>{"function": {"name", "arguments": {…}}}</c>), tool results with
/// <c>tool_name</c>. Images are refused (Hearth serves text models) rather than dropped.
/// </summary>
internal static class OllamaMessages
{
    public static IReadOnlyList<ChatMessage> Parse(OllamaRequestBody body)
    {
        if (body.Get("messages") is not { } messages)
            return [];
        if (messages.ValueKind != JsonValueKind.Array)
            throw OllamaRequestBody.WrongType("messages", "an array", messages);
        var result = new List<ChatMessage>();
        var i = 0;
        foreach (var message in messages.EnumerateArray())
            result.Add(ParseOne(message, $"messages[{i++}]"));
        return result;
    }

    private static ChatMessage ParseOne(JsonElement message, string at)
    {
        if (message.ValueKind != JsonValueKind.Object)
            throw OllamaRequestBody.WrongType(at, "an object", message);
        var fields = OllamaRequestBody.From(message);
        var roleText = fields.String("role") ?? throw new ApiException(400, $"'{at}.role' is required", $"{at}.role");
        var role = roleText switch
        {
            "system" => ChatRole.System,
            "user" => ChatRole.User,
            "assistant" => ChatRole.Assistant,
            "tool" => ChatRole.Tool,
            _ => throw new ApiException(400, $"'{at}.role' must be one of system, user, assistant, tool; got '{roleText}'", $"{at}.role"),
        };
        if (fields.Get("images") is { ValueKind: JsonValueKind.Array } images && images.GetArrayLength() > 0)
            throw new ApiException(400, $"'{at}.images': images are not supported, Hearth serves text models", $"{at}.images");
        var content = fields.String("content") ?? "";
        var calls = role == ChatRole.Assistant ? ToolCalls(fields, at) : null;
        return new ChatMessage(role, content)
        {
            ToolCalls = calls,
            ToolCallId = role == ChatRole.Tool ? fields.String("tool_call_id") ?? fields.String("tool_name") : null,
        };
    }

    private static IReadOnlyList<ToolCall>? ToolCalls(OllamaRequestBody fields, string at)
    {
        if (fields.Get("tool_calls") is not { } calls)
            return null;
        if (calls.ValueKind != JsonValueKind.Array)
            throw OllamaRequestBody.WrongType($"{at}.tool_calls", "an array", calls);
        var result = new List<ToolCall>();
        var i = 0;
        foreach (var call in calls.EnumerateArray())
        {
            var where = $"{at}.tool_calls[{i}]";
            if (call.ValueKind != JsonValueKind.Object || !call.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object)
                throw new ApiException(400, $"'{where}' must be {{\"function\": {{\"name\": …, \"arguments\": {{…}}}}}}", where);
            var f = OllamaRequestBody.From(function);
            var name = f.String("name") is { Length: > 0 } n ? n : throw new ApiException(400, $"'{where}.function.name' is required", $"{where}.function.name");
            // Ollama sends arguments as an object; some clients send the JSON text instead.
            var arguments = f.Get("arguments") switch
            {
                null => "{}",
                { ValueKind: JsonValueKind.Object } o => o.GetRawText(),
                { ValueKind: JsonValueKind.String } s => s.GetString()!,
                { } other => throw OllamaRequestBody.WrongType($"{where}.function.arguments", "an object", other),
            };
            var id = OllamaRequestBody.From(call).String("id") ?? $"call_{i}";
            result.Add(new ToolCall(id, name, arguments));
            i++;
        }
        return result;
    }
}
