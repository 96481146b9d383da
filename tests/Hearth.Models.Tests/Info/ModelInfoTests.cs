using Hearth.Gguf;
using Hearth.Models.Info;
using Hearth.Models.Naming;
using Hearth.Models.Store;
using Hearth.Models.Tests.Fakes;

namespace Hearth.Models.Tests.Info;

public sealed class ModelInfoTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task DescribesShapeQuantizationTemplateAndLicenceFromTheHeader()
    {
        var path = _temp.File("m.gguf");
        File.WriteAllBytes(path, TestGguf.Bytes(seed: 1, fileType: 15, chatTemplate: "{% for m in messages %}<|im_start|>{{ m.role }}{% endfor %}"));
        var manifest = await _temp.Store.ImportAsync(path, ModelName.Parse("chat"), new ImportOptions { System = "hi" });

        var info = ModelInfo.Load(_temp.Store, ModelName.Parse("chat"));

        Assert.Equal("llama", info.Architecture);
        Assert.Equal(1024, info.ParameterCount);
        Assert.Equal("Q4_K_M", info.Quantization);
        Assert.Equal(256, info.ContextLength);
        Assert.Equal(32, info.EmbeddingLength);
        Assert.Equal(2, info.BlockCount);
        Assert.Equal(4, info.HeadCount);
        Assert.Equal(2, info.HeadCountKv);
        Assert.Equal("gguf", info.ChatTemplateOrigin);
        Assert.Equal("chatml", info.ChatTemplateFamilyName);
        Assert.Equal("apache-2.0", info.License);
        Assert.Equal("hi", info.System);
        Assert.Equal(manifest.Model.Digest, info.Digest);
        Assert.Equal(new FileInfo(path).Length, info.Size);
        Assert.Equal(3u, info.GgufVersion);
    }

    [Fact]
    public async Task ManifestTemplateOverridesTheGgufAndDominantTensorTypeStandsInForFileType()
    {
        var path = _temp.File("m.gguf");
        File.WriteAllBytes(path, TestGguf.Bytes(seed: 2, fileType: null));
        await _temp.Store.ImportAsync(path, ModelName.Parse("plain"), new ImportOptions { Template = "<|start_header_id|>user" });

        var info = ModelInfo.Load(_temp.Store, ModelName.Parse("plain"));

        Assert.Equal("F32", info.Quantization);
        Assert.Equal("manifest", info.ChatTemplateOrigin);
        Assert.Equal("llama3", info.ChatTemplateFamilyName);
    }

    [Fact]
    public void DominantTypeIgnoresNormVectors()
    {
        var tensors = new[]
        {
            new GgufTensorInfo("norm", [4096], GgmlType.F32, 0),
            new GgufTensorInfo("w", [32, 2], GgmlType.Q8_0, 0),
        };
        Assert.Equal("Q8_0", ModelInfo.DominantTensorType(tensors));
    }

    [Fact]
    public void UnknownModelIsNotFound() =>
        Assert.Throws<ModelNotFoundException>(() => ModelInfo.Load(_temp.Store, ModelName.Parse("missing")));
}
