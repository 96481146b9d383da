using System.Text.Json.Serialization;

namespace Hearth.Server.OpenAi;

// The chat completion object and its streamed chunk, as https://platform.openai.com/docs/api-reference/chat/object
// and /chat-streaming describe them. Names are written snake_case by OpenAiJsonContext; null members are left out.

internal sealed record ChatCompletion(string Id, long Created, string Model, IReadOnlyList<ChatChoice> Choices, Usage Usage)
{
    public string Object => "chat.completion";
    public string SystemFingerprint => OpenAiIds.SystemFingerprint;
}

/// <param name="Logprobs">Null unless the request asked for <c>logprobs</c>; written as <c>null</c> then, as OpenAI does.</param>
internal sealed record ChatChoice(int Index, ChatReplyMessage Message, string FinishReason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] ChatLogprobs? Logprobs = null);

internal sealed record ChatReplyMessage(string? Content, IReadOnlyList<ToolCallObject>? ToolCalls)
{
    public string Role => "assistant";

    /// <summary>OpenAI sends <c>"content": null</c> beside tool calls; some clients look for the key.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Content { get; init; } = Content;
}

internal sealed record ToolCallObject(string Id, FunctionCall Function)
{
    public string Type => "function";
}

internal sealed record FunctionCall(string Name, string Arguments);

internal sealed record Usage(int PromptTokens, int CompletionTokens)
{
    public int TotalTokens => PromptTokens + CompletionTokens;
}

internal sealed record ChatCompletionChunk(string Id, long Created, string Model, IReadOnlyList<ChunkChoice> Choices, Usage? Usage = null)
{
    public string Object => "chat.completion.chunk";
    public string SystemFingerprint => OpenAiIds.SystemFingerprint;
}

/// <param name="Logprobs">The entries of this chunk's tokens, when the request asked for <c>logprobs</c> and there are some.</param>
internal sealed record ChunkChoice(int Index, ChatDelta Delta, string? FinishReason = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] ChatLogprobs? Logprobs = null)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? FinishReason { get; init; } = FinishReason;
}

internal sealed record ChatDelta(string? Role = null, string? Content = null, IReadOnlyList<ToolCallDelta>? ToolCalls = null);

/// <summary>A streamed piece of a tool call: the first has index, id, type and name; later ones argument fragments.</summary>
internal sealed record ToolCallDelta(int Index, string? Id, string? Type, FunctionDelta Function);

internal sealed record FunctionDelta(string? Name, string? Arguments);

/// <summary>The last event of a stream that failed after it started: <c>data: {"error": {...}}</c>.</summary>
internal sealed record StreamError(ErrorBody Error);

internal sealed record ErrorBody(string Message, string Type, string? Param, string? Code);
