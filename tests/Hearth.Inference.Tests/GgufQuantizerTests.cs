using Hearth.Inference.Generation;
using Hearth.Inference.Quantization;
using Hearth.Inference.Runtime;
using Hearth.Inference.Sampling;
using Hearth.Models.Factory;

namespace Hearth.Inference.Tests;

[Collection(ModelCollection.Name)]
public sealed class GgufQuantizerTests(ModelFiles files)
{
    [Theory]
    [InlineData("q8_0")]
    [InlineData("Q4_0")]
    public async Task QuantizedModelsLoadAndGenerate(string type)
    {
        // F16 source, as 'hearth create' makes for real use.
        var source = files.TempPath($"f16-{type}.gguf");
        await ModelFactory.CreateAsync(ModelSpec.Preset("tiny") with { Seed = 3, WeightType = Hearth.Gguf.GgmlType.F16 }, source);
        var target = files.TempPath($"tiny-{type}.gguf");
        var reported = new List<double>();
        await GgufQuantizer.QuantizeAsync(source, target, type, new SyncProgress(reported.Add));

        Assert.Equal([0.0, 1.0], reported);
        Assert.True(new FileInfo(target).Length < new FileInfo(source).Length);
        Assert.Empty(Directory.GetFiles(files.Folder, "*.tmp"));
        using var model = await TestModels.LoadAsync(target);
        Assert.Contains(type.ToUpperInvariant(), model.Description);
        var result = await model.GenerateAsync(Prompt.Raw("hello"), SamplingOptions.Greedy with { MaxTokens = 8, IgnoreEos = true });
        Assert.Equal(8, result.Stats.CompletionTokens);
        Assert.NotEmpty(result.Text);
    }

    [Fact]
    public async Task UnknownTypeListsTheValidNames()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() =>
            GgufQuantizer.QuantizeAsync(files.Tiny, files.TempPath("never.gguf"), "q9_9"));
        Assert.Contains("unknown quantization type 'q9_9'", ex.Message);
        Assert.Contains("q4_k_m", ex.Message);
        Assert.False(File.Exists(files.TempPath("never.gguf")));
    }

    [Fact]
    public async Task MissingSourceIsAModelLoadException()
    {
        var missing = files.TempPath("no-source.gguf");
        var ex = await Assert.ThrowsAsync<ModelLoadException>(() => GgufQuantizer.QuantizeAsync(missing, files.TempPath("out.gguf"), "q8_0"));
        Assert.Equal(missing, ex.Path);
    }

    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
