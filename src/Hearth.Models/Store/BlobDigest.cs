using System.Security.Cryptography;

namespace Hearth.Models.Store;

/// <summary>
/// Blob digests as Ollama writes them: <c>sha256:&lt;64 lowercase hex&gt;</c> in manifests, <c>sha256-&lt;hex&gt;</c>
/// as file names (':' is not allowed in Windows file names).
/// </summary>
public static class BlobDigest
{
    public const string Prefix = "sha256:";
    public const string FilePrefix = "sha256-";
    private const int HexLength = 64;

    public static string FromHash(ReadOnlySpan<byte> sha256) => Prefix + Convert.ToHexStringLower(sha256);

    public static string FromHex(string hex) =>
        IsHex(hex) ? Prefix + hex.ToLowerInvariant() : throw new FormatException($"'{hex}' is not a 64-digit sha256 hex string");

    public static bool IsValid(string? digest) =>
        digest is not null && digest.StartsWith(Prefix, StringComparison.Ordinal) && IsHex(digest[Prefix.Length..]) &&
        !digest.Any(char.IsAsciiLetterUpper);

    /// <summary>The hex part of a valid digest.</summary>
    public static string Hex(string digest) =>
        IsValid(digest) ? digest[Prefix.Length..] : throw new FormatException($"'{digest}' is not a digest of the form sha256:<64 hex digits>");

    public static string FileName(string digest) => FilePrefix + Hex(digest);

    /// <summary>The digest a blob file name stands for, or null for names that are not blobs.</summary>
    public static string? FromFileName(string fileName) =>
        fileName.StartsWith(FilePrefix, StringComparison.Ordinal) && IsValid(Prefix + fileName[FilePrefix.Length..])
            ? Prefix + fileName[FilePrefix.Length..]
            : null;

    /// <summary>Hashes a whole file; <paramref name="progress"/> gets the bytes read so far.</summary>
    public static async Task<string> ComputeAsync(string path, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        long done = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            done += read;
            progress?.Report(done);
        }
        return FromHash(hash.GetHashAndReset());
    }

    private static bool IsHex(string s) => s.Length == HexLength && s.All(char.IsAsciiHexDigit);
}
