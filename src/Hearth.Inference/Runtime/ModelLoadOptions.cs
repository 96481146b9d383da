namespace Hearth.Inference.Runtime;

/// <summary>
/// How to load a model: context and thread settings, LoRA adapters on top of the base weights, and an optional chat
/// template override. Two loads with equal options share one loaded instance in a <see cref="Pool.ModelPool"/>.
/// </summary>
public sealed record ModelLoadOptions
{
    /// <summary>Ollama's default <c>num_ctx</c>.</summary>
    public const int DefaultContextSize = 2048;

    /// <summary>llama.cpp's default logical batch (<c>n_batch</c>): prompt tokens handed to one decode call.</summary>
    public const int DefaultBatchSize = 512;

    /// <summary>Context window in tokens (<c>num_ctx</c>); prompt plus reply must fit in it. Default 2048.</summary>
    public int ContextSize { get; init; } = DefaultContextSize;

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

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting at fault.</summary>
    public void Validate()
    {
        if (ContextSize < 16)
            throw new ArgumentException($"num_ctx must be at least 16, got {ContextSize}", nameof(ContextSize));
        if (Threads < 1)
            throw new ArgumentException($"num_thread must be at least 1, got {Threads}", nameof(Threads));
        if (BatchSize < 1)
            throw new ArgumentException($"num_batch must be at least 1, got {BatchSize}", nameof(BatchSize));
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
        ChatTemplate == other.ChatTemplate && Adapters.SequenceEqual(other.Adapters);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(ContextSize);
        hash.Add(Threads);
        hash.Add(BatchSize);
        hash.Add(ChatTemplate);
        foreach (var a in Adapters)
            hash.Add(a);
        return hash.ToHashCode();
    }
}
