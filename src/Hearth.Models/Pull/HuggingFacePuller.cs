using Hearth.Gguf;
using Hearth.Models.Naming;
using Hearth.Models.Store;

namespace Hearth.Models.Pull;

/// <summary>
/// <c>hearth pull</c> for Hugging Face: lists the repo (tree API), picks the GGUF, downloads it resumably into
/// <c>tmp/sha256-&lt;hex&gt;.partial</c>, verifies size and sha256 against the Hub's LFS record, checks it is a GGUF,
/// then renames it into <c>blobs/</c> together with its manifest. Nothing reaches the store unless all of that passed.
/// Two pulls of the same file wait for each other on <c>tmp/sha256-&lt;hex&gt;.lock</c>; the second then finds the blob.
/// </summary>
public sealed class HuggingFacePuller
{
    private readonly ModelStore _store;
    private readonly ResumableDownloader _downloader;

    /// <param name="http">Used for every request; its handler must follow redirects (the default does), since the Hub redirects downloads to its CDN.</param>
    public HuggingFacePuller(ModelStore store, HttpClient http, HuggingFaceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(http);
        _store = store;
        options ??= HuggingFaceOptions.FromEnvironment();
        Client = new HuggingFaceClient(http, options);
        _downloader = new ResumableDownloader(http, options);
    }

    public HuggingFaceClient Client { get; }

    /// <summary>
    /// Pulls a Hugging Face reference into the store as <paramref name="name"/> (default: <c>owner/repo:&lt;quant&gt;</c>),
    /// replacing any model of that name, and returns its manifest.
    /// </summary>
    /// <exception cref="RepositoryNotFoundException">The repo does not exist or is private.</exception>
    /// <exception cref="FileSelectionException">No (or more than one) GGUF file matches; the message lists what exists.</exception>
    /// <exception cref="DigestMismatchException">The download did not verify; nothing was added.</exception>
    /// <exception cref="PullException">The Hub refused, the connection kept failing, or the file is not a GGUF.</exception>
    public async Task<ModelManifest> PullAsync(ModelReference reference, ModelName? name = null, IProgress<PullProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var (owner, repo, revision) = reference switch
        {
            HuggingFaceRepoReference r => (r.Owner, r.Repository, r.Revision),
            HuggingFaceFileReference f => (f.Owner, f.Repository, f.Revision),
            _ => throw new ArgumentException($"'{reference.Text}' is not a Hugging Face reference; pull takes 'hf.co/OWNER/REPO[:QUANT]' or 'hf:OWNER/REPO/FILE.gguf'", nameof(reference)),
        };

        progress?.Report(new PullProgress("pulling manifest"));
        var files = await Client.ListFilesAsync(owner, repo, revision, cancellationToken).ConfigureAwait(false);
        var file = reference is HuggingFaceRepoReference repoRef ? GgufFileSelector.Select(files, repoRef) : GgufFileSelector.Select(files, (HuggingFaceFileReference)reference);
        name ??= reference is HuggingFaceRepoReference rr ? rr.DefaultStoreName() : ((HuggingFaceFileReference)reference).DefaultStoreName();
        var pull = new PullTarget(owner, repo, revision, file, name);

        if (await TryReuseBlobAsync(pull, progress, cancellationToken).ConfigureAwait(false) is { } existing)
            return existing;

        Directory.CreateDirectory(_store.Paths.TempDirectory);
        var key = file.Sha256 is { } hex ? BlobDigest.FilePrefix + hex : "gitsha1-" + file.GitOid;
        var lockPath = Path.Combine(_store.Paths.TempDirectory, key + ".lock");
        var partialPath = Path.Combine(_store.Paths.TempDirectory, key + ".partial");
        ModelManifest manifest;
        using (await FileLock.AcquireAsync(lockPath, Timeout.InfiniteTimeSpan, cancellationToken,
                   () => progress?.Report(new PullProgress($"waiting for another pull of {pull.Label} to finish"))).ConfigureAwait(false))
        {
            // The pull we waited for has probably stored the blob.
            if (await TryReuseBlobAsync(pull, progress, cancellationToken).ConfigureAwait(false) is { } finished)
                return finished;

            var expected = new ResumableDownloader.Expected(pull.Label, file.Size, file.Sha256, file.Sha256 is null ? file.GitOid : null);
            var sha256 = await _downloader.DownloadAsync(() => Client.NewRequest(Client.ResolveUrl(owner, repo, revision, file.Path)),
                partialPath, expected, progress, cancellationToken).ConfigureAwait(false);
            var digest = BlobDigest.FromHex(sha256);

            string? license;
            try
            {
                license = ModelStore.ReadLicense(partialPath);
            }
            catch (GgufFormatException e)
            {
                ModelStore.TryDelete(partialPath);
                throw new PullException($"'{pull.Label}' is not a valid GGUF file (byte {e.Offset}, {e.Field}: {e.Reason})", e);
            }

            manifest = await BuildManifestAsync(pull, digest, license, cancellationToken).ConfigureAwait(false);
            progress?.Report(new PullProgress("writing manifest", file.Size, file.Size, digest));
            using var staged = ModelStore.AdoptVerified(partialPath, digest, file.Size);
            await _store.SaveManifestAsync(manifest, [staged], cancellationToken).ConfigureAwait(false);
        }
        // Only after success: a waiter that still opens the old lock file then finds the blob and stops.
        ModelStore.TryDelete(lockPath);
        progress?.Report(new PullProgress("success", file.Size, file.Size, manifest.Model.Digest));
        return manifest;
    }

    /// <summary>When the blob is already stored (another model, an earlier pull), only the manifest is written.</summary>
    private async Task<ModelManifest?> TryReuseBlobAsync(PullTarget pull, IProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        if (pull.File.Sha256 is not { } hex)
            return null;
        var digest = BlobDigest.FromHex(hex);
        string? license;
        try
        {
            license = ModelStore.ReadLicense(_store.GetBlobPath(digest));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        var manifest = await BuildManifestAsync(pull, digest, license, cancellationToken).ConfigureAwait(false);
        if (!await _store.TrySaveManifestWithExistingBlobsAsync(manifest, cancellationToken).ConfigureAwait(false))
            return null; // garbage-collected meanwhile: download it
        progress?.Report(new PullProgress($"already have {digest}", pull.File.Size, pull.File.Size, digest));
        progress?.Report(new PullProgress("success", pull.File.Size, pull.File.Size, digest));
        return manifest;
    }

    private async Task<ModelManifest> BuildManifestAsync(PullTarget pull, string digest, string? ggufLicense, CancellationToken cancellationToken)
    {
        var license = ggufLicense;
        if (license is null)
        {
            try
            {
                license = await Client.GetCardLicenseAsync(pull.Owner, pull.Repo, cancellationToken).ConfigureAwait(false);
            }
            catch (PullException)
            {
                // The licence is a courtesy field: a model card the Hub cannot serve must not fail a verified download.
            }
        }
        return new ModelManifest
        {
            Name = pull.Name,
            Model = new BlobReference(digest, pull.File.Size),
            License = license,
            Source = $"hf:{pull.Owner}/{pull.Repo}/{pull.File.Path}@{pull.Revision}",
            CreatedAt = DateTimeOffset.UtcNow,
        };
    }

    private sealed record PullTarget(string Owner, string Repo, string Revision, HuggingFaceRepoFile File, ModelName Name)
    {
        public string Label => $"{Owner}/{Repo}/{File.Path}";
    }
}
