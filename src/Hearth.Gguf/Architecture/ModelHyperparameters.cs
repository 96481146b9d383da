namespace Hearth.Gguf.Architecture;

/// <summary>
/// The shape of a llama-family decoder (llama, mistral, qwen2/3, phi3, gemma 1–3) as its GGUF metadata states it,
/// under the key names llama.cpp reads (src/llama-arch.cpp, <c>LLM_KV_*</c>): <c>{arch}.embedding_length</c> and so on.
/// </summary>
/// <remarks>
/// Read with <see cref="FromMetadata"/> (or <see cref="TryFromMetadata"/>); <see cref="ToMetadata"/> writes the same
/// keys back with the types llama.cpp's converter uses (uint32 counts, float32 reals), so the two round-trip.
/// </remarks>
public sealed partial record ModelHyperparameters
{
    /// <summary>The <c>general.architecture</c> values this record can describe.</summary>
    public static IReadOnlyList<string> SupportedArchitectures { get; } =
        ["llama", "mistral", "qwen2", "qwen3", "phi3", "gemma", "gemma2", "gemma3"];

    /// <summary><c>general.architecture</c>, also the prefix of every other key.</summary>
    public required string Architecture { get; init; }

    /// <summary><c>general.name</c>, when set.</summary>
    public string? Name { get; init; }

    /// <summary><c>{arch}.context_length</c>: the context the model was trained with.</summary>
    public required int ContextLength { get; init; }

    /// <summary><c>{arch}.embedding_length</c>: the hidden size.</summary>
    public required int EmbeddingLength { get; init; }

    /// <summary><c>{arch}.block_count</c>: the number of transformer layers.</summary>
    public required int BlockCount { get; init; }

    /// <summary><c>{arch}.feed_forward_length</c>: the MLP's intermediate size.</summary>
    public required int FeedForwardLength { get; init; }

    /// <summary><c>{arch}.attention.head_count</c>: query heads.</summary>
    public required int HeadCount { get; init; }

    /// <summary><c>{arch}.attention.head_count_kv</c>: key/value heads (grouped-query attention); HeadCount when absent.</summary>
    public required int HeadCountKv { get; init; }

    /// <summary><c>{arch}.attention.key_length</c>, else EmbeddingLength / HeadCount (gemma sets it: 256 for 2B/7B).</summary>
    public required int HeadDim { get; init; }

    /// <summary><c>{arch}.attention.layer_norm_rms_epsilon</c>.</summary>
    public required float RmsNormEpsilon { get; init; }

    /// <summary><c>{arch}.rope.freq_base</c> (theta); 10000 when absent, the value of the RoPE paper and llama.cpp's default.</summary>
    public float RopeFreqBase { get; init; } = DefaultRopeFreqBase;

    /// <summary><c>{arch}.rope.dimension_count</c>: how many of each head's dimensions are rotated; HeadDim when absent.</summary>
    public required int RopeDimensionCount { get; init; }

    /// <summary><c>{arch}.rope.scaling.type</c>; Linear when only a factor is given (llama.cpp's default), else None.</summary>
    public RopeScalingType RopeScalingType { get; init; }

    /// <summary><c>{arch}.rope.scaling.factor</c> (or the legacy <c>{arch}.rope.scale_linear</c>).</summary>
    public float? RopeScalingFactor { get; init; }

    /// <summary><c>{arch}.rope.scaling.original_context_length</c>: the context before scaling (YaRN, LongRoPE).</summary>
    public int? RopeScalingOriginalContextLength { get; init; }

    /// <summary><c>{arch}.vocab_size</c>, else the length of <c>tokenizer.ggml.tokens</c>; null when the file has neither.</summary>
    public int? VocabSize { get; init; }

    /// <summary><c>{arch}.attention.sliding_window</c> (mistral, gemma2/3, qwen2): local attention span, when set.</summary>
    public int? SlidingWindow { get; init; }

    /// <summary><c>{arch}.attn_logit_softcapping</c> (gemma2): attention scores are squashed as cap·tanh(x/cap).</summary>
    public float? AttentionLogitSoftcap { get; init; }

    /// <summary><c>{arch}.final_logit_softcapping</c> (gemma2): the same squash on the output logits.</summary>
    public float? FinalLogitSoftcap { get; init; }

    /// <summary><c>general.file_type</c>: the predominant tensor type, when set.</summary>
    public LlamaFileType? FileType { get; init; }

    /// <summary>The file type as users name it ("Q4_K_M", "F16"), or null when <see cref="FileType"/> is unset.</summary>
    public string? FileTypeName => FileType?.Name();

    /// <summary>Query heads per key/value head (1 for plain multi-head attention).</summary>
    public int GroupSize => HeadCountKv == 0 ? 0 : HeadCount / HeadCountKv;

    private const float DefaultRopeFreqBase = 10000f;

    /// <summary>Writes these hyperparameters as GGUF metadata under llama.cpp's key names; <see cref="FromMetadata"/> reads them back equal.</summary>
    public GgufMetadata ToMetadata()
    {
        var m = new GgufMetadata();
        var p = Architecture + ".";
        m.Set("general.architecture", Architecture);
        if (Name is not null)
            m.Set("general.name", Name);
        if (FileType is { } fileType)
            m.Set("general.file_type", (uint)fileType);
        m.Set(p + "context_length", Count(ContextLength, p + "context_length"));
        m.Set(p + "embedding_length", Count(EmbeddingLength, p + "embedding_length"));
        m.Set(p + "block_count", Count(BlockCount, p + "block_count"));
        m.Set(p + "feed_forward_length", Count(FeedForwardLength, p + "feed_forward_length"));
        m.Set(p + "attention.head_count", Count(HeadCount, p + "attention.head_count"));
        m.Set(p + "attention.head_count_kv", Count(HeadCountKv, p + "attention.head_count_kv"));
        m.Set(p + "attention.key_length", Count(HeadDim, p + "attention.key_length"));
        m.Set(p + "attention.layer_norm_rms_epsilon", RmsNormEpsilon);
        m.Set(p + "rope.freq_base", RopeFreqBase);
        m.Set(p + "rope.dimension_count", Count(RopeDimensionCount, p + "rope.dimension_count"));
        // An explicit "none" beside a factor keeps the reader from inferring llama.cpp's default of linear.
        if (RopeScalingType != RopeScalingType.None || RopeScalingFactor is not null)
            m.Set(p + "rope.scaling.type", RopeScalingType.ToMetadataName());
        if (RopeScalingFactor is { } factor)
            m.Set(p + "rope.scaling.factor", factor);
        if (RopeScalingOriginalContextLength is { } original)
            m.Set(p + "rope.scaling.original_context_length", Count(original, p + "rope.scaling.original_context_length"));
        if (VocabSize is { } vocab)
            m.Set(p + "vocab_size", Count(vocab, p + "vocab_size"));
        if (SlidingWindow is { } window)
            m.Set(p + "attention.sliding_window", Count(window, p + "attention.sliding_window"));
        if (AttentionLogitSoftcap is { } attentionCap)
            m.Set(p + "attn_logit_softcapping", attentionCap);
        if (FinalLogitSoftcap is { } finalCap)
            m.Set(p + "final_logit_softcapping", finalCap);
        return m;
    }

    /// <summary>Counts are stored as uint32; a non-positive one would wrap into a huge value llama.cpp would trust.</summary>
    private static uint Count(int value, string key) => value > 0
        ? (uint)value
        : throw new InvalidOperationException($"cannot write '{key}' = {value}: it must be positive");
}
