using System.Security.Cryptography;
using Hearth.Models.Naming;

namespace Hearth.Models.Store;

public sealed partial class ModelStore
{
    private const int CopyBufferSize = 1 << 20;

    /// <summary>
    /// Copies (or, with <paramref name="moveSource"/>, moves) a file into <c>tmp/</c> and hashes it, ready for
    /// <see cref="SaveManifestAsync"/>. Dispose the result if it is not committed.
    /// </summary>
    public async Task<StagedBlob> StageBlobAsync(string path, bool moveSource = false, IProgress<StoreProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var source = Path.GetFullPath(path);
        if (!File.Exists(source))
            throw new FileNotFoundException($"file '{source}' does not exist", source);
        Directory.CreateDirectory(Paths.TempDirectory);
        var temp = NewTempPath("stage");
        var total = new FileInfo(source).Length;
        try
        {
            string digest;
            if (moveSource)
            {
                File.Move(source, temp);
                digest = await BlobDigest.ComputeAsync(temp, Report(progress, "hashing", total), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                digest = await CopyHashingAsync(source, temp, total, progress, cancellationToken).ConfigureAwait(false);
            }
            return new StagedBlob(temp, digest, new FileInfo(temp).Length);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// Writes <paramref name="manifest"/> (replacing any manifest of the same name), first moving <paramref name="blobs"/>
    /// into <c>blobs/</c>. Every blob the manifest references must be staged here or already be in the store.
    /// </summary>
    public async Task SaveManifestAsync(ModelManifest manifest, IReadOnlyList<StagedBlob>? blobs = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        blobs ??= [];
        var referenced = manifest.BlobDigests.ToHashSet(StringComparer.Ordinal);
        foreach (var digest in referenced)
            if (!BlobDigest.IsValid(digest))
                throw new ArgumentException($"manifest for '{manifest.Name}' has an invalid digest '{digest}'", nameof(manifest));
        foreach (var b in blobs)
            if (!referenced.Contains(b.Digest))
                throw new ArgumentException($"staged blob {b.Digest} is not referenced by the manifest for '{manifest.Name}', so it would be garbage at once", nameof(blobs));

        using var storeLock = await LockAsync(cancellationToken).ConfigureAwait(false);
        CommitLocked(manifest, blobs);
    }

    /// <summary>Gives <paramref name="source"/>'s manifest a second name (like <c>ollama cp</c>); blobs are shared, not copied.</summary>
    public async Task<ModelManifest> CopyAsync(ModelName source, ModelName destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        using var storeLock = await LockAsync(cancellationToken).ConfigureAwait(false);
        var copy = Get(source) with { Name = destination };
        CommitLocked(copy, []);
        return copy;
    }

    /// <summary>Removes the manifest of <paramref name="name"/>, then deletes blobs no manifest references any more.</summary>
    /// <exception cref="ModelNotFoundException">No such model.</exception>
    public async Task<GarbageCollectionResult> RemoveAsync(ModelName name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        using var storeLock = await LockAsync(cancellationToken).ConfigureAwait(false);
        var path = ManifestPath(name);
        if (!File.Exists(path))
            throw NotFound(name);
        File.Delete(path);
        DeleteEmptyManifestFolders(Path.GetDirectoryName(path)!);
        return CollectGarbageLocked();
    }

    /// <summary>Deletes blobs no manifest references (what <see cref="RemoveAsync"/> does after each removal).</summary>
    public async Task<GarbageCollectionResult> CollectGarbageAsync(CancellationToken cancellationToken = default)
    {
        using var storeLock = await LockAsync(cancellationToken).ConfigureAwait(false);
        return CollectGarbageLocked();
    }

    /// <summary>Writes the manifest only if every blob it needs is already in the store (checked under the lock, so GC cannot race it).</summary>
    internal async Task<bool> TrySaveManifestWithExistingBlobsAsync(ModelManifest manifest, CancellationToken cancellationToken)
    {
        using var storeLock = await LockAsync(cancellationToken).ConfigureAwait(false);
        if (!manifest.BlobDigests.All(HasBlob))
            return false;
        CommitLocked(manifest, []);
        return true;
    }

    internal Task<FileLock> LockAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Paths.ModelsDirectory);
        return FileLock.AcquireAsync(Paths.StoreLockPath, LockTimeout, cancellationToken);
    }

    internal string NewTempPath(string kind) => Path.Combine(Paths.TempDirectory, $"{kind}-{Guid.NewGuid():N}.tmp");

    /// <summary>Adopts a file in <c>tmp/</c> whose digest the caller has already verified (the puller's finished download).</summary>
    internal static StagedBlob AdoptVerified(string tempPath, string digest, long size) => new(tempPath, digest, size);

    /// <summary>Moves staged blobs into place and writes the manifest. Caller holds the store lock.</summary>
    private void CommitLocked(ModelManifest manifest, IReadOnlyList<StagedBlob> blobs)
    {
        Directory.CreateDirectory(Paths.BlobsDirectory);
        foreach (var blob in blobs)
        {
            var target = GetBlobPath(blob.Digest);
            if (File.Exists(target))
                TryDelete(blob.TempPath); // same content is already there: content addressing makes this a no-op
            else
                File.Move(blob.TempPath, target);
            blob.IsCommitted = true;
        }

        foreach (var digest in manifest.BlobDigests)
            if (!HasBlob(digest))
                throw new ModelStoreException($"manifest for '{manifest.Name}' references blob {digest}, which is not in the store; stage it with StageBlobAsync and pass it to SaveManifestAsync");

        var path = ManifestPath(manifest.Name);
        var replaced = TryReadForReplace(path, manifest.Name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Directory.CreateDirectory(Paths.TempDirectory);
        var temp = NewTempPath("manifest");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                file.Write(ManifestJson.Serialize(manifest));
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        // Like Ollama, overwriting a name frees the blobs only the old manifest used.
        if (replaced is not null && replaced.BlobDigests.Except(manifest.BlobDigests).Any())
            CollectGarbageLocked();
    }

    /// <summary>The manifest about to be replaced, or null (none, or unreadable: then it cannot tell us what it used).</summary>
    private static ModelManifest? TryReadForReplace(string path, ModelName name)
    {
        try
        {
            return ReadManifest(path, name);
        }
        catch (ManifestFormatException)
        {
            return null;
        }
    }

    /// <summary>Caller holds the store lock, so no manifest can appear between reading the references and deleting.</summary>
    private GarbageCollectionResult CollectGarbageLocked()
    {
        if (!Directory.Exists(Paths.BlobsDirectory))
            return new([], DeleteStaleTempFiles());
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, path) in EnumerateManifestFiles())
        {
            try
            {
                if (ReadManifest(path, name) is { } m)
                    referenced.UnionWith(m.BlobDigests);
            }
            catch (ManifestFormatException e)
            {
                // We cannot know what a damaged manifest refers to; deleting anything could destroy its model.
                return new([], 0, $"blobs were kept because a manifest could not be read: {e.Message}");
            }
        }

        var deleted = new List<string>();
        long freed = 0;
        foreach (var file in Directory.EnumerateFiles(Paths.BlobsDirectory))
        {
            if (BlobDigest.FromFileName(Path.GetFileName(file)) is not { } digest || referenced.Contains(digest))
                continue;
            var size = new FileInfo(file).Length;
            File.Delete(file);
            deleted.Add(digest);
            freed += size;
        }
        freed += DeleteStaleTempFiles();
        return new(deleted, freed);
    }

