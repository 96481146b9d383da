using Hearth.Gguf;

namespace Hearth.Inference.Runtime;

/// <summary>
/// Roughly how much memory a loaded model takes: its weight files (memory-mapped, so their size), the KV cache, and
/// the compute buffers. Used by <see cref="Pool.ModelPool"/> to keep loaded models within its budget.
/// </summary>
public sealed record ModelMemoryEstimate(long WeightsBytes, long KvCacheBytes, long ComputeBytes)
{
    public long TotalBytes => WeightsBytes + KvCacheBytes + ComputeBytes;

    /// <summary>
    /// Estimates from the shapes: the KV cache holds, for every layer and context position, one K and one V vector of
    /// <c>n_embd / n_head × n_head_kv</c> F16 values (llama.cpp's default cache type); the compute buffer is dominated
    /// by one micro-batch of F32 logits (<c>n_vocab × n_ubatch</c>).
    /// </summary>
    public static ModelMemoryEstimate FromShape(long weightsBytes, int layers, int embedding, int heads, int kvHeads, int vocab,
        int contextSize, int microBatch)
    {
        var kvWidth = heads > 0 ? (long)embedding / heads * kvHeads : embedding;
        const int f16Bytes = 2;
        var kv = 2L * layers * contextSize * kvWidth * f16Bytes;
        var compute = (long)vocab * microBatch * sizeof(float);
        return new(weightsBytes, kv, compute);
    }

    /// <summary>
    /// Estimates a model file before loading it, from its GGUF header alone (memory-mapped, tensors untouched).
    /// Also checks the file, so a bad one fails here with <see cref="ModelLoadException"/> before anything is evicted.
    /// </summary>
    public static ModelMemoryEstimate Probe(string path, ModelLoadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new ModelLoadOptions();
        options.Validate();
        var fullPath = Path.GetFullPath(path);
        var bytes = ModelFile.Check(fullPath);
        foreach (var adapter in options.Adapters)
            bytes += ModelFile.Check(Path.GetFullPath(adapter.Path), "adapter file");

        GgufFile file;
        try
        {
            file = GgufFile.Open(fullPath);
        }
        catch (GgufFormatException ex)
        {
            throw new ModelLoadException(fullPath, "not a valid GGUF file: " + ex.Message, ex);
        }
        using (file)
        {
            // The shape keys of gguf.md's "LLM" section, prefixed with the architecture name.
            var m = file.Metadata;
            var arch = m.GetString("general.architecture") ?? "llama";
            var layers = (int)(m.GetInt($"{arch}.block_count") ?? 0);
            var embedding = (int)(m.GetInt($"{arch}.embedding_length") ?? 0);
            var heads = (int)(m.GetInt($"{arch}.attention.head_count") ?? 0);
            // Some models give per-layer head counts (an array); the first-layer count of the scalar case is what llama.cpp sizes by.
            var kvHeads = (int)(m.GetInt($"{arch}.attention.head_count_kv") ?? heads);
            var vocab = m.GetArray<string>("tokenizer.ggml.tokens")?.Length ?? (int)(m.GetInt($"{arch}.vocab_size") ?? 0);
            return FromShape(bytes, layers, embedding, heads, kvHeads, vocab,
                // Every parallel sequence gets a whole ContextSize window of KV cache (the scheduler's unified cache).
                options.ContextSize * options.ParallelSequences, Math.Min(options.BatchSize, ModelLoadOptions.DefaultBatchSize));
        }
    }
}
