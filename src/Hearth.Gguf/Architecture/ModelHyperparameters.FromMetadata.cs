using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Hearth.Gguf.Architecture;

public sealed partial record ModelHyperparameters
{
    private const string ArchitectureKey = "general.architecture";

    /// <summary>Reads the hyperparameters of a supported architecture from a model's metadata.</summary>
    /// <exception cref="ModelMetadataException">
    /// The architecture is missing or unsupported (the message lists the supported ones), or a required key is missing,
    /// mistyped or impossible; <see cref="ModelMetadataException.Key"/> names the key.
    /// </exception>
    public static ModelHyperparameters FromMetadata(GgufMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var reader = new KeyReader(metadata);
        var result = Read(reader);
        return result ?? throw new ModelMetadataException(reader.Error!, reader.ErrorKey!);
    }

    /// <summary>Like <see cref="FromMetadata"/>, but returns false instead of throwing when the metadata does not describe a supported model.</summary>
    public static bool TryFromMetadata(GgufMetadata metadata, [NotNullWhen(true)] out ModelHyperparameters? hyperparameters)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        hyperparameters = Read(new KeyReader(metadata));
        return hyperparameters is not null;
    }

    /// <summary>Reads every key, recording the first problem; null when there was one.</summary>
    private static ModelHyperparameters? Read(KeyReader r)
    {
        var architecture = r.String(ArchitectureKey);
        if (architecture is null)
            return r.Fail(ArchitectureKey, $"missing required key '{ArchitectureKey}'");
        if (!SupportedArchitectures.Contains(architecture, StringComparer.Ordinal))
            return r.Fail(ArchitectureKey, $"unsupported architecture '{architecture}'; supported: {string.Join(", ", SupportedArchitectures)}");

        var p = architecture + ".";
        var embedding = r.RequiredInt(p + "embedding_length");
        var heads = r.RequiredInt(p + "attention.head_count");
        var headsKv = r.OptionalInt(p + "attention.head_count_kv") ?? heads;
        if (!r.Failed && heads % headsKv != 0)
            return r.Fail(p + "attention.head_count_kv", $"key '{p}attention.head_count_kv' is {headsKv}, which does not divide head_count {heads}");
        var headDim = r.OptionalInt(p + "attention.key_length");
        if (headDim is null && !r.Failed && embedding % heads != 0)
            return r.Fail(p + "attention.key_length", $"missing key '{p}attention.key_length', and embedding_length {embedding} is not a multiple of head_count {heads}");
        headDim ??= r.Failed ? 0 : embedding / heads;

        var (scalingType, scalingFactor) = ReadRopeScaling(r, p);
        var hyperparameters = new ModelHyperparameters
        {
            Architecture = architecture,
            Name = r.String("general.name"),
            ContextLength = r.RequiredInt(p + "context_length"),
            EmbeddingLength = embedding,
            BlockCount = r.RequiredInt(p + "block_count"),
            FeedForwardLength = r.RequiredInt(p + "feed_forward_length"),
            HeadCount = heads,
            HeadCountKv = headsKv,
            HeadDim = headDim.Value,
            RmsNormEpsilon = r.RequiredPositiveFloat(p + "attention.layer_norm_rms_epsilon"),
            RopeFreqBase = r.OptionalFloat(p + "rope.freq_base") ?? DefaultRopeFreqBase,
            RopeDimensionCount = r.OptionalInt(p + "rope.dimension_count") ?? headDim.Value,
            RopeScalingType = scalingType,
            RopeScalingFactor = scalingFactor,
            RopeScalingOriginalContextLength = r.OptionalInt(p + "rope.scaling.original_context_length"),
            VocabSize = r.OptionalInt(p + "vocab_size") ?? r.ArrayLength("tokenizer.ggml.tokens"),
            SlidingWindow = r.OptionalInt(p + "attention.sliding_window"),
            AttentionLogitSoftcap = r.OptionalFloat(p + "attn_logit_softcapping"),
            FinalLogitSoftcap = r.OptionalFloat(p + "final_logit_softcapping"),
            FileType = (LlamaFileType?)r.OptionalUInt("general.file_type"),
        };
        return r.Failed ? null : hyperparameters;
    }

    /// <summary>
    /// llama.cpp (llama-model.cpp) defaults the scaling type to linear and takes the factor from
    /// <c>rope.scaling.factor</c>, falling back to the older <c>rope.scale_linear</c>; with neither there is no scaling.
    /// </summary>
    private static (RopeScalingType, float?) ReadRopeScaling(KeyReader r, string p)
    {
        var factor = r.OptionalFloat(p + "rope.scaling.factor") ?? r.OptionalFloat(p + "rope.scale_linear");
        var typeKey = p + "rope.scaling.type";
        var name = r.String(typeKey);
        if (name is null)
            return (factor is null ? RopeScalingType.None : RopeScalingType.Linear, factor);
        if (!RopeScalingTypes.TryParse(name, out var type))
        {
            var allowed = string.Join(", ", Enum.GetValues<RopeScalingType>().Select(t => t.ToMetadataName()));
            r.Fail(typeKey, $"key '{typeKey}' is '{name}', should be one of: {allowed}");
        }
        return (type, factor);
    }

    /// <summary>Typed access to metadata that records the first missing, mistyped or out-of-range key instead of throwing.</summary>
    private sealed class KeyReader(GgufMetadata metadata)
    {
        public string? Error { get; private set; }
        public string? ErrorKey { get; private set; }
        public bool Failed => Error is not null;

        public ModelHyperparameters? Fail(string key, string message)
        {
            if (Error is null)
            {
                Error = message;
                ErrorKey = key;
            }
            return null;
        }

        public string? String(string key)
        {
            if (!metadata.TryGetValue(key, out var value))
                return null;
            if (value.Value is string s)
                return s;
            Fail(key, $"key '{key}' is {value.Describe()}, should be string");
            return null;
        }

        public int RequiredInt(string key)
        {
            if (!metadata.ContainsKey(key))
            {
                Fail(key, $"missing required key '{key}'");
                return 0;
            }
            return OptionalInt(key) ?? 0;
        }

        /// <summary>A positive int32. Per-layer arrays are accepted when every layer has the same value.</summary>
        public int? OptionalInt(string key)
        {
            if (!metadata.TryGetValue(key, out var value))
                return null;
            long? number = value.IsArray ? UniformArrayValue(key, value) : IntegerOrNull(value.Value);
            if (number is null)
            {
                if (!value.IsArray)
                    Fail(key, $"key '{key}' is {value.Describe()}, should be an integer");
                return null;
            }
            if (number is <= 0 or > int.MaxValue)
            {
                Fail(key, $"key '{key}' is {number}, should be in [1, {int.MaxValue}]");
                return null;
            }
            return (int)number;
        }

        public uint? OptionalUInt(string key)
        {
            if (!metadata.TryGetValue(key, out var value))
                return null;
            var number = IntegerOrNull(value.Value);
            if (number is >= 0 and <= uint.MaxValue)
                return (uint)number;
            Fail(key, number is null ? $"key '{key}' is {value.Describe()}, should be an integer" : $"key '{key}' is {number}, should be in [0, {uint.MaxValue}]");
            return null;
        }

        public float? OptionalFloat(string key)
        {
            if (!metadata.TryGetValue(key, out var value))
                return null;
            if (value.Value is float or double || IntegerOrNull(value.Value) is not null)
                return (float)value.AsDouble();
            Fail(key, $"key '{key}' is {value.Describe()}, should be a number");
            return null;
        }

        public float RequiredPositiveFloat(string key)
        {
            var number = OptionalFloat(key);
            if (number is null)
            {
                if (!metadata.ContainsKey(key))
                    Fail(key, $"missing required key '{key}'");
                return 0;
            }
            if (!(number > 0) || float.IsInfinity(number.Value))
                Fail(key, $"key '{key}' is {number.Value.ToString(CultureInfo.InvariantCulture)}, should be a positive finite number");
            return number.Value;
        }

        public int? ArrayLength(string key) => metadata.TryGetValue(key, out var value) && value.IsArray ? value.Count : null;

        private long? UniformArrayValue(string key, GgufValue value)
        {
            var items = (Array)value.Value;
            long? first = null;
            foreach (var item in items)
            {
                var number = IntegerOrNull(item);
                if (number is null)
                {
                    Fail(key, $"key '{key}' is {value.Describe()}, should be an integer");
                    return null;
                }
                if (first is not null && number != first)
                {
                    Fail(key, $"key '{key}' varies per layer ({first}, {number}, …); only a single value is supported");
                    return null;
                }
                first = number;
            }
            if (first is null)
                Fail(key, $"key '{key}' is an empty array, should be an integer");
            return first;
        }

        private static long? IntegerOrNull(object? value) => value switch
        {
            byte v => v, sbyte v => v, ushort v => v, short v => v, uint v => v, int v => v, long v => v,
            ulong v => v <= long.MaxValue ? (long)v : long.MaxValue,
            _ => null,
        };
    }
}
