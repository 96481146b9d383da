using Hearth.Inference.Tools;

namespace Hearth.Inference.Chat;

/// <summary>
/// One turn of a conversation. An assistant turn may carry the <see cref="ToolCalls"/> it made (its content may then
/// be empty); a <see cref="ChatRole.Tool"/> turn carries one call's result, answering <see cref="ToolCallId"/>.
/// <see cref="ToolPrompting.Prepare"/> turns both into plain text turns that any chat template renders.
/// </summary>
public sealed record ChatMessage(ChatRole Role, string Content)
{
    public static ChatMessage System(string content) => new(ChatRole.System, content);
    public static ChatMessage User(string content) => new(ChatRole.User, content);
    public static ChatMessage Assistant(string content) => new(ChatRole.Assistant, content);

    /// <summary>An assistant turn that called tools, with optional text beside the calls.</summary>
    public static ChatMessage Assistant(IReadOnlyList<ToolCall> toolCalls, string content = "") =>
        new(ChatRole.Assistant, content) { ToolCalls = toolCalls };

    /// <summary>The result of the tool call <paramref name="toolCallId"/>.</summary>
    public static ChatMessage Tool(string toolCallId, string content) => new(ChatRole.Tool, content) { ToolCallId = toolCallId };

    /// <summary>The tool calls an assistant turn made; null for other turns and plain replies.</summary>
    public IReadOnlyList<ToolCall>? ToolCalls { get; init; }

    /// <summary>For a <see cref="ChatRole.Tool"/> turn: the id of the call it answers.</summary>
    public string? ToolCallId { get; init; }

    /// <summary>The role as chat templates spell it (<c>system</c>, <c>user</c>, <c>assistant</c>, <c>tool</c>).</summary>
    public string RoleName => Role switch
    {
        ChatRole.System => "system",
        ChatRole.User => "user",
        ChatRole.Assistant => "assistant",
        ChatRole.Tool => "tool",
        _ => throw new ArgumentOutOfRangeException(nameof(Role), Role, "unknown chat role"),
    };
}
