using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Hearth.Models.Pull;

/// <summary>
/// Hashes a download as it streams: always sha256 (the store's blob digest, and the Hub's <c>lfs.oid</c>), and for files
/// outside LFS also the git blob id, sha1 of <c>"blob &lt;size&gt;\0" + content</c> (git's object format), which is the
/// only checksum the Hub publishes for them.
/// </summary>
internal sealed class ContentHasher : IDisposable
{
    private readonly long _size;
    private readonly bool _gitSha1;
    private IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private IncrementalHash? _sha1;

    public ContentHasher(long size, bool gitSha1)
    {
        _size = size;
        _gitSha1 = gitSha1;
        Reset();
    }

    public void Reset()
    {
        _sha256.Dispose();
        _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        _sha1?.Dispose();
        _sha1 = null;
        if (_gitSha1)
        {
            _sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
            _sha1.AppendData(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"blob {_size}\0")));
        }
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        _sha256.AppendData(data);
        _sha1?.AppendData(data);
    }

    /// <summary>Lowercase hex sha256 and (when asked for) git blob sha1 of everything appended.</summary>
    public (string Sha256, string? GitSha1) Finish() =>
        (Convert.ToHexStringLower(_sha256.GetHashAndReset()), _sha1 is null ? null : Convert.ToHexStringLower(_sha1.GetHashAndReset()));

    public void Dispose()
    {
        _sha256.Dispose();
        _sha1?.Dispose();
    }
}
