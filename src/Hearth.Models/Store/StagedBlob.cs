namespace Hearth.Models.Store;

/// <summary>
/// A complete, hashed file waiting in the store's <c>tmp/</c> folder. <see cref="ModelStore.SaveManifestAsync"/> renames
/// it into <c>blobs/</c> under the store lock together with the manifest that references it, so garbage collection can
/// never see the blob without its manifest. Disposing an uncommitted blob deletes the temporary file.
/// </summary>
public sealed class StagedBlob : IDisposable
{
    internal StagedBlob(string tempPath, string digest, long size)
    {
        TempPath = tempPath;
        Digest = digest;
        Size = size;
    }

    /// <summary><c>sha256:&lt;hex&gt;</c> of the content.</summary>
    public string Digest { get; }

    public long Size { get; }

    /// <summary>Where the bytes wait; readable until the blob is committed or disposed.</summary>
    public string TempPath { get; }

    /// <summary>True once the blob is in <c>blobs/</c> (moved there, or found there already).</summary>
    public bool IsCommitted { get; internal set; }

    public void Dispose()
    {
        if (IsCommitted)
            return;
        try
        {
            File.Delete(TempPath);
        }
        catch (IOException)
        {
            // A leftover temp file is harmless: it is never trusted, and tmp/ is the place for such leftovers.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
