namespace Hearth.Inference.Runtime;

/// <summary>
/// How to load a model: context and thread settings, LoRA adapters on top of the base weights, and an optional chat
/// template override. Two loads with equal options share one loaded instance in a <see cref="Pool.ModelPool"/>, and so
/// one decode scheduler: requests for the same adapter set are batched together, while a different adapter set (a LoRA
/// adapter applies to a whole llama.cpp context) is a different load with a scheduler of its own.
/// </summary>
public sealed record ModelLoadOptions
{
    /// <summary>Ollama's default <c>num_ctx</c>.</summary>
    public const int DefaultContextSize = 2048;

    /// <summary>llama.cpp's default logical batch (<c>n_batch</c>): prompt tokens handed to one decode call.</summary>
    public const int DefaultBatchSize = 512;

    /// <summary>Default bound on requests waiting for a sequence slot (see <see cref="MaxQueuedRequests"/>).</summary>
    public const int DefaultMaxQueuedRequests = 64;

    /// <summary>
    /// Context window in tokens (<c>num_ctx</c>) of each request: prompt plus reply must fit in it. Default 2048.
    /// Every one of the <see cref="ParallelSequences"/> gets this whole window.
    /// </summary>
    public int ContextSize { get; init; } = DefaultContextSize;

    /// <summary>
    /// Requests decoded together in one batch (llama.cpp's <c>n_seq_max</c>, llama-server's <c>--parallel</c>,
    /// Ollama's <c>OLLAMA_NUM_PARALLEL</c>). The KV cache holds <see cref="ContextSize"/> × this many tokens.
    /// Default 1 (the CLI: one conversation at a time); the server passes its <c>--parallel</c>.
    /// </summary>
    public int ParallelSequences { get; init; } = 1;

    /// <summary>
    /// Requests that may wait for a free sequence slot; one more is refused with
    /// <see cref="Scheduling.SchedulerQueueFullException"/> (HTTP 429). Default 64.
    /// </summary>
    public int MaxQueuedRequests { get; init; } = DefaultMaxQueuedRequests;

    /// <summary>CPU threads for decoding and prompt processing. Default: <see cref="Environment.ProcessorCount"/>.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Prompt tokens evaluated per decode call (<c>num_batch</c>). Default 512.</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>LoRA adapter GGUF files applied over the base weights, each with its scale (1 = as trained).</summary>
    public IReadOnlyList<AdapterReference> Adapters { get; init; } = [];

    /// <summary>
    /// A chat template to use instead of the model's own <c>tokenizer.chat_template</c>: a llama.cpp template name
    /// (<c>chatml</c>, <c>llama3</c>, …) or template text llama.cpp recognises. Null = the model's template.
    /// </summary>
    public string? ChatTemplate { get; init; }

    /// <summary>Most <see cref="ParallelSequences"/> allowed.</summary>
    public const int MaxParallelSequences = 64;

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting at fault.</summary>
    public void Validate()
    {
        if (ContextSize < 16)
            throw new ArgumentException($"num_ctx must be at least 16, got {ContextSize}", nameof(ContextSize));
        if (Threads < 1)
            throw new ArgumentException($"num_thread must be at least 1, got {Threads}", nameof(Threads));
        if (BatchSize < 1)
            throw new ArgumentException($"num_batch must be at least 1, got {BatchSize}", nameof(BatchSize));
        // llama.cpp's LLAMA_MAX_SEQ is 256; far fewer already make no sense on a CPU.
        if (ParallelSequences is < 1 or > MaxParallelSequences)
            throw new ArgumentException($"num_parallel must be between 1 and {MaxParallelSequences}, got {ParallelSequences}", nameof(ParallelSequences));
        // Every generating sequence puts one token in each decode call, which takes at most num_batch tokens.
        if (BatchSize < ParallelSequences)
            throw new ArgumentException($"num_batch ({BatchSize}) must be at least num_parallel ({ParallelSequences})", nameof(BatchSize));
        if (MaxQueuedRequests < 0)
            throw new ArgumentException($"max queued requests must be at least 0, got {MaxQueuedRequests}", nameof(MaxQueuedRequests));
        for (var i = 0; i < Adapters.Count; i++)
        {
            var a = Adapters[i] ?? throw new ArgumentException($"adapters[{i}] is null", nameof(Adapters));
            if (string.IsNullOrWhiteSpace(a.Path))
                throw new ArgumentException($"adapters[{i}] has no path", nameof(Adapters));
            if (!float.IsFinite(a.Scale))
                throw new ArgumentException($"adapters[{i}] scale must be a finite number, got {a.Scale}", nameof(Adapters));
        }
    }

    // Records compare lists by reference; the pool needs equal adapter lists to mean the same load.
    public bool Equals(ModelLoadOptions? other) =>
        other is not null && ContextSize == other.ContextSize && Threads == other.Threads && BatchSize == other.BatchSize &&
        ParallelSequences == other.ParallelSequences && MaxQueuedRequests == other.MaxQueuedRequests &&
        ChatTemplate == other.ChatTemplate && Adapters.SequenceEqual(other.Adapters);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(ContextSize);
        hash.Add(Threads);
        hash.Add(BatchSize);
        hash.Add(ParallelSequences);
        hash.Add(MaxQueuedRequests);
        hash.Add(ChatTemplate);
        foreach (var a in Adapters)
            hash.Add(a);
        return hash.ToHashCode();
    }
}
