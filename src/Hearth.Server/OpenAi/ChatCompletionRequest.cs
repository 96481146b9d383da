using Hearth.Inference.Chat;
using Hearth.Inference.Generation;
using Hearth.Inference.Tools;
using Hearth.Server.Errors;

namespace Hearth.Server.OpenAi;

/// <summary>
/// A <c>POST /v1/chat/completions</c> body, checked field by field (https://platform.openai.com/docs/api-reference/chat/create).
/// Hearth extension: <c>truncation</c> — <c>"none"</c> (default: a prompt that does not fit is a 400 with both
/// lengths) or <c>"drop_oldest"</c> (drop the oldest messages after the system prompt until it fits).
/// </summary>
internal sealed record ChatCompletionRequest
{
    public required string Model { get; init; }
    public required IReadOnlyList<ChatMessage> Messages { get; init; }
    public required GenerationFields Generation { get; init; }
    public Truncation Truncation { get; init; }

    /// <summary>GBNF for <c>response_format</c> json_object / json_schema; null for free text.</summary>
    public string? FormatGrammar { get; init; }

    public IReadOnlyList<ToolDefinition> Tools { get; init; } = [];
    public ToolChoice ToolChoice { get; init; } = ToolChoice.None;

    /// <summary>
    /// <c>parallel_tool_calls</c> (default true). When false the tool grammar allows exactly one call.
    /// </summary>
    public bool ParallelToolCalls { get; init; } = true;

    /// <summary>True when tool calls may be produced (tools given and the choice is not <c>none</c>).</summary>
    public bool UsesTools => Tools.Count > 0 && ToolChoice.Mode != ToolChoiceMode.None;

    public static ChatCompletionRequest Parse(JsonFields body)
    {
        var model = body.RequiredString("model");
        var messages = ChatMessagesReader.Read(body);
        var generation = GenerationFields.Parse(body) with { TopLogprobs = ReadLogprobs(body) };
        var tools = ToolFields.ReadTools(body);
        var choice = ToolFields.ReadChoice(body, tools);
        var parallel = body.Bool("parallel_tool_calls") ?? true;
        var grammar = ResponseFormat.ReadGrammar(body);
        if (grammar is not null && tools.Count > 0 && choice.Mode != ToolChoiceMode.None)
            throw new ApiException(400,
                "'response_format' json_object/json_schema cannot be combined with 'tools' unless 'tool_choice' is 'none'; " +
                "a reply is either a tool call or the formatted answer", "response_format", "invalid_request");
        var truncation = body.OneOf("truncation", "none", "drop_oldest") switch
        {
            "drop_oldest" => Truncation.DropOldestMessages,
            _ => Truncation.None,
        };
        return new ChatCompletionRequest
        {
            Model = model,
            Messages = messages,
            Generation = generation,
            Truncation = truncation,
            FormatGrammar = grammar,
            Tools = tools,
            ToolChoice = choice,
            ParallelToolCalls = parallel,
        };
    }

    /// <summary>
    /// <c>logprobs: true</c> turns log probabilities on, <c>top_logprobs</c> (0‥20, default 0) asks for that many
    /// alternatives per token; as in OpenAI's API, <c>top_logprobs</c> without <c>logprobs: true</c> is refused.
    /// </summary>
    private static int? ReadLogprobs(JsonFields body)
    {
        var top = (int?)body.Integer("top_logprobs", 0, 20);
        if (body.Bool("logprobs") == true)
            return top ?? 0;
        if (top is not null)
            throw new ApiException(400, $"'top_logprobs' requires 'logprobs' to be true; got top_logprobs {top} with logprobs " +
                (body.Has("logprobs") ? "false" : "unset"), body.Name("top_logprobs"), "invalid_value");
        return null;
    }
}
