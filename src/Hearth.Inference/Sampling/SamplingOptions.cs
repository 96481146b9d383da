using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Hearth.Inference.Sampling;

/// <summary>
/// How to pick each next token and when to stop. Defaults are Ollama's (<c>api/types.go</c> DefaultOptions), so a
/// request that sets nothing behaves as it would there. Option names in error messages are Ollama's.
/// </summary>
public sealed record SamplingOptions
{
    /// <summary>Greedy decoding: always the most likely token (temperature 0, no repeat penalty).</summary>
    public static SamplingOptions Greedy { get; } = new() { Temperature = 0f, RepeatPenalty = 1f };

    /// <summary>Softmax temperature; 0 = greedy (always the most likely token). Default 0.8.</summary>
    public float Temperature { get; init; } = 0.8f;

    /// <summary>Keep only the K most likely tokens; 0 = off. Default 40.</summary>
    public int TopK { get; init; } = 40;

    /// <summary>Nucleus sampling: keep the smallest set whose probability reaches P; 1 = off. Default 0.9.</summary>
    public float TopP { get; init; } = 0.9f;

    /// <summary>Drop tokens less likely than MinP × the top token's probability; 0 = off. Default 0.</summary>
    public float MinP { get; init; }

    /// <summary>Divide the logits of recently seen tokens by this (CTRL, Keskar et al. 2019); 1 = off. Default 1.1.</summary>
    public float RepeatPenalty { get; init; } = 1.1f;

    /// <summary>How many recent tokens (prompt included) the penalties look at; 0 = off, −1 = the whole context. Default 64.</summary>
    public int RepeatLastN { get; init; } = 64;

    /// <summary>OpenAI-style presence penalty in [−2, 2]; 0 = off. Default 0.</summary>
    public float PresencePenalty { get; init; }

    /// <summary>OpenAI-style frequency penalty in [−2, 2]; 0 = off. Default 0.</summary>
    public float FrequencyPenalty { get; init; }

    /// <summary>Random seed; null = a fresh random seed per request (reported in the result's stats). Same seed + same prompt = same output.</summary>
    public uint? Seed { get; init; }

    /// <summary>Generation ends before any of these strings; they never appear in the output.</summary>
    public IReadOnlyList<string> Stop { get; init; } = [];

    /// <summary>Most tokens to generate (<c>num_predict</c>); −1 = until end-of-generation or the context is full. Default −1.</summary>
    public int MaxTokens { get; init; } = -1;

    /// <summary>
    /// Keep generating past end-of-generation tokens (they are masked out), as llama.cpp's <c>--ignore-eos</c>;
    /// for benchmarks, which need a fixed number of tokens. Default false.
    /// </summary>
    public bool IgnoreEos { get; init; }

    /// <summary>
    /// A GBNF grammar (llama.cpp's <c>grammars/README.md</c>, start rule <c>root</c>) the output must match; null = free
    /// text. Generation ends when the grammar is complete. <see cref="Grammar.JsonSchemaGrammar"/> makes one from a JSON
    /// schema. Checked by <see cref="Validate"/> (llama.cpp must parse it). Default null.
    /// </summary>
    public string? Grammar { get; init; }

    /// <summary>
    /// Report each generated token's log probability and this many of the most likely tokens at its step
    /// (<see cref="Generation.GenerationResult.Logprobs"/>): null = off (the default; costs nothing), 0‥20 = on, 20 being
    /// OpenAI's limit for <c>top_logprobs</c>. Computed from the raw logits, so sampling itself is unchanged.
    /// </summary>
    public int? TopLogprobs { get; init; }

    /// <summary>True when sampling reduces to picking the most likely token.</summary>
    public bool IsGreedy => Temperature == 0f;

    /// <summary>Throws <see cref="InvalidSamplingOptionException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        if (!float.IsFinite(Temperature) || Temperature < 0f)
            Throw("temperature", $"temperature must be 0 or more, got {F(Temperature)}");
        if (TopK < 0)
            Throw("top_k", $"top_k must be 0 (off) or more, got {TopK}");
        if (!(TopP is >= 0f and <= 1f))
            Throw("top_p", $"top_p must be between 0 and 1, got {F(TopP)}");
        if (!(MinP is >= 0f and <= 1f))
            Throw("min_p", $"min_p must be between 0 and 1, got {F(MinP)}");
        if (!float.IsFinite(RepeatPenalty) || RepeatPenalty <= 0f)
            Throw("repeat_penalty", $"repeat_penalty must be greater than 0 (1 is off), got {F(RepeatPenalty)}");
        if (RepeatLastN < -1)
            Throw("repeat_last_n", $"repeat_last_n must be -1 (whole context), 0 (off) or more, got {RepeatLastN}");
        if (!(PresencePenalty is >= -2f and <= 2f))
            Throw("presence_penalty", $"presence_penalty must be between -2 and 2, got {F(PresencePenalty)}");
        if (!(FrequencyPenalty is >= -2f and <= 2f))
            Throw("frequency_penalty", $"frequency_penalty must be between -2 and 2, got {F(FrequencyPenalty)}");
        if (MaxTokens is 0 or < -1)
            Throw("num_predict", $"num_predict must be -1 (until the end) or at least 1, got {MaxTokens}");
        if (TopLogprobs is < 0 or > MaxTopLogprobs)
            Throw("top_logprobs", $"top_logprobs must be between 0 and {MaxTopLogprobs}, got {TopLogprobs}");
        if (Stop is null)
            Throw("stop", "stop must be a list (empty for none), got null");
        for (var i = 0; i < Stop.Count; i++)
            if (string.IsNullOrEmpty(Stop[i]))
                Throw("stop", $"stop sequences must not be empty, got an empty one at stop[{i}]");
        if (Grammar is not null)
        {
            if (string.IsNullOrWhiteSpace(Grammar))
                Throw("grammar", "grammar must not be empty (leave it unset for free text)");
            // The grammar ends generation by allowing only end-of-generation once complete; masking those would leave
            // no token at all.
            if (IgnoreEos)
                Throw("grammar", "grammar cannot be combined with ignore_eos: a grammar ends generation when its output is complete");
            Hearth.Inference.Grammar.GrammarStage.Check(Grammar);
        }
    }

    private const int MaxTopLogprobs = Scheduling.LogprobReader.MaxTop;

    private static string F(float value) => value.ToString(CultureInfo.InvariantCulture);

    [DoesNotReturn]
    private static void Throw(string option, string message) => throw new InvalidSamplingOptionException(option, message);

    public bool Equals(SamplingOptions? other) =>
        other is not null && Temperature == other.Temperature && TopK == other.TopK && TopP == other.TopP && MinP == other.MinP &&
        RepeatPenalty == other.RepeatPenalty && RepeatLastN == other.RepeatLastN && PresencePenalty == other.PresencePenalty &&
        FrequencyPenalty == other.FrequencyPenalty && Seed == other.Seed && MaxTokens == other.MaxTokens &&
        IgnoreEos == other.IgnoreEos && Stop.SequenceEqual(other.Stop) && Grammar == other.Grammar && TopLogprobs == other.TopLogprobs;

    public override int GetHashCode() =>
        HashCode.Combine(Temperature, TopK, TopP, MinP, RepeatPenalty, Seed, MaxTokens, HashCode.Combine(Stop.Count, Grammar, TopLogprobs));
}
