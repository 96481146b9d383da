using Hearth.Inference.Runtime;

namespace Hearth.Inference.Tests;

[Collection(ModelCollection.Name)]
public sealed class ModelLoadTests(ModelFiles files)
{
    [Fact]
    public async Task RejectsAMissingFileNamingIt()
    {
        var path = files.TempPath("missing.gguf");
        var ex = await Assert.ThrowsAsync<ModelLoadException>(() => TestModels.LoadAsync(path));
        Assert.Equal(path, ex.Path);
        Assert.Contains("not found", ex.Message);
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public async Task RejectsAFileThatIsNotGguf()
    {
        var path = files.TempPath("notes.gguf");
        await File.WriteAllTextAsync(path, "these are not weights");
        var ex = await Assert.ThrowsAsync<ModelLoadException>(() => TestModels.LoadAsync(path));
        Assert.Contains("not a GGUF file", ex.Message);
        Assert.Contains("0x74686573", ex.Message);
    }

    [Fact]
    public async Task RejectsATruncatedGgufThatLlamaCppRefuses()
    {
        var path = files.TempPath("truncated.gguf");
        var bytes = await File.ReadAllBytesAsync(files.Tiny);
        await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 2)]);
        var ex = await Assert.ThrowsAsync<ModelLoadException>(() => TestModels.LoadAsync(path));
        Assert.Equal(path, ex.Path);
        Assert.Contains("llama.cpp refused it", ex.Message);
    }

    [Fact]
    public async Task RejectsAMissingAdapterNamingTheAdapter()
    {
        var adapter = files.TempPath("missing-adapter.gguf");
        var ex = await Assert.ThrowsAsync<ModelLoadException>(() =>
            TestModels.LoadAsync(files.Tiny, TestModels.Options with { Adapters = [new AdapterReference(adapter)] }));
        Assert.Equal(adapter, ex.Path);
        Assert.Contains("adapter file not found", ex.Message);
    }

    [Fact]
    public async Task ReportsTheLoadedShapeAndAMemoryEstimate()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        Assert.Equal(512, model.ContextSize);
        Assert.Equal(512, model.VocabularySize);
        var estimate = model.MemoryEstimate;
        Assert.Equal(new FileInfo(files.Tiny).Length, estimate.WeightsBytes);
        // 2 (K and V) x 2 layers x 512 positions x (64 / 4 heads x 2 KV heads) x 2 bytes.
        Assert.Equal(2L * 2 * 512 * 32 * 2, estimate.KvCacheBytes);
        Assert.Equal(estimate, ModelMemoryEstimate.Probe(files.Tiny, TestModels.Options));
    }

    [Fact]
    public void RejectsInvalidLoadOptionsNamingTheSetting()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ModelLoadOptions { ContextSize = 4 }.Validate());
        Assert.Contains("num_ctx must be at least 16, got 4", ex.Message);
    }
}
