using Hearth.Gguf.Architecture;
using Hearth.Gguf.Tests.Reading;

namespace Hearth.Gguf.Tests.Architecture;

public class ModelHyperparametersTests
{
    /// <summary>The keys llama.cpp's converter writes for a TinyLlama-1.1B-shaped model.</summary>
    private static GgufMetadata LlamaMetadata()
    {
        var m = new GgufMetadata();
        m.Set("general.architecture", "llama");
        m.Set("general.name", "TinyLlama");
        m.Set("general.file_type", 15u);
        m.Set("llama.context_length", 2048u);
        m.Set("llama.embedding_length", 2048u);
        m.Set("llama.block_count", 22u);
        m.Set("llama.feed_forward_length", 5632u);
        m.Set("llama.attention.head_count", 32u);
        m.Set("llama.attention.head_count_kv", 4u);
        m.Set("llama.attention.layer_norm_rms_epsilon", 1e-5f);
        m.Set("llama.rope.freq_base", 10000f);
        m.Set("llama.rope.dimension_count", 64u);
        m.Set("tokenizer.ggml.tokens", GgufValue.Array(Enumerable.Range(0, 32000).Select(i => $"t{i}").ToArray()));
        return m;
    }

    [Fact]
    public void ReadsALlamaModel()
    {
        var h = ModelHyperparameters.FromMetadata(LlamaMetadata());

        Assert.Equal("llama", h.Architecture);
        Assert.Equal("TinyLlama", h.Name);
        Assert.Equal(2048, h.ContextLength);
        Assert.Equal(2048, h.EmbeddingLength);
        Assert.Equal(22, h.BlockCount);
        Assert.Equal(5632, h.FeedForwardLength);
        Assert.Equal(32, h.HeadCount);
        Assert.Equal(4, h.HeadCountKv);
        Assert.Equal(8, h.GroupSize);
        Assert.Equal(64, h.HeadDim);
        Assert.Equal(1e-5f, h.RmsNormEpsilon);
        Assert.Equal(10000f, h.RopeFreqBase);
        Assert.Equal(64, h.RopeDimensionCount);
        Assert.Equal(RopeScalingType.None, h.RopeScalingType);
        Assert.Null(h.RopeScalingFactor);
        Assert.Equal(32000, h.VocabSize); // from the token list: no llama.vocab_size key
        Assert.Null(h.SlidingWindow);
        Assert.Equal(LlamaFileType.MostlyQ4_K_M, h.FileType);
        Assert.Equal("Q4_K_M", h.FileTypeName);
    }

    [Fact]
    public void AppliesLlamaCppDefaultsForOptionalKeys()
    {
        var m = new GgufMetadata();
        m.Set("general.architecture", "qwen2");
        m.Set("qwen2.context_length", 32768u);
        m.Set("qwen2.embedding_length", 896u);
        m.Set("qwen2.block_count", 24u);
        m.Set("qwen2.feed_forward_length", 4864u);
        m.Set("qwen2.attention.head_count", 14u);
        m.Set("qwen2.attention.layer_norm_rms_epsilon", 1e-6f);

        var h = ModelHyperparameters.FromMetadata(m);

        Assert.Equal(14, h.HeadCountKv);
        Assert.Equal(64, h.HeadDim);
        Assert.Equal(64, h.RopeDimensionCount);
        Assert.Equal(10000f, h.RopeFreqBase);
        Assert.Null(h.VocabSize);
        Assert.Null(h.Name);
        Assert.Null(h.FileType);
        Assert.Null(h.FileTypeName);
    }

