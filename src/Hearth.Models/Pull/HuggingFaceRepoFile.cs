namespace Hearth.Models.Pull;

/// <summary>
/// A file entry of the Hub's tree API (<c>GET /api/models/{owner}/{repo}/tree/{revision}?recursive=true</c>).
/// LFS files carry the sha256 of their content (<c>lfs.oid</c>); small files only their git blob id.
/// </summary>
/// <param name="Path">Path inside the repo, '/'-separated.</param>
/// <param name="Size">Content size in bytes (the LFS size for LFS files).</param>
/// <param name="GitOid">The git blob sha1 (<c>oid</c>).</param>
/// <param name="Sha256">Lowercase hex sha256 of the content (<c>lfs.oid</c>), or null for files not in LFS.</param>
public sealed record HuggingFaceRepoFile(string Path, long Size, string GitOid, string? Sha256)
{
    public string FileName => Path[(Path.LastIndexOf('/') + 1)..];
}
