using Hearth.Models.Naming;

namespace Hearth.Models.Tests.Naming;

public sealed class ModelReferenceTests
{
    [Fact]
    public void PlainNamesAreStoreReferences()
    {
        var r = Assert.IsType<StoreModelReference>(ModelReference.Parse("Owner/Model:Tag"));
        Assert.Equal("owner/model:tag", r.Name.ToString());
        Assert.Equal("Owner/Model:Tag", r.Text);
    }

    [Fact]
    public void ParsesHfFileReferencesWithSubfoldersAndRevision()
    {
        var r = Assert.IsType<HuggingFaceFileReference>(ModelReference.Parse("hf:TheBloke/TinyLlama-GGUF/sub/dir/tinyllama.Q4_K_M.gguf@refs/pr/1"));

        Assert.Equal("TheBloke", r.Owner);
        Assert.Equal("TinyLlama-GGUF", r.Repository);
        Assert.Equal("sub/dir/tinyllama.Q4_K_M.gguf", r.FilePath);
        Assert.Equal("refs/pr/1", r.Revision);
        Assert.Equal("thebloke/tinyllama-gguf:q4_k_m", r.DefaultStoreName().ToString());
    }

    [Fact]
    public void HfFileReferenceDefaultsToMainAndNamesUnlabelledFilesByStem()
    {
        var r = Assert.IsType<HuggingFaceFileReference>(ModelReference.Parse("hf:o/r/My Model.gguf"));

        Assert.Equal("main", r.Revision);
        Assert.Equal("o/r:my-model", r.DefaultStoreName().ToString());
    }

    [Theory]
    [InlineData("hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:q4_k_m", "bartowski", "Llama-3.2-1B-Instruct-GGUF", "Q4_K_M")]
    [InlineData("HF.CO/o/r", "o", "r", null)]
    [InlineData("huggingface.co/o/r:Q8_0", "o", "r", "Q8_0")]
    [InlineData("hf.co/o/r:latest", "o", "r", null)]
    public void ParsesOllamaStyleHuggingFaceReferences(string text, string owner, string repo, string? quant)
    {
        var r = Assert.IsType<HuggingFaceRepoReference>(ModelReference.Parse(text));

        Assert.Equal(owner, r.Owner);
        Assert.Equal(repo, r.Repository);
        Assert.Equal(quant, r.Quantization);
    }

    [Fact]
    public void RepoReferencesGetOwnerRepoAndQuantAsTheirStoreName()
    {
        Assert.Equal("o/r:q8_0", ((HuggingFaceRepoReference)ModelReference.Parse("hf.co/O/R:Q8_0")).DefaultStoreName().ToString());
        Assert.Equal("o/r:latest", ((HuggingFaceRepoReference)ModelReference.Parse("hf.co/o/r")).DefaultStoreName().ToString());
    }

    [Fact]
    public void ParsesRegistryAliases()
    {
        var r = Assert.IsType<RegistryReference>(ModelReference.Parse("models:/support-bot@champion"));
        Assert.Equal("support-bot", r.Name);
        Assert.Equal("champion", r.Alias);
    }

    [Theory]
    [InlineData("hf:owner/repo", "needs an owner, a repo and a file path")]
    [InlineData("hf:owner/repo/model.bin", "is not a .gguf file")]
    [InlineData("hf:owner/repo/../x.gguf", "invalid segment '..'")]
    [InlineData("hf:owner/repo/a\\b.gguf", "invalid segment")]
    [InlineData("hf:-bad/repo/x.gguf", "the owner '-bad' is not a valid Hugging Face name")]
    [InlineData("hf:o/r/x.gguf@", "the revision '' is not a valid branch, tag or commit")]
    [InlineData("hf.co/only-owner", "exactly an owner and a repo")]
    [InlineData("hf.co/o/r/extra", "exactly an owner and a repo")]
    [InlineData("hf.co/o/r:Q4 K", "is not a quantization label")]
    [InlineData("models:/nameonly", "look like 'models:/NAME@ALIAS'")]
    [InlineData("https://example.com/model.gguf", "unknown model reference")]
    [InlineData("s3:bucket/key", "unknown model reference")]
    [InlineData("", "model reference is empty")]
    public void UnknownOrMalformedFormsGetAClearError(string text, string expected)
    {
        var ex = Assert.Throws<InvalidModelNameException>(() => ModelReference.Parse(text));
        Assert.Contains(expected, ex.Message);
    }

    [Theory]
    [InlineData("model.Q4_K_M.gguf", "Q4_K_M")]
    [InlineData("Llama-3.2-1B-Instruct-q8_0.gguf", "Q8_0")]
    [InlineData("qwen2.5-0.5b-instruct-iq3_xxs.gguf", "IQ3_XXS")]
    [InlineData("phi-3-mini-4k-instruct-f16.gguf", "F16")]
    [InlineData("Q4-model-Q5_K_S.gguf", "Q5_K_S")]
    [InlineData("model.gguf", null)]
    public void FindsTheQuantizationLabelInAFileName(string file, string? label) =>
        Assert.Equal(label, QuantizationLabel.Find(file));

    [Fact]
    public void ALabelMatchesOnlyAsAWholeToken()
    {
        Assert.False(QuantizationLabel.Matches("model.Q4_K_M.gguf", "Q4_K"));
        Assert.True(QuantizationLabel.Matches("model.Q4_K_M.gguf", "q4_k_m"));
    }
}
