using System.Runtime.InteropServices;
using Hearth.Gguf;
using Hearth.Gguf.Blocks;

namespace Hearth.Models.Factory;

/// <summary>
/// Writes a llama-architecture GGUF with random weights, a working SPM/byte-fallback tokenizer and a ChatML template —
/// the models every test and benchmark uses, since none may be downloaded. The tensor names and metadata keys are those
/// llama.cpp's <c>convert_hf_to_gguf.py</c> writes for Llama models.
/// </summary>
public static partial class ModelFactory
{
    /// <summary>ChatML, as Qwen2 and many fine-tunes ship it (a template llama.cpp's <c>llama_chat_apply_template</c> recognises).</summary>
    public const string ChatMlTemplate =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private const int ChunkElements = 1 << 20;

    /// <summary>Creates the model at <paramref name="path"/> (temp file + rename). Progress reports the fraction of bytes written.</summary>
    public static async Task CreateAsync(ModelSpec spec, string path, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        var metadata = BuildMetadata(spec);
        var tensors = BuildTensors(spec, cancellationToken);
        var total = tensors.Sum(t => t.ByteSize);
        var bytes = total == 0 ? null : new Progress<long>(written => progress?.Report(Math.Min(1.0, (double)written / total)));
        await GgufWriter.WriteAsync(path, metadata, tensors, progress is null ? null : bytes, cancellationToken).ConfigureAwait(false);
        progress?.Report(1.0);
    }

    public static GgufMetadata BuildMetadata(ModelSpec spec)
    {
        var vocab = SpmVocabulary.Build(spec.Vocab);
        var m = new GgufMetadata();
        m.Set("general.architecture", "llama");
        m.Set("general.type", "model");
        m.Set("general.name", spec.Name);
        m.Set("general.description", "Random weights, untrained: made by 'hearth create' for tests and benchmarks.");
        m.Set("general.size_label", SizeLabel(spec.ParameterCount));
        m.Set("general.license", "mit");
        m.Set("general.file_type", FileType(spec.WeightType));
        m.Set("general.quantization_version", 2u);
        m.Set("llama.context_length", (uint)spec.Context);
        m.Set("llama.embedding_length", (uint)spec.Dim);
        m.Set("llama.block_count", (uint)spec.Layers);
        m.Set("llama.feed_forward_length", (uint)spec.FeedForward);
        m.Set("llama.attention.head_count", (uint)spec.Heads);
        m.Set("llama.attention.head_count_kv", (uint)spec.KvHeads);
        m.Set("llama.rope.dimension_count", (uint)spec.HeadDim);
        m.Set("llama.rope.freq_base", spec.RopeTheta);
        m.Set("llama.attention.layer_norm_rms_epsilon", spec.RmsNormEpsilon);
        m.Set("llama.vocab_size", (uint)spec.Vocab);
        m.Set("tokenizer.ggml.model", "llama");
        m.Set("tokenizer.ggml.tokens", GgufValue.Array(vocab.Tokens));
        m.Set("tokenizer.ggml.scores", GgufValue.Array(vocab.Scores));
        m.Set("tokenizer.ggml.token_type", GgufValue.Array(vocab.Types));
        m.Set("tokenizer.ggml.unknown_token_id", (uint)SpmVocabulary.UnknownId);
        m.Set("tokenizer.ggml.bos_token_id", (uint)SpmVocabulary.BosId);
        // ChatML turns end with <|im_end|>: making it EOS is what stops a chat reply (as Qwen2's GGUFs do).
        m.Set("tokenizer.ggml.eos_token_id", (uint)SpmVocabulary.ImEndId);
        m.Set("tokenizer.ggml.padding_token_id", (uint)SpmVocabulary.UnknownId);
        m.Set("tokenizer.ggml.add_bos_token", true);
        m.Set("tokenizer.ggml.add_eos_token", false);
        // No implicit leading space: with it, SPM would also insert one after every ChatML marker ("<|im_start|> user").
        m.Set("tokenizer.ggml.add_space_prefix", false);
        m.Set("tokenizer.chat_template", ChatMlTemplate);
        m.Set("hearth.factory.seed", spec.Seed);
        return m;
    }

