using System.Text;
using System.Text.Json;
using Hearth.Inference.Chat;
using Hearth.Inference.Tools;
using Hearth.Server.Errors;

namespace Hearth.Server.OpenAi;

/// <summary>
/// Reads OpenAI chat messages: <c>system</c> (and its newer name <c>developer</c>), <c>user</c>, <c>assistant</c>
/// (with optional <c>tool_calls</c>) and <c>tool</c> (with <c>tool_call_id</c>). Content is a string or an array of
/// <c>{"type": "text"}</c> parts; other part types (images, audio, files) are refused by name, since no model Hearth
/// serves can see them.
/// </summary>
internal static class ChatMessagesReader
{
    public static IReadOnlyList<ChatMessage> Read(JsonFields body)
    {
        if (!body.Has("messages"))
            throw new ApiException(400, "'messages' is required", "messages", "missing_field");
        var messages = body.Array("messages").Select(m => ReadMessage(new JsonFields(m.Item, m.Path))).ToList();
        if (messages.Count == 0)
            throw new ApiException(400, "'messages' must contain at least one message", "messages", "invalid_value");
        return messages;
    }

    private static ChatMessage ReadMessage(JsonFields message)
    {
        var role = message.String("role") ?? throw new ApiException(400, $"'{message.Name("role")}' is required", message.Name("role"), "missing_field");
        switch (role)
        {
            case "system" or "developer":
                return ChatMessage.System(Content(message, required: true)!);
            case "user":
                return ChatMessage.User(Content(message, required: true)!);
            case "assistant":
                var calls = message.Array("tool_calls").Select(c => ReadToolCall(new JsonFields(c.Item, c.Path))).ToArray();
                var content = Content(message, required: calls.Length == 0) ?? "";
                return calls.Length > 0 ? ChatMessage.Assistant(calls, content) : ChatMessage.Assistant(content);
            case "tool":
                var id = message.String("tool_call_id")
                    ?? throw new ApiException(400, $"'{message.Name("tool_call_id")}' is required in a tool message", message.Name("tool_call_id"), "missing_field");
                return ChatMessage.Tool(id, Content(message, required: true)!);
            default:
                throw new ApiException(400,
                    $"'{message.Name("role")}' must be one of 'system', 'developer', 'user', 'assistant', 'tool', got '{role}'",
                    message.Name("role"), "invalid_value");
        }
    }

    private static string? Content(JsonFields message, bool required)
    {
        var name = message.Name("content");
        switch (message.Value("content"))
        {
            case null when required:
                throw new ApiException(400, $"'{name}' is required", name, "missing_field");
            case null:
                return null;
            case { ValueKind: JsonValueKind.String } text:
                return text.GetString();
            case { ValueKind: JsonValueKind.Array }:
                var joined = new StringBuilder();
                foreach (var (item, path) in message.Array("content"))
                {
                    var part = new JsonFields(item, path);
                    var type = part.RequiredString("type");
                    if (type != "text")
                        throw JsonFields.Unsupported(part.Name("type"),
                            $"content part type '{type}' at '{path}' is not supported; only 'text' parts are");
                    joined.Append(part.RequiredString("text"));
                }
                return joined.ToString();
            case var other:
                throw JsonFields.Invalid(name, "a string or an array of content parts", other.Value);
        }
    }

    private static ToolCall ReadToolCall(JsonFields call)
    {
        var type = call.String("type") ?? "function";
        if (type != "function")
            throw JsonFields.Unsupported(call.Name("type"), $"tool call type '{type}' is not supported; only 'function' is");
        var function = call.Object("function")
            ?? throw new ApiException(400, $"'{call.Name("function")}' is required", call.Name("function"), "missing_field");
        // Arguments are JSON text in OpenAI's API; some clients send the object itself, which is as clear.
        var arguments = function.Value("arguments") switch
        {
            null => "{}",
            { ValueKind: JsonValueKind.String } s => s.GetString()!,
            { ValueKind: JsonValueKind.Object } o => o.GetRawText(),
            var other => throw JsonFields.Invalid(function.Name("arguments"), "a string of JSON", other.Value),
        };
        return new ToolCall(call.String("id") ?? "", function.RequiredString("name"), arguments);
    }
}
