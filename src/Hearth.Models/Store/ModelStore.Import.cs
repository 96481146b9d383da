using Hearth.Gguf;
using Hearth.Models.Naming;

namespace Hearth.Models.Store;

public sealed partial class ModelStore
{
    /// <summary>
    /// Adds a local GGUF file to the store as <paramref name="name"/> (replacing any model of that name): checks that it
    /// is a valid GGUF, copies it into <c>tmp/</c> while hashing, then renames it into <c>blobs/</c> and writes the manifest.
    /// </summary>
    /// <exception cref="GgufFormatException">The file is not a valid GGUF file; nothing is added to the store.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="ggufPath"/>.</exception>
    public async Task<ModelManifest> ImportAsync(string ggufPath, ModelName name, ImportOptions? options = null,
        IProgress<StoreProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(ggufPath);
        ArgumentNullException.ThrowIfNull(name);
        options ??= new ImportOptions();
        var source = Path.GetFullPath(ggufPath);
        if (!File.Exists(source))
            throw new FileNotFoundException($"cannot import '{source}': no such file", source);

        // Checked before staging so a non-GGUF file never enters tmp/ and, with MoveSource, stays where it was.
        progress?.Report(new StoreProgress("validating", 0, 0));
        ReadLicense(source);

        using var staged = await StageBlobAsync(source, options.MoveSource, progress, cancellationToken).ConfigureAwait(false);
        // The staged copy is what will be stored; check it too in case the source changed while it was copied.
        var license = ReadLicense(staged.TempPath);

        var manifest = new ModelManifest
        {
            Name = name,
            Model = new BlobReference(staged.Digest, staged.Size),
            Parameters = options.Parameters ?? new Dictionary<string, System.Text.Json.JsonElement>(),
            Template = options.Template,
            System = options.System,
            License = options.License ?? license,
            Source = options.Source ?? "import:" + source,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        progress?.Report(new StoreProgress("writing manifest", staged.Size, staged.Size));
        await SaveManifestAsync(manifest, [staged], cancellationToken).ConfigureAwait(false);
        progress?.Report(new StoreProgress("success", staged.Size, staged.Size));
        return manifest;
    }

    /// <summary>Opens the GGUF (header only: the file is memory-mapped, tensors are not read) and returns <c>general.license</c>.</summary>
    internal static string? ReadLicense(string path)
    {
        using var gguf = GgufFile.Open(path);
        return GgufLicense(gguf.Metadata);
    }

    /// <summary><c>general.license</c> is a string in llama.cpp's converter, but some tools write an array of strings.</summary>
    internal static string? GgufLicense(GgufMetadata metadata) =>
        metadata.GetString("general.license") ?? (metadata.GetArray<string>("general.license") is { Length: > 0 } many ? string.Join(", ", many) : null);
}
