using System.Text.Json;
using Hearth.Gguf;
using Hearth.Gguf.Architecture;
using Hearth.Models.Naming;
using Hearth.Models.Store;

namespace Hearth.Models.Info;

/// <summary>
/// What <c>hearth show</c> prints about a model, from its manifest and its GGUF header only (the file is memory-mapped
/// and only the header is parsed, so a multi-gigabyte model opens in milliseconds). Shape keys are read generically as
/// <c>{arch}.context_length</c> etc. (llama.cpp's <c>LLM_KV_*</c> names) so any architecture is described.
/// </summary>
public sealed record ModelInfo
{
    public required ModelName Name { get; init; }
    public required string Digest { get; init; }

    /// <summary>Bytes on disk of the model and its adapters.</summary>
    public required long Size { get; init; }

    public required string Architecture { get; init; }
    public required long ParameterCount { get; init; }

    /// <summary>The file type name (<c>general.file_type</c>, e.g. Q4_K_M), else the dominant tensor type by bytes.</summary>
    public required string Quantization { get; init; }

    public long? ContextLength { get; init; }
    public long? EmbeddingLength { get; init; }
    public long? BlockCount { get; init; }
    public long? HeadCount { get; init; }
    public long? HeadCountKv { get; init; }

    /// <summary>The chat template in effect: the manifest's override, else the GGUF's <c>tokenizer.chat_template</c>.</summary>
    public string? ChatTemplate { get; init; }

    /// <summary>"manifest", "gguf", or null when the model has no chat template.</summary>
    public string? ChatTemplateOrigin { get; init; }

    /// <summary>The chat format the template implements (see <see cref="ChatTemplateFamily"/>), or null.</summary>
    public string? ChatTemplateFamilyName { get; init; }

    public string? License { get; init; }
    public string? System { get; init; }
    public string? Source { get; init; }
    public uint GgufVersion { get; init; }
    public IReadOnlyList<AdapterReference> Adapters { get; init; } = [];
    public IReadOnlyDictionary<string, JsonElement> Parameters { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>Describes the model <paramref name="name"/> in <paramref name="store"/>.</summary>
    /// <exception cref="ModelNotFoundException">No such model.</exception>
    public static ModelInfo Load(ModelStore store, ModelName name)
    {
        ArgumentNullException.ThrowIfNull(store);
        var manifest = store.Get(name);
        return FromManifest(manifest, store.GetModelPath(name));
    }

    public static ModelInfo FromManifest(ModelManifest manifest, string modelPath)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        using var gguf = GgufFile.Open(modelPath);
        var m = gguf.Metadata;
        var arch = m.GetString("general.architecture") ?? "unknown";
        long? Shape(string key) => m.GetInt($"{arch}.{key}");

        var (template, origin) = manifest.Template is { } t ? (t, "manifest")
            : m.GetString("tokenizer.chat_template") is { } g ? (g, "gguf")
            : ((string?)null, (string?)null);

        return new ModelInfo
        {
            Name = manifest.Name,
            Digest = manifest.Model.Digest,
            Size = manifest.TotalSize,
            Architecture = arch,
            ParameterCount = gguf.ParameterCount,
            Quantization = FileTypeName(m) ?? DominantTensorType(gguf.Tensors),
            ContextLength = Shape("context_length"),
            EmbeddingLength = Shape("embedding_length"),
            BlockCount = Shape("block_count"),
            HeadCount = Shape("attention.head_count"),
            HeadCountKv = Shape("attention.head_count_kv"),
            ChatTemplate = template,
            ChatTemplateOrigin = origin,
            ChatTemplateFamilyName = template is null ? null : ChatTemplateFamily.Detect(template),
            License = manifest.License ?? ModelStore.GgufLicense(m),
            System = manifest.System,
            Source = manifest.Source,
            GgufVersion = gguf.Version,
            Adapters = manifest.Adapters,
            Parameters = manifest.Parameters,
        };
    }

    private static string? FileTypeName(GgufMetadata m) =>
        m.GetInt("general.file_type") is { } ft and >= 0 and <= uint.MaxValue ? ((LlamaFileType)(uint)ft).Name() : null;

    /// <summary>
    /// The type holding the most bytes among matrices; 1-D tensors (norms, biases) are F32 in every quantization and
    /// would otherwise outvote small models' weights.
    /// </summary>
    internal static string DominantTensorType(IReadOnlyList<GgufTensorInfo> tensors)
    {
        var candidates = tensors.Where(t => t.Dimensions.Length >= 2).ToList();
        if (candidates.Count == 0)
            candidates = tensors.ToList();
        if (candidates.Count == 0)
            return "none";
        return candidates.GroupBy(t => t.Type).OrderByDescending(g => g.Sum(t => t.ByteSize)).First().Key.ToString();
    }
}
