using Hearth.Models.Paths;
using Hearth.Models.Store;

namespace Hearth.Models.Tests.Fakes;

/// <summary>A model store in a fresh temporary folder, deleted on dispose.</summary>
internal sealed class TempStore : IDisposable
{
    public TempStore()
    {
        Root = Directory.CreateTempSubdirectory("hearth-store-").FullName;
        Paths = new HearthPaths(Path.Combine(Root, "home"));
        Store = new ModelStore(Paths);
    }

    public string Root { get; }
    public HearthPaths Paths { get; }
    public ModelStore Store { get; }

    /// <summary>A second, independent store object over the same folder (as another process would have).</summary>
    public ModelStore NewInstance() => new(Paths);

    public string File(string name) => System.IO.Path.Combine(Root, name);

    public string[] Blobs() => Directory.Exists(Paths.BlobsDirectory) ? Directory.GetFiles(Paths.BlobsDirectory) : [];

    public string[] Manifests() => Directory.Exists(Paths.ManifestsDirectory) ? Directory.GetFiles(Paths.ManifestsDirectory, "*", SearchOption.AllDirectories) : [];

    public string[] TempFiles() => Directory.Exists(Paths.TempDirectory) ? Directory.GetFiles(Paths.TempDirectory) : [];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
