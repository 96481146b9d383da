namespace Hearth.Models.Paths;

/// <summary>
/// Where Hearth keeps its files. <c>HEARTH_HOME</c> (default <c>~/.hearth</c>) is the root; the model store lives in
/// <c>HEARTH_HOME/models</c> unless <c>HEARTH_MODELS</c> names another folder. The store layout mirrors Ollama's
/// (docs/formats.md, "Model store"): <c>blobs/sha256-&lt;hex&gt;</c>, <c>manifests/&lt;name&gt;/&lt;tag&gt;.json</c>,
/// and <c>tmp/</c> for partial downloads and imports — inside the store so a finished file is renamed, never copied,
/// into <c>blobs/</c> (a rename on one filesystem is atomic).
/// </summary>
public sealed class HearthPaths
{
    public const string HomeVariable = "HEARTH_HOME";
    public const string ModelsVariable = "HEARTH_MODELS";

    /// <param name="home">The Hearth root folder.</param>
    /// <param name="modelsDirectory">The model store folder; default <c>home/models</c>.</param>
    public HearthPaths(string home, string? modelsDirectory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(home);
        Home = Path.GetFullPath(home);
        ModelsDirectory = Path.GetFullPath(string.IsNullOrWhiteSpace(modelsDirectory) ? Path.Combine(Home, "models") : modelsDirectory);
    }

    public string Home { get; }

    public string ModelsDirectory { get; }

    /// <summary>Content-addressed files, named <c>sha256-&lt;hex&gt;</c>.</summary>
    public string BlobsDirectory => Path.Combine(ModelsDirectory, "blobs");

    /// <summary>One JSON manifest per <c>name:tag</c>.</summary>
    public string ManifestsDirectory => Path.Combine(ModelsDirectory, "manifests");

    /// <summary>Partial downloads and staged imports; same filesystem as <see cref="BlobsDirectory"/>.</summary>
    public string TempDirectory => Path.Combine(ModelsDirectory, "tmp");

    /// <summary>The lock file every manifest change and garbage collection holds.</summary>
    public string StoreLockPath => Path.Combine(ModelsDirectory, ".lock");

    /// <summary>Reads <c>HEARTH_HOME</c> and <c>HEARTH_MODELS</c> (empty counts as unset).</summary>
    public static HearthPaths FromEnvironment()
    {
        var home = Environment.GetEnvironmentVariable(HomeVariable);
        if (string.IsNullOrWhiteSpace(home))
            home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".hearth");
        return new HearthPaths(home, Environment.GetEnvironmentVariable(ModelsVariable));
    }

    public override string ToString() => ModelsDirectory;
}
