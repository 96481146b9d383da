using Hearth.Models.Naming;
using Hearth.Models.Pull;

namespace Hearth.Models.Tests.Pull;

public sealed class GgufFileSelectorTests
{
    private static HuggingFaceRepoFile F(string path) => new(path, 10, new string('0', 40), new string('a', 64));

    private static HuggingFaceRepoReference Repo(string text) => (HuggingFaceRepoReference)ModelReference.Parse(text);

    [Fact]
    public void IgnoresProjectorsWhenFallingBackToTheOnlyGguf()
    {
        var picked = GgufFileSelector.Select([F("model-F16.gguf"), F("mmproj-model-f16.gguf"), F("README.md")], Repo("hf.co/o/r"));
        Assert.Equal("model-F16.gguf", picked.Path);
    }

    [Fact]
    public void SeveralMatchesAreAnErrorNamingThem()
    {
        var ex = Assert.Throws<FileSelectionException>(() =>
            GgufFileSelector.Select([F("a/model.Q4_K_M.gguf"), F("b/model.Q4_K_M.gguf")], Repo("hf.co/o/r")));

        Assert.Contains("several GGUF files match Q4_K_M in o/r: a/model.Q4_K_M.gguf, b/model.Q4_K_M.gguf", ex.Message);
    }

    [Fact]
    public void SplitModelsAreReportedAsUnsupported()
    {
        var ex = Assert.Throws<FileSelectionException>(() =>
            GgufFileSelector.Select([F("big-Q4_K_M-00001-of-00002.gguf"), F("big-Q4_K_M-00002-of-00002.gguf")], Repo("hf.co/o/r")));

        Assert.Contains("only has split GGUF files", ex.Message);
    }

    [Fact]
    public void ARepoWithoutGgufSaysSo()
    {
        var ex = Assert.Throws<FileSelectionException>(() => GgufFileSelector.Select([F("model.safetensors")], Repo("hf.co/o/r:Q8_0")));
        Assert.Contains("o/r has no GGUF files", ex.Message);
    }
}
