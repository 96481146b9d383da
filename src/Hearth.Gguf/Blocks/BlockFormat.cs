namespace Hearth.Gguf.Blocks;

/// <summary>Decodes whole blocks: <c>dst.Length</c> is a multiple of the block size and <c>src</c> holds exactly those blocks.</summary>
internal delegate void BlockDecoder(ReadOnlySpan<byte> src, Span<float> dst);

/// <summary>Encodes whole blocks: <c>src.Length</c> is a multiple of the block size and <c>dst</c> has room for exactly those blocks.</summary>
internal delegate void BlockEncoder(ReadOnlySpan<float> src, Span<byte> dst);

/// <summary>One tensor type Hearth can decode (and perhaps encode): <see cref="BlockSize"/> weights in <see cref="TypeSize"/> bytes.</summary>
internal sealed record BlockFormat(GgmlType Type, int BlockSize, int TypeSize, BlockDecoder Decode, BlockEncoder? Encode);

/// <summary>The table of supported block formats.</summary>
internal static class BlockFormats
{
    /// <summary>In the order of ggml's type numbers, so lists of supported types read naturally.</summary>
    public static readonly IReadOnlyList<BlockFormat> All =
    [
        new(GgmlType.F32, 1, 4, FloatFormats.DecodeF32, FloatFormats.EncodeF32),
        new(GgmlType.F16, 1, 2, FloatFormats.DecodeF16, FloatFormats.EncodeF16),
        new(GgmlType.Q4_0, Q4_0Format.BlockSize, Q4_0Format.TypeSize, Q4_0Format.Decode, null),
        new(GgmlType.Q4_1, Q4_1Format.BlockSize, Q4_1Format.TypeSize, Q4_1Format.Decode, null),
        new(GgmlType.Q5_0, Q5_0Format.BlockSize, Q5_0Format.TypeSize, Q5_0Format.Decode, null),
        new(GgmlType.Q5_1, Q5_1Format.BlockSize, Q5_1Format.TypeSize, Q5_1Format.Decode, null),
        new(GgmlType.Q8_0, Q8_0Format.BlockSize, Q8_0Format.TypeSize, Q8_0Format.Decode, Q8_0Format.Encode),
        new(GgmlType.Q2_K, Q2_KFormat.BlockSize, Q2_KFormat.TypeSize, Q2_KFormat.Decode, null),
        new(GgmlType.Q3_K, Q3_KFormat.BlockSize, Q3_KFormat.TypeSize, Q3_KFormat.Decode, null),
        new(GgmlType.Q4_K, Q4_KFormat.BlockSize, Q4_KFormat.TypeSize, Q4_KFormat.Decode, null),
        new(GgmlType.Q5_K, Q5_KFormat.BlockSize, Q5_KFormat.TypeSize, Q5_KFormat.Decode, null),
        new(GgmlType.Q6_K, Q6_KFormat.BlockSize, Q6_KFormat.TypeSize, Q6_KFormat.Decode, null),
        new(GgmlType.BF16, 1, 2, FloatFormats.DecodeBF16, FloatFormats.EncodeBF16),
    ];

    private static readonly BlockFormat?[] ByType = Index();

    /// <summary>Indexes the table and checks it against <see cref="GgmlTypeInfo"/>, so a layout typo cannot decode garbage.</summary>
    private static BlockFormat?[] Index()
    {
        var byType = new BlockFormat?[GgmlTypeInfo.TypeCount];
        foreach (var format in All)
        {
            var info = GgmlTypeInfo.Get(format.Type);
            if (info.BlockSize != format.BlockSize || info.TypeSize != format.TypeSize)
                throw new InvalidOperationException(
                    $"block format {format.Type} is {format.BlockSize} weights in {format.TypeSize} bytes, " +
                    $"but GgmlTypeInfo says {info.BlockSize} in {info.TypeSize}");
            byType[(int)format.Type] = format;
        }
        return byType;
    }

    public static BlockFormat? Find(GgmlType type) => (uint)type < (uint)ByType.Length ? ByType[(int)type] : null;
}
