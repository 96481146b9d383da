using Hearth.Gguf;

namespace Hearth.Models.Factory;

/// <summary>
/// The shape of a llama-architecture model to create with random weights. Defaults follow TinyLlama/Llama 2
/// (RMSNorm eps 1e-5, RoPE theta 10000) so llama.cpp treats the file like any downloaded llama model.
/// </summary>
public sealed record ModelSpec
{
    public string Architecture { get; init; } = "llama";
    public string Name { get; init; } = "hearth-tiny";
    public int Layers { get; init; } = 2;
    public int Dim { get; init; } = 64;
    public int Heads { get; init; } = 4;
    public int KvHeads { get; init; } = 2;
    public int FeedForward { get; init; } = 192;
    public int Vocab { get; init; } = 512;
    public int Context { get; init; } = 512;
    public float RopeTheta { get; init; } = 10000f;
    public float RmsNormEpsilon { get; init; } = 1e-5f;
    public ulong Seed { get; init; }

    /// <summary>Storage type of the 2-D weight matrices (norms are always F32, as llama.cpp's own converter does).</summary>
    public GgmlType WeightType { get; init; } = GgmlType.F32;

    /// <summary>Untied models carry a separate <c>output.weight</c>; tied ones reuse the token embedding (llama.cpp falls back to it).</summary>
    public bool TiedEmbeddings { get; init; }

    public int HeadDim => Dim / Heads;

    public static IReadOnlyList<string> PresetNames { get; } = ["tiny", "small", "tinyllama-1.1b"];

    /// <summary>
    /// <c>tiny</c>: a few hundred thousand parameters for tests; <c>small</c>: ~8M for quick experiments;
    /// <c>tinyllama-1.1b</c>: TinyLlama-1.1B's exact shape (22 layers, 2048 dim, 32 heads, 4 KV heads, 5632 FFN, 32000 vocab).
    /// </summary>
    public static ModelSpec Preset(string name) => name.ToLowerInvariant() switch
    {
        "tiny" => new ModelSpec(),
        "small" => new ModelSpec
        {
            Name = "hearth-small", Layers = 4, Dim = 256, Heads = 8, KvHeads = 4, FeedForward = 704, Vocab = 2048, Context = 2048,
            WeightType = GgmlType.F16,
        },
        "tinyllama-1.1b" => new ModelSpec
        {
            Name = "tinyllama-1.1b-random", Layers = 22, Dim = 2048, Heads = 32, KvHeads = 4, FeedForward = 5632, Vocab = 32000,
            Context = 2048, WeightType = GgmlType.F16,
        },
        _ => throw new ArgumentException($"unknown preset '{name}'; choose one of: {string.Join(", ", PresetNames)}", nameof(name)),
    };

    /// <summary>Throws with the offending field when the shape cannot make a valid llama model.</summary>
    public void Validate()
    {
        if (Architecture != "llama")
            throw new ArgumentException($"architecture '{Architecture}' cannot be created; supported: llama");
        Require(Layers is >= 1 and <= 256, $"layers must be between 1 and 256, got {Layers}");
        Require(Dim is >= 8 and <= 65536, $"dim must be between 8 and 65536, got {Dim}");
        Require(Heads >= 1 && Dim % Heads == 0, $"dim {Dim} must be divisible by heads {Heads}");
        Require(HeadDim % 2 == 0, $"head dimension {HeadDim} (dim / heads) must be even for RoPE");
        Require(KvHeads >= 1 && Heads % KvHeads == 0, $"heads {Heads} must be divisible by kv-heads {KvHeads}");
        Require(FeedForward >= 1, $"ffn must be positive, got {FeedForward}");
        Require(Vocab >= SpmVocabulary.MinimumSize && Vocab <= 1_000_000,
            $"vocab must be between {SpmVocabulary.MinimumSize} (special + byte tokens) and 1000000, got {Vocab}");
        Require(Context is >= 16 and <= 1 << 20, $"ctx must be between 16 and 1048576, got {Context}");
        var block = GgmlTypeInfo.Get(WeightType).BlockSize;
        Require(WeightType is GgmlType.F32 or GgmlType.F16 or GgmlType.BF16 or GgmlType.Q8_0,
            $"weight type {WeightType} cannot be written directly; create F16 and use 'hearth quantize'");
        Require(Dim % block == 0 && FeedForward % block == 0,
            $"dim {Dim} and ffn {FeedForward} must be multiples of the {WeightType} block size {block}");
    }

    /// <summary>Total parameter count (tensor elements).</summary>
    public long ParameterCount
    {
        get
        {
            long d = Dim, kv = (long)KvHeads * HeadDim;
            var perLayer = 2 * d + d * d + 2 * d * kv + d * d + 3 * d * FeedForward;
            return (long)Vocab * d * (TiedEmbeddings ? 1 : 2) + d + Layers * perLayer;
        }
    }

    private static void Require(bool ok, string message)
    {
        if (!ok)
            throw new ArgumentException(message);
    }
}
