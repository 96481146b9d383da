namespace Hearth.Inference.Benchmarking;

/// <summary>What <see cref="RuntimeBenchmark"/> measures. Defaults follow llama-bench's <c>pp</c>/<c>tg</c> style at a smaller size.</summary>
public sealed record RuntimeBenchmarkOptions
{
    /// <summary>CPU threads for both paths. Default: <see cref="Environment.ProcessorCount"/>.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Prompt length in tokens (prefill). Default 128.</summary>
    public int PromptTokens { get; init; } = 128;

    /// <summary>Tokens generated per run (decode); end-of-generation is ignored so every run makes this many. Default 64.</summary>
    public int GeneratedTokens { get; init; } = 64;

    /// <summary>Measured runs per path, interleaved; the median is reported. Default 3.</summary>
    public int Repetitions { get; init; } = 3;

    /// <summary>An unmeasured run of each path first, so page faults and graph allocation are not timed. Default true.</summary>
    public bool WarmUp { get; init; } = true;

    public void Validate()
    {
        if (Threads < 1)
            throw new ArgumentException($"threads must be at least 1, got {Threads}", nameof(Threads));
        if (PromptTokens < 1)
            throw new ArgumentException($"prompt tokens must be at least 1, got {PromptTokens}", nameof(PromptTokens));
        if (GeneratedTokens < 2)
            throw new ArgumentException($"generated tokens must be at least 2, got {GeneratedTokens}", nameof(GeneratedTokens));
        if (Repetitions < 1)
            throw new ArgumentException($"repetitions must be at least 1, got {Repetitions}", nameof(Repetitions));
    }
}