    [Fact]
    public void ReadsGemma2HeadDimSlidingWindowAndSoftcaps()
    {
        var m = new GgufMetadata();
        m.Set("general.architecture", "gemma2");
        m.Set("gemma2.context_length", 8192u);
        m.Set("gemma2.embedding_length", 2304u);
        m.Set("gemma2.block_count", 26u);
        m.Set("gemma2.feed_forward_length", 9216u);
        m.Set("gemma2.attention.head_count", 8u);
        m.Set("gemma2.attention.head_count_kv", 4u);
        m.Set("gemma2.attention.key_length", 256u);
        m.Set("gemma2.attention.layer_norm_rms_epsilon", 1e-6f);
        m.Set("gemma2.attention.sliding_window", 4096u);
        m.Set("gemma2.attn_logit_softcapping", 50f);
        m.Set("gemma2.final_logit_softcapping", 30f);
        m.Set("gemma2.vocab_size", 256000u);

        var h = ModelHyperparameters.FromMetadata(m);

        Assert.Equal(256, h.HeadDim); // not 2304 / 8
        Assert.Equal(256, h.RopeDimensionCount);
        Assert.Equal(4096, h.SlidingWindow);
        Assert.Equal(50f, h.AttentionLogitSoftcap);
        Assert.Equal(30f, h.FinalLogitSoftcap);
        Assert.Equal(256000, h.VocabSize);
    }

    [Fact]
    public void ReadsYarnRopeScaling()
    {
        var m = LlamaMetadata();
        m.Set("llama.rope.scaling.type", "yarn");
        m.Set("llama.rope.scaling.factor", 4f);
        m.Set("llama.rope.scaling.original_context_length", 32768u);

        var h = ModelHyperparameters.FromMetadata(m);

        Assert.Equal(RopeScalingType.Yarn, h.RopeScalingType);
        Assert.Equal(4f, h.RopeScalingFactor);
        Assert.Equal(32768, h.RopeScalingOriginalContextLength);
    }

    [Fact]
    public void TreatsTheLegacyScaleLinearKeyAsLinearScaling()
    {
        var m = LlamaMetadata();
        m.Set("llama.rope.scale_linear", 2f);

        var h = ModelHyperparameters.FromMetadata(m);

        Assert.Equal(RopeScalingType.Linear, h.RopeScalingType);
        Assert.Equal(2f, h.RopeScalingFactor);
    }

    [Fact]
    public void RejectsAnUnknownRopeScalingTypeListingTheKnownOnes()
    {
        var m = LlamaMetadata();
        m.Set("llama.rope.scaling.type", "dynamic");

        var ex = Assert.Throws<ModelMetadataException>(() => ModelHyperparameters.FromMetadata(m));

        Assert.Equal("llama.rope.scaling.type", ex.Key);
        Assert.Contains("'dynamic', should be one of: none, linear, yarn, longrope", ex.Message);
    }

    [Fact]
    public void NamesTheMissingRequiredKey()
    {
        var m = LlamaMetadata();
        m.Remove("llama.block_count");

        var ex = Assert.Throws<ModelMetadataException>(() => ModelHyperparameters.FromMetadata(m));

        Assert.Equal("llama.block_count", ex.Key);
        Assert.Contains("missing required key 'llama.block_count'", ex.Message);
    }

    [Fact]
    public void RejectsAnUnsupportedArchitectureListingTheSupportedOnes()
    {
        var m = LlamaMetadata();
        m.Set("general.architecture", "mamba");

        var ex = Assert.Throws<ModelMetadataException>(() => ModelHyperparameters.FromMetadata(m));

        Assert.Equal("general.architecture", ex.Key);
        Assert.Contains("unsupported architecture 'mamba'; supported: llama, mistral, qwen2", ex.Message);
        Assert.False(ModelHyperparameters.TryFromMetadata(m, out var none));
        Assert.Null(none);
    }

    [Fact]
    public void RejectsMetadataWithoutAnArchitecture()
    {
        var ex = Assert.Throws<ModelMetadataException>(() => ModelHyperparameters.FromMetadata(new GgufMetadata()));

        Assert.Contains("missing required key 'general.architecture'", ex.Message);
    }

    [Fact]
    public void RejectsValuesOfTheWrongTypeOrRange()
    {
        var wrongType = LlamaMetadata();
        wrongType.Set("llama.context_length", "2048");
        var zero = LlamaMetadata();
        zero.Set("llama.attention.head_count", 0u);
        var badGroups = LlamaMetadata();
        badGroups.Set("llama.attention.head_count_kv", 5u);
        var badEpsilon = LlamaMetadata();
        badEpsilon.Set("llama.attention.layer_norm_rms_epsilon", -1f);

        Assert.Contains("key 'llama.context_length' is string, should be an integer", Reject(wrongType).Message);
        Assert.Contains("key 'llama.attention.head_count' is 0, should be in [1,", Reject(zero).Message);
        Assert.Contains("head_count_kv' is 5, which does not divide head_count 32", Reject(badGroups).Message);
        Assert.Contains("should be a positive finite number", Reject(badEpsilon).Message);
    }