    /// <summary>How old a leftover in <c>tmp/</c> must be before garbage collection may delete it.</summary>
    public static readonly TimeSpan StaleTempAge = TimeSpan.FromHours(1);

    /// <summary>
    /// Deletes what killed processes left in <c>tmp/</c> (staged imports, half-made models, manifest temps) once it is
    /// older than <see cref="StaleTempAge"/> and no process holds it open. Partial downloads and their lock files stay:
    /// the next pull of the same file resumes from them.
    /// </summary>
    private long DeleteStaleTempFiles()
    {
        if (!Directory.Exists(Paths.TempDirectory))
            return 0;
        long freed = 0;
        var cutoff = DateTime.UtcNow - StaleTempAge;
        foreach (var file in Directory.EnumerateFiles(Paths.TempDirectory))
        {
            if (file.EndsWith(".partial", StringComparison.Ordinal) || file.EndsWith(".lock", StringComparison.Ordinal) ||
                File.GetLastWriteTimeUtc(file) > cutoff)
                continue;
            try
            {
                long size;
                // Opening with FileShare.None fails while a live process still writes it (.NET locks files on Unix too).
                using (var probe = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                    size = probe.Length;
                File.Delete(file);
                freed += size;
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return freed;
    }

    private void DeleteEmptyManifestFolders(string folder)
    {
        var root = Paths.ManifestsDirectory;
        while (folder.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && Directory.Exists(folder)
               && !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.Delete(folder);
            folder = Path.GetDirectoryName(folder)!;
        }
    }

    private static async Task<string> CopyHashingAsync(string source, string target, long total, IProgress<StoreProgress>? progress, CancellationToken cancellationToken)
    {
        await using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyBufferSize, FileOptions.Asynchronous);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[CopyBufferSize];
        long done = 0;
        int read;
        while ((read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            done += read;
            progress?.Report(new StoreProgress("copying", done, total));
        }
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        output.Flush(flushToDisk: true);
        return BlobDigest.FromHash(hash.GetHashAndReset());
    }

    private static IProgress<long>? Report(IProgress<StoreProgress>? progress, string status, long total) =>
        progress is null ? null : new InlineProgress<long>(done => progress.Report(new StoreProgress(status, done, total)));

    internal static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
