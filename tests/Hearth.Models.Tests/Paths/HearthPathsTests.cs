using Hearth.Models.Paths;

namespace Hearth.Models.Tests.Paths;

public sealed class HearthPathsTests
{
    [Fact]
    public void LaysTheStoreOutUnderHomeModels()
    {
        var home = Path.Combine(Path.GetTempPath(), "hearth-home");
        var paths = new HearthPaths(home);

        Assert.Equal(Path.Combine(home, "models"), paths.ModelsDirectory);
        Assert.Equal(Path.Combine(home, "models", "blobs"), paths.BlobsDirectory);
        Assert.Equal(Path.Combine(home, "models", "manifests"), paths.ManifestsDirectory);
        Assert.Equal(Path.Combine(home, "models", "tmp"), paths.TempDirectory);
    }

    [Fact]
    public void ASeparateModelsFolderKeepsTmpBesideItsBlobs()
    {
        var models = Path.Combine(Path.GetTempPath(), "elsewhere");
        var paths = new HearthPaths(Path.Combine(Path.GetTempPath(), "home"), models);

        Assert.Equal(models, paths.ModelsDirectory);
        Assert.Equal(Path.GetDirectoryName(paths.BlobsDirectory), Path.GetDirectoryName(paths.TempDirectory));
    }

    [Fact]
    public void RejectsAnEmptyHome() => Assert.ThrowsAny<ArgumentException>(() => new HearthPaths(" "));
}
