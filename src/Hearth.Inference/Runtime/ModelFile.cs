namespace Hearth.Inference.Runtime;

/// <summary>
/// Checks a model file before llama.cpp sees it: llama.cpp answers a missing or foreign file with a null handle and a
/// log line, so these checks are what turn the common mistakes into a clear <see cref="ModelLoadException"/>.
/// </summary>
internal static class ModelFile
{
    // GGUF files start with the bytes "GGUF" (ggml/docs/gguf.md, "File Structure").
    private static ReadOnlySpan<byte> Magic => "GGUF"u8;

    /// <summary>Returns the file's size; throws <see cref="ModelLoadException"/> when it is missing, unreadable or not GGUF.</summary>
    public static long Check(string path, string what = "file")
    {
        if (Directory.Exists(path))
            throw new ModelLoadException(path, $"it is a directory, not a GGUF {what}");
        if (!File.Exists(path))
            throw new ModelLoadException(path, $"{what} not found");
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
            Span<byte> head = stackalloc byte[4];
            var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            if (read < head.Length || !head.SequenceEqual(Magic))
            {
                var found = Convert.ToHexString(head[..read]);
                throw new ModelLoadException(path,
                    read < head.Length
                        ? $"not a GGUF {what}: it is only {stream.Length} bytes long"
                        : $"not a GGUF {what}: it starts with 0x{found}, a GGUF file starts with 0x{Convert.ToHexString(Magic)} (\"GGUF\")");
            }
            return stream.Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelLoadException(path, $"cannot read the {what}: {ex.Message}", ex);
        }
    }
}
