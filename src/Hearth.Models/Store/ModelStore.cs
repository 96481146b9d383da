using System.Diagnostics.CodeAnalysis;
using Hearth.Models.Naming;
using Hearth.Models.Paths;

namespace Hearth.Models.Store;

/// <summary>
/// The local model store: content-addressed blobs plus one manifest per <c>name:tag</c>, laid out like Ollama's
/// (docs/formats.md, "Model store"). Thread- and process-safe: readers need no lock because every file appears by
/// atomic rename, and every change to manifests or blobs happens under one cross-process <see cref="FileLock"/>.
/// </summary>
public sealed partial class ModelStore
{
    public ModelStore(HearthPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        Paths = paths;
    }

    public HearthPaths Paths { get; }

    /// <summary>How long a change waits for another process's change to finish. Default 60 s.</summary>
    public TimeSpan LockTimeout
    {
        get;
        set => field = value > TimeSpan.Zero || value == Timeout.InfiniteTimeSpan
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "the lock timeout must be positive or infinite");
    } = TimeSpan.FromSeconds(60);

    /// <summary>The manifest of <paramref name="name"/>.</summary>
    /// <exception cref="ModelNotFoundException">No such model; the message suggests close names.</exception>
    /// <exception cref="ManifestFormatException">The manifest file is damaged or from a newer Hearth.</exception>
    public ModelManifest Get(ModelName name) =>
        TryGet(name, out var manifest) ? manifest : throw NotFound(name);

    public bool TryGet(ModelName name, [NotNullWhen(true)] out ModelManifest? manifest)
    {
        ArgumentNullException.ThrowIfNull(name);
        manifest = ReadManifest(ManifestPath(name), name);
        return manifest is not null;
    }

    public bool Contains(ModelName name) => File.Exists(ManifestPath(name));

    /// <summary>Path of the base GGUF blob of <paramref name="name"/>.</summary>
    /// <exception cref="ModelStoreException">The manifest exists but its blob is gone (the store was damaged).</exception>
    public string GetModelPath(ModelName name) => GetModelPath(Get(name));

    /// <summary>Path of the base GGUF blob of a manifest already read (saves reading it twice on a request's hot path).</summary>
    public string GetModelPath(ModelManifest manifest)
    {
        var path = GetBlobPath(manifest.Model.Digest);
        if (!File.Exists(path))
            throw new ModelStoreException($"model '{manifest.Name}' refers to blob {manifest.Model.Digest}, which is missing from '{Paths.BlobsDirectory}'; remove the model and pull or import it again");
        return path;
    }

    /// <summary>Where the blob with <paramref name="digest"/> lives (whether or not it exists).</summary>
    public string GetBlobPath(string digest) => Path.Combine(Paths.BlobsDirectory, BlobDigest.FileName(digest));

    public bool HasBlob(string digest) => File.Exists(GetBlobPath(digest));

    /// <summary>Every model, sorted by name. Unreadable manifests are listed with <see cref="ModelListEntry.Problem"/> set.</summary>
    public IReadOnlyList<ModelListEntry> List()
    {
        var entries = new List<ModelListEntry>();
        foreach (var (name, path) in EnumerateManifestFiles())
        {
            var modified = new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
            try
            {
                if (ReadManifest(path, name) is { } m)
                    entries.Add(new ModelListEntry(name, m.Model.Digest, m.TotalSize, modified));
            }
            catch (ManifestFormatException e)
            {
                entries.Add(new ModelListEntry(name, "", 0, modified, e.Message));
            }
        }
        return entries.OrderBy(e => e.Name.ToString(), StringComparer.Ordinal).ToList();
    }

    /// <summary>The manifest file of <paramref name="name"/>: <c>manifests/[namespace/]model/tag.json</c>.</summary>
    public string ManifestPath(ModelName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var path = name.Namespace is null
            ? Path.Combine(Paths.ManifestsDirectory, name.Model, name.Tag + ".json")
            : Path.Combine(Paths.ManifestsDirectory, name.Namespace, name.Model, name.Tag + ".json");
        // ModelName's rules already keep names inside the store; this guards against a future change to those rules.
        var full = Path.GetFullPath(path);
        if (!full.StartsWith(Paths.ManifestsDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InvalidModelNameException(name.ToString(), $"model name '{name}' resolves outside the store");
        return full;
    }

    private ModelNotFoundException NotFound(ModelName name) =>
        new(name, NameSuggestions.Find(name, EnumerateManifestFiles().Select(m => m.Name)));

    /// <summary>Reads a manifest; null when the file does not exist. The path decides the name (a copied file keeps its path's name).</summary>
    private static ModelManifest? ReadManifest(string path, ModelName name)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        var manifest = ManifestJson.Deserialize(bytes, path);
        return manifest.Name == name ? manifest : manifest with { Name = name };
    }

    /// <summary>Manifest files at <c>model/tag.json</c> and <c>namespace/model/tag.json</c>; anything else is not ours and is skipped.</summary>
    private IEnumerable<(ModelName Name, string Path)> EnumerateManifestFiles()
    {
        var root = Paths.ManifestsDirectory;
        if (!Directory.Exists(root))
            yield break;
        var options = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 2, IgnoreInaccessible = true };
        foreach (var file in Directory.EnumerateFiles(root, "*.json", options))
        {
            var parts = Path.GetRelativePath(root, file).Split(Path.DirectorySeparatorChar);
            var tag = Path.GetFileNameWithoutExtension(parts[^1]);
            var text = parts.Length switch
            {
                2 => $"{parts[0]}:{tag}",
                3 => $"{parts[0]}/{parts[1]}:{tag}",
                _ => null,
            };
            // Only names that round-trip to the same path are ours (this also skips upper-case strays on case-sensitive disks).
            if (text is not null && ModelName.TryParse(text, out var name) && name.ToString() == text)
                yield return (name, file);
        }
    }
}
