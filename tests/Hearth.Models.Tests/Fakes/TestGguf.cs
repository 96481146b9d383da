using System.Security.Cryptography;
using Hearth.Gguf;

namespace Hearth.Models.Tests.Fakes;

/// <summary>Small but real GGUF files, written with the project's own <see cref="GgufWriter"/>.</summary>
internal static class TestGguf
{
    /// <param name="seed">Changes the tensor values, so different seeds give different blobs.</param>
    /// <param name="elements">F32 elements of the single tensor (4 bytes each).</param>
    public static byte[] Bytes(int seed = 1, string? license = "apache-2.0", int elements = 1024, uint? fileType = 0, string? chatTemplate = null)
    {
        var m = new GgufMetadata();
        m.Set("general.architecture", "llama");
        m.Set("general.name", $"test-{seed}");
        if (license is not null)
            m.Set("general.license", license);
        if (fileType is { } ft)
            m.Set("general.file_type", ft);
        m.Set("llama.context_length", 256u);
        m.Set("llama.embedding_length", 32u);
        m.Set("llama.block_count", 2u);
        m.Set("llama.attention.head_count", 4u);
        m.Set("llama.attention.head_count_kv", 2u);
        if (chatTemplate is not null)
            m.Set("tokenizer.chat_template", chatTemplate);
        var data = new float[elements];
        var rng = new Random(seed);
        for (var i = 0; i < data.Length; i++)
            data[i] = (float)rng.NextDouble();
        using var stream = new MemoryStream();
        GgufWriter.Write(stream, m, [GgufTensorSource.FromFloats("token_embd.weight", [32, elements / 32], data)]);
        return stream.ToArray();
    }

    public static string Write(string path, int seed = 1, string? license = "apache-2.0", int elements = 1024)
    {
        File.WriteAllBytes(path, Bytes(seed, license, elements));
        return path;
    }

    public static string Sha256Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string Digest(byte[] bytes) => "sha256:" + Sha256Hex(bytes);
}
