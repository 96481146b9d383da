namespace Hearth.Inference.Generation;

/// <summary>Counts and timings of one generation, in Ollama's terms (<c>prompt_eval_count</c>, <c>eval_duration</c>, …).</summary>
public sealed record GenerationStats
{
    /// <summary>Tokens in the prompt that was evaluated (after truncation).</summary>
    public int PromptTokens { get; init; }

    /// <summary>Tokens generated, end-of-generation token excluded.</summary>
    public int CompletionTokens { get; init; }

    /// <summary>Time to evaluate the prompt (prefill).</summary>
    public TimeSpan PromptEvalDuration { get; init; }

    /// <summary>Time spent generating, from the end of prefill to the last token.</summary>
    public TimeSpan EvalDuration { get; init; }

    /// <summary>From the call to the first generated token (prompt rendering, tokenizing, waiting for the model and prefill included).</summary>
    public TimeSpan TimeToFirstToken { get; init; }

    /// <summary>From the call to the end.</summary>
    public TimeSpan TotalDuration { get; init; }

    /// <summary>The sampling seed used (the one given, or the random one picked).</summary>
    public uint Seed { get; init; }

    /// <summary>Prompt tokens dropped by <see cref="Truncation.KeepEnd"/>.</summary>
    public int TruncatedPromptTokens { get; init; }

    /// <summary>Messages dropped by <see cref="Truncation.DropOldestMessages"/>.</summary>
    public int DroppedMessages { get; init; }

    public double PromptTokensPerSecond => Rate(PromptTokens, PromptEvalDuration);

    public double CompletionTokensPerSecond => Rate(CompletionTokens, EvalDuration);

    private static double Rate(int tokens, TimeSpan duration) => duration > TimeSpan.Zero ? tokens / duration.TotalSeconds : 0;
}
