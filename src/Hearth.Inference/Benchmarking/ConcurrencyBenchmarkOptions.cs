namespace Hearth.Inference.Benchmarking;

/// <summary>What <see cref="ConcurrencyBenchmark"/> measures.</summary>
public sealed record ConcurrencyBenchmarkOptions
{
    /// <summary>CPU threads for llama.cpp. Default: <see cref="Environment.ProcessorCount"/>.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Concurrent clients of each scenario, run in this order. Default 1, 4, 8 (the figures, less 16).</summary>
    public IReadOnlyList<int> Clients { get; init; } = [1, 4, 8];

    /// <summary>
    /// Sequence slots of the model. Default 0: as many as the largest client count, so every client decodes from the
    /// start; fewer makes the rest queue.
    /// </summary>
    public int ParallelSequences { get; init; }

    /// <summary>Prompt length of each client in tokens; each client's prompt differs from the first token on. Default 128.</summary>
    public int PromptTokens { get; init; } = 128;

    /// <summary>Tokens each client generates (end-of-generation ignored). Default 64.</summary>
    public int GeneratedTokens { get; init; } = 64;

    /// <summary>The shared system prompt of the prompt-cache scenario, in tokens; 0 skips it. Default 1000.</summary>
    public int SharedPrefixTokens { get; init; } = 1000;

    public void Validate()
    {
        if (Threads < 1)
            throw new ArgumentException($"threads must be at least 1, got {Threads}", nameof(Threads));
        if (Clients is null || Clients.Count == 0 || Clients.Any(c => c < 1))
            throw new ArgumentException("clients must list at least one count, each at least 1", nameof(Clients));
        if (ParallelSequences < 0)
            throw new ArgumentException($"parallel sequences must be 0 (automatic) or more, got {ParallelSequences}", nameof(ParallelSequences));
        if (PromptTokens < 2)
            throw new ArgumentException($"prompt tokens must be at least 2, got {PromptTokens}", nameof(PromptTokens));
        if (GeneratedTokens < 2)
            throw new ArgumentException($"generated tokens must be at least 2, got {GeneratedTokens}", nameof(GeneratedTokens));
        if (SharedPrefixTokens < 0)
            throw new ArgumentException($"shared prefix tokens must be 0 or more, got {SharedPrefixTokens}", nameof(SharedPrefixTokens));
    }
}
