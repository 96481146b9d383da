using System.Text;
using Hearth.Gguf;
using Hearth.Models.Factory;
using LLama;
using LLama.Common;
using LLama.Native;

namespace Hearth.Models.Tests.Factory;

public sealed class ModelFactoryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hearth-factory-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<string> CreateAsync(ModelSpec spec, string file = "m.gguf")
    {
        var path = Path.Combine(_dir, file);
        await ModelFactory.CreateAsync(spec, path);
        return path;
    }

    [Fact]
    public async Task LlamaCppLoadsTinyModelWithExpectedShape()
    {
        var path = await CreateAsync(ModelSpec.Preset("tiny") with { Seed = 1 });
        using var weights = LLamaWeights.LoadFromFile(new ModelParams(path) { ContextSize = 128, GpuLayerCount = 0 });
        Assert.Equal(512, weights.Vocab.Count);
        Assert.Equal(64, weights.EmbeddingSize);
        Assert.Equal(2, weights.NativeHandle.LayerCount);
        Assert.Equal(512, weights.ContextSize);
        Assert.Equal(ModelSpec.Preset("tiny").ParameterCount, (long)weights.ParameterCount);
    }

    [Theory]
    [InlineData("hello world")]
    [InlineData("Ünïcödé — 日本語 🙂 tabs\tand   runs of   spaces\n\nnew lines")]
    [InlineData("<|im_start|>user\nhi<|im_end|>\n")]
    public async Task LlamaCppTokenizesAnyTextAndDecodesItBack(string text)
    {
        var path = await CreateAsync(ModelSpec.Preset("tiny"));
        using var weights = LLamaWeights.LoadFromFile(new ModelParams(path) { ContextSize = 128, GpuLayerCount = 0 });
        var tokens = weights.Tokenize(text, add_bos: false, special: true, Encoding.UTF8);
        Assert.NotEmpty(tokens);
        var decoder = new StreamingTokenDecoder(Encoding.UTF8, weights) { DecodeSpecialTokens = true };
        decoder.AddRange(tokens);
        Assert.Equal(text, decoder.Read());
    }

    [Fact]
    public async Task ChatMarkersTokenizeAsSingleControlTokens()
    {
        var path = await CreateAsync(ModelSpec.Preset("tiny"));
        using var weights = LLamaWeights.LoadFromFile(new ModelParams(path) { ContextSize = 128, GpuLayerCount = 0 });
        var tokens = weights.Tokenize("<|im_start|>user", add_bos: false, special: true, Encoding.UTF8);
        Assert.Equal(SpmVocabulary.ImStartId, (int)tokens[0]);
        Assert.Equal(SpmVocabulary.ImEndId, (int)weights.Vocab.EOS!.Value);
    }

    [Fact]
    public async Task CommonWordsBecomeSingleTokens()
    {
        var path = await CreateAsync(ModelSpec.Preset("small"));
        using var weights = LLamaWeights.LoadFromFile(new ModelParams(path) { ContextSize = 128, GpuLayerCount = 0 });
        var tokens = weights.Tokenize(" the model", add_bos: false, special: false, Encoding.UTF8);
        Assert.Equal(2, tokens.Length);
    }

    [Fact]
    public async Task SameSeedGivesIdenticalFilesAndOtherSeedsDiffer()
    {
        var a = await CreateAsync(ModelSpec.Preset("tiny") with { Seed = 7 }, "a.gguf");
        var b = await CreateAsync(ModelSpec.Preset("tiny") with { Seed = 7 }, "b.gguf");
        var c = await CreateAsync(ModelSpec.Preset("tiny") with { Seed = 8 }, "c.gguf");
        Assert.Equal(await File.ReadAllBytesAsync(a), await File.ReadAllBytesAsync(b));
        Assert.NotEqual(await File.ReadAllBytesAsync(a), await File.ReadAllBytesAsync(c));
    }

    [Fact]
    public async Task LlamaCppGeneratesFromTheModel()
    {
        var path = await CreateAsync(ModelSpec.Preset("tiny") with { Seed = 5 });
        var p = new ModelParams(path) { ContextSize = 128, GpuLayerCount = 0 };
        using var weights = LLamaWeights.LoadFromFile(p);
        using var context = weights.CreateContext(p);
        var tokens = weights.Tokenize("hello", add_bos: true, special: false, Encoding.UTF8);
        var batch = new LLamaBatch();
        for (var i = 0; i < tokens.Length; i++)
            batch.Add(tokens[i], i, LLamaSeqId.Zero, i == tokens.Length - 1);
        Assert.Equal(DecodeResult.Ok, await context.DecodeAsync(batch));
        var logits = context.NativeHandle.GetLogitsIth(batch.TokenCount - 1);
        Assert.Equal(512, logits.Length);
        Assert.All(logits.ToArray(), v => Assert.True(float.IsFinite(v)));
        Assert.True(logits.ToArray().Distinct().Count() > 100, "random weights give varied logits");
    }

    [Theory]
    [InlineData(GgmlType.F16)]
    [InlineData(GgmlType.BF16)]
    [InlineData(GgmlType.Q8_0)]
    public async Task EveryWeightTypeTheFactoryWritesLoadsAndDecodesInLlamaCpp(GgmlType type)
    {
        var path = await CreateAsync(ModelSpec.Preset("tiny") with { WeightType = type, Seed = 2 });
        var p = new ModelParams(path) { ContextSize = 64, GpuLayerCount = 0 };
        using var weights = LLamaWeights.LoadFromFile(p);
        using var context = weights.CreateContext(p);
        var batch = new LLamaBatch();
        batch.Add(weights.Vocab.BOS!.Value, 0, LLamaSeqId.Zero, true);
        Assert.Equal(DecodeResult.Ok, await context.DecodeAsync(batch));
        Assert.All(context.NativeHandle.GetLogitsIth(0).ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [InlineData(nameof(ModelSpec.Heads), 5, "divisible by heads")]
    [InlineData(nameof(ModelSpec.KvHeads), 3, "divisible by kv-heads")]
    [InlineData(nameof(ModelSpec.Vocab), 100, "vocab must be between")]
    [InlineData(nameof(ModelSpec.Layers), 0, "layers must be between")]
    public void InvalidShapesAreRejectedNamingTheField(string field, int value, string expected)
    {
        var spec = field switch
        {
            nameof(ModelSpec.Heads) => ModelSpec.Preset("tiny") with { Heads = value },
            nameof(ModelSpec.KvHeads) => ModelSpec.Preset("tiny") with { KvHeads = value },
            nameof(ModelSpec.Vocab) => ModelSpec.Preset("tiny") with { Vocab = value },
            _ => ModelSpec.Preset("tiny") with { Layers = value },
        };
        var ex = Assert.Throws<ArgumentException>(spec.Validate);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void UnknownPresetListsTheKnownOnes()
    {
        var ex = Assert.Throws<ArgumentException>(() => ModelSpec.Preset("huge"));
        Assert.Contains("'huge'", ex.Message);
        Assert.Contains("tinyllama-1.1b", ex.Message);
    }

    [Fact]
    public async Task CancelledCreationLeavesNoFile()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var path = Path.Combine(_dir, "never.gguf");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ModelFactory.CreateAsync(ModelSpec.Preset("small"), path, null, cts.Token));
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void TinyLlamaPresetHasTinyLlamaShape()
    {
        var spec = ModelSpec.Preset("tinyllama-1.1b");
        Assert.InRange(spec.ParameterCount, 1_090_000_000, 1_110_000_000); // TinyLlama-1.1B: 1,100,048,384
        Assert.Equal(GgmlType.F16, spec.WeightType);
    }
}
