namespace Hearth.Inference.Generation;

/// <summary>Counts and timings of one generation, in Ollama's terms (<c>prompt_eval_count</c>, <c>eval_duration</c>, …).</summary>
public sealed record GenerationStats
{
    /// <summary>Tokens in the prompt (after truncation), including those found in the prompt cache.</summary>
    public int PromptTokens { get; init; }

    /// <summary>
    /// Leading prompt tokens whose KV-cache entries were reused from an earlier request with the same prefix, so were
    /// not evaluated again (llama-server's <c>cache_n</c>, OpenAI's <c>prompt_tokens_details.cached_tokens</c>).
    /// </summary>
    public int CachedPromptTokens { get; init; }

    /// <summary>Tokens generated, end-of-generation token excluded.</summary>
    public int CompletionTokens { get; init; }

    /// <summary>Time to evaluate the prompt (prefill) from when it got a sequence slot; shared with other requests' work when batched.</summary>
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

    /// <summary>Prompt tokens evaluated (cached ones excluded) per second of prefill.</summary>
    public double PromptTokensPerSecond => Rate(PromptTokens - CachedPromptTokens, PromptEvalDuration);

    public double CompletionTokensPerSecond => Rate(CompletionTokens, EvalDuration);

    private static double Rate(int tokens, TimeSpan duration) => duration > TimeSpan.Zero ? tokens / duration.TotalSeconds : 0;
}
