namespace Hearth.Gguf.Blocks;

/// <summary>
/// Q4_0: 32 weights as 4-bit unsigned codes q with one fp16 scale, w = (q - 8)·d.
/// Layout <c>block_q4_0</c> (ggml/src/ggml-common.h): <c>ggml_half d; uint8_t qs[16];</c> — byte j holds
/// weight j in its low nibble and weight j+16 in its high nibble.
/// Reference decoder: <c>dequantize_row_q4_0</c> (ggml/src/ggml-quants.c).
/// </summary>
internal static class Q4_0Format
{
    public const int BlockSize = 32;
    public const int TypeSize = 2 + 16;

    public static void Decode(ReadOnlySpan<byte> src, Span<float> dst)
    {
        int blocks = dst.Length / BlockSize;
        for (int i = 0; i < blocks; i++)
        {
            ReadOnlySpan<byte> block = src.Slice(i * TypeSize, TypeSize);
            Span<float> y = dst.Slice(i * BlockSize, BlockSize);
            float d = HalfPrecision.ReadHalf(block);
            ReadOnlySpan<byte> qs = block.Slice(2, 16);
            for (int j = 0; j < 16; j++)
            {
                y[j] = ((qs[j] & 0x0F) - 8) * d;
                y[j + 16] = ((qs[j] >> 4) - 8) * d;
            }
        }
    }
}