    [Fact]
    public void AcceptsPerLayerArraysOnlyWhenEveryLayerAgrees()
    {
        var uniform = LlamaMetadata();
        uniform.Set("llama.feed_forward_length", GgufValue.Array(Enumerable.Repeat(5632u, 22).ToArray()));
        var varying = LlamaMetadata();
        varying.Set("llama.feed_forward_length", GgufValue.Array(new[] { 5632, 2816 }));

        Assert.Equal(5632, ModelHyperparameters.FromMetadata(uniform).FeedForwardLength);
        Assert.Contains("varies per layer", Reject(varying).Message);
    }

    [Theory]
    [InlineData(0u, "F32")]
    [InlineData(1u, "F16")]
    [InlineData(2u, "Q4_0")]
    [InlineData(7u, "Q8_0")]
    [InlineData(15u, "Q4_K_M")]
    [InlineData(18u, "Q6_K")]
    [InlineData(30u, "IQ4_XS")]
    [InlineData(32u, "BF16")]
    [InlineData(38u, "MXFP4_MOE")]
    [InlineData(999u, "unknown (999)")]
    public void NamesFileTypesAsLlamaCppDoes(uint fileType, string expected)
    {
        var m = LlamaMetadata();
        m.Set("general.file_type", fileType);

        Assert.Equal(expected, ModelHyperparameters.FromMetadata(m).FileTypeName);
    }

    public static TheoryData<string> Architectures => new(ModelHyperparameters.SupportedArchitectures);

    [Theory]
    [MemberData(nameof(Architectures))]
    public void RoundTripsThroughMetadataAndAGgufFile(string architecture)
    {
        var original = new ModelHyperparameters
        {
            Architecture = architecture,
            Name = $"test {architecture}",
            ContextLength = 4096,
            EmbeddingLength = 3072,
            BlockCount = 28,
            FeedForwardLength = 8192,
            HeadCount = 24,
            HeadCountKv = 8,
            HeadDim = 128,
            RmsNormEpsilon = 1e-6f,
            RopeFreqBase = 500000f,
            RopeDimensionCount = 96,
            RopeScalingType = RopeScalingType.LongRope,
            RopeScalingFactor = 32f,
            RopeScalingOriginalContextLength = 4096,
            VocabSize = 128256,
            SlidingWindow = 2048,
            AttentionLogitSoftcap = 50f,
            FinalLogitSoftcap = 30f,
            FileType = LlamaFileType.MostlyQ8_0,
        };

        var metadata = original.ToMetadata();
        using var file = GgufFile.Parse(SampleGguf.Write(metadata, []));

        Assert.Equal(original, ModelHyperparameters.FromMetadata(metadata));
        Assert.Equal(original, ModelHyperparameters.FromMetadata(file.Metadata));
        Assert.Equal(128u, file.Metadata[$"{architecture}.attention.key_length"].Value);
    }

    [Fact]
    public void RoundTripsAFactorWithoutScalingAsExplicitlyUnscaled()
    {
        var original = ModelHyperparameters.FromMetadata(LlamaMetadata()) with { RopeScalingFactor = 1f };

        var metadata = original.ToMetadata();

        Assert.Equal("none", metadata.GetString("llama.rope.scaling.type"));
        Assert.Equal(original, ModelHyperparameters.FromMetadata(metadata));
    }

    [Fact]
    public void RefusesToWriteANonPositiveCount()
    {
        var broken = ModelHyperparameters.FromMetadata(LlamaMetadata()) with { BlockCount = -1 };

        var ex = Assert.Throws<InvalidOperationException>(() => broken.ToMetadata());

        Assert.Contains("'llama.block_count' = -1", ex.Message);
    }

    private static ModelMetadataException Reject(GgufMetadata metadata) =>
        Assert.Throws<ModelMetadataException>(() => ModelHyperparameters.FromMetadata(metadata));
}