    private static List<GgufTensorSource> BuildTensors(ModelSpec spec, CancellationToken ct)
    {
        long d = spec.Dim, kv = (long)spec.KvHeads * spec.HeadDim, ffn = spec.FeedForward, vocab = spec.Vocab;
        // GPT-2 style init: N(0, 0.02), residual-branch outputs scaled by 1/sqrt(2·layers) so activations keep their scale.
        const float std = 0.02f;
        var residualStd = std / MathF.Sqrt(2f * spec.Layers);
        var list = new List<GgufTensorSource>
        {
            Matrix(spec, "token_embd.weight", d, vocab, std, ct),
            Ones("output_norm.weight", d),
        };
        if (!spec.TiedEmbeddings)
            list.Add(Matrix(spec, "output.weight", d, vocab, std, ct));
        for (var i = 0; i < spec.Layers; i++)
        {
            var p = $"blk.{i}.";
            list.Add(Ones(p + "attn_norm.weight", d));
            list.Add(Matrix(spec, p + "attn_q.weight", d, d, std, ct));
            list.Add(Matrix(spec, p + "attn_k.weight", d, kv, std, ct));
            list.Add(Matrix(spec, p + "attn_v.weight", d, kv, std, ct));
            list.Add(Matrix(spec, p + "attn_output.weight", d, d, residualStd, ct));
            list.Add(Ones(p + "ffn_norm.weight", d));
            list.Add(Matrix(spec, p + "ffn_gate.weight", d, ffn, std, ct));
            list.Add(Matrix(spec, p + "ffn_up.weight", d, ffn, std, ct));
            list.Add(Matrix(spec, p + "ffn_down.weight", ffn, d, residualStd, ct));
        }
        return list;
    }

    private static GgufTensorSource Ones(string name, long n)
    {
        var data = new float[n];
        Array.Fill(data, 1f);
        return GgufTensorSource.FromFloats(name, [n], data);
    }

    /// <summary>A (rows × cols) matrix stored ggml-style as [cols, rows]; generated lazily, when the writer reaches it.</summary>
    private static GgufTensorSource Matrix(ModelSpec spec, string name, long cols, long rows, float std, CancellationToken ct)
    {
        var tensorSeed = GaussianSampler.Mix(spec.Seed, GaussianSampler.Hash(name));
        return new GgufTensorSource(name, spec.WeightType, [cols, rows], stream =>
        {
            var count = cols * rows;
            var values = new float[count];
            var chunks = (int)((count + ChunkElements - 1) / ChunkElements);
            // Each chunk has its own seed, so the result does not depend on how many threads ran.
            Parallel.For(0, chunks, new ParallelOptions { CancellationToken = ct }, c =>
            {
                var start = (long)c * ChunkElements;
                var len = (int)Math.Min(ChunkElements, count - start);
                new GaussianSampler(GaussianSampler.Mix(tensorSeed, (ulong)c)).Fill(values.AsSpan((int)start, len), std);
            });
            WriteAs(spec.WeightType, values, stream);
        });
    }

    private static void WriteAs(GgmlType type, float[] values, Stream stream) =>
        stream.Write(type == GgmlType.F32 ? MemoryMarshal.AsBytes(values.AsSpan()) : TensorQuantizer.Quantize(type, values));

    /// <summary><c>general.file_type</c> values from llama.cpp's <c>llama_ftype</c>.</summary>
    private static uint FileType(GgmlType type) => type switch
    {
        GgmlType.F32 => 0,
        GgmlType.F16 => 1,
        GgmlType.Q8_0 => 7,
        GgmlType.BF16 => 32,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no llama_ftype for this weight type"),
    };

    private static string SizeLabel(long parameters) => parameters switch
    {
        >= 1_000_000_000 => $"{parameters / 1e9:0.#}B",
        >= 1_000_000 => $"{parameters / 1e6:0.#}M",
        _ => $"{parameters / 1e3:0.#}K",
    };
}
