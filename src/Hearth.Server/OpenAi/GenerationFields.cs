using System.Text.Json;
using Hearth.Inference.Sampling;
using Hearth.Server.Errors;

namespace Hearth.Server.OpenAi;

/// <summary>
/// The sampling and streaming fields chat completions and completions share. Unset fields keep the model's defaults
/// (its manifest's parameters, then Ollama's defaults), so a model tuned with <c>hearth create</c> behaves the same
/// through either API. Ranges are OpenAI's (https://platform.openai.com/docs/api-reference/chat/create).
/// </summary>
internal sealed record GenerationFields
{
    public float? Temperature { get; init; }
    public float? TopP { get; init; }
    public int? MaxTokens { get; init; }
    public IReadOnlyList<string>? Stop { get; init; }
    public uint? Seed { get; init; }
    public float? FrequencyPenalty { get; init; }
    public float? PresencePenalty { get; init; }

    /// <summary>Extensions llama-server also accepts on its OpenAI endpoints: <c>top_k</c>, <c>min_p</c>, <c>repeat_penalty</c>.</summary>
    public int? TopK { get; init; }
    public float? MinP { get; init; }
    public float? RepeatPenalty { get; init; }

    public bool Stream { get; init; }

    /// <summary>
    /// Log probabilities wanted, and how many alternatives per token: null = none. Each API spells it its own way
    /// (chat: <c>logprobs</c> + <c>top_logprobs</c>; completions: <c>logprobs: N</c>), so each request type sets it.
    /// </summary>
    public int? TopLogprobs { get; init; }

    /// <summary><c>stream_options.include_usage</c>: a last chunk with usage and no choices.</summary>
    public bool IncludeUsage { get; init; }

    public static GenerationFields Parse(JsonFields body)
    {
        var n = body.Integer("n", long.MinValue, long.MaxValue);
        if (n is { } count && count != 1)
            throw JsonFields.Unsupported(body.Name("n"), $"'n' must be 1 (one choice per request), got {count}");

        // max_completion_tokens replaced max_tokens in the OpenAI API; either is accepted, the newer one wins.
        var maxTokens = body.Integer("max_completion_tokens", 1, int.MaxValue) ?? body.Integer("max_tokens", 1, int.MaxValue);
        var streamOptions = body.Object("stream_options");
        return new GenerationFields
        {
            Temperature = (float?)body.Number("temperature", 0, 2),
            TopP = (float?)body.Number("top_p", 0, 1),
            MaxTokens = (int?)maxTokens,
            Stop = ParseStop(body),
            Seed = (uint?)body.Integer("seed", 0, uint.MaxValue),
            FrequencyPenalty = (float?)body.Number("frequency_penalty", -2, 2),
            PresencePenalty = (float?)body.Number("presence_penalty", -2, 2),
            TopK = (int?)body.Integer("top_k", 0, int.MaxValue),
            MinP = (float?)body.Number("min_p", 0, 1),
            RepeatPenalty = (float?)body.Number("repeat_penalty", 0.01, 10),
            Stream = body.Bool("stream") ?? false,
            IncludeUsage = streamOptions?.Bool("include_usage") ?? false,
        };
    }

    /// <summary>The model's sampling options with this request's fields laid over them.</summary>
    public SamplingOptions Apply(SamplingOptions defaults) => defaults with
    {
        Temperature = Temperature ?? defaults.Temperature,
        TopP = TopP ?? defaults.TopP,
        MaxTokens = MaxTokens ?? defaults.MaxTokens,
        Stop = Stop ?? defaults.Stop,
        Seed = Seed ?? defaults.Seed,
        FrequencyPenalty = FrequencyPenalty ?? defaults.FrequencyPenalty,
        PresencePenalty = PresencePenalty ?? defaults.PresencePenalty,
        TopK = TopK ?? defaults.TopK,
        MinP = MinP ?? defaults.MinP,
        RepeatPenalty = RepeatPenalty ?? defaults.RepeatPenalty,
        TopLogprobs = TopLogprobs,
    };

    // "stop": a string or an array of strings (OpenAI allows up to 4; more are accepted here).
    private static IReadOnlyList<string>? ParseStop(JsonFields body)
    {
        if (body.Value("stop") is not { } stop)
            return null;
        var name = body.Name("stop");
        IReadOnlyList<string> list = stop.ValueKind switch
        {
            JsonValueKind.String => [stop.GetString()!],
            JsonValueKind.Array => body.Array("stop").Select(e => e.Item.ValueKind == JsonValueKind.String
                ? e.Item.GetString()!
                : throw JsonFields.Invalid(e.Path, "a string", e.Item)).ToArray(),
            _ => throw JsonFields.Invalid(name, "a string or an array of strings", stop),
        };
        for (var i = 0; i < list.Count; i++)
            if (list[i].Length == 0)
                throw new ApiException(400, $"'{name}' must not contain empty strings", name, "invalid_value");
        return list;
    }
}
