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
    /// <c>parallel_tool_calls</c> (default true). When false only the first call is returned; the grammar still allows
    /// several, so any after the first are generated and dropped rather than cut mid-call.
    /// </summary>
    public bool ParallelToolCalls { get; init; } = true;

    /// <summary>True when tool calls may be produced (tools given and the choice is not <c>none</c>).</summary>
    public bool UsesTools => Tools.Count > 0 && ToolChoice.Mode != ToolChoiceMode.None;

    public static ChatCompletionRequest Parse(JsonFields body)
    {
        var model = body.RequiredString("model");
        var messages = ChatMessagesReader.Read(body);
        var generation = GenerationFields.Parse(body);
        RefuseLogprobs(body);
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

    // Log probabilities need the sampler's candidate list per token, which the decode loop does not report yet:
    // refusing is better than silently returning none (clients that ask rely on them).
    private static void RefuseLogprobs(JsonFields body)
    {
        var top = body.Integer("top_logprobs", 0, 20);
        if (body.Bool("logprobs") == true)
            throw JsonFields.Unsupported("logprobs", "'logprobs' is not supported by hearth yet; leave it unset or false");
        if (top is > 0)
            throw JsonFields.Unsupported("top_logprobs", "'top_logprobs' is not supported by hearth yet; leave it unset or 0");
    }
}
