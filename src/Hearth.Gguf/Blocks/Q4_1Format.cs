namespace Hearth.Gguf.Blocks;

/// <summary>
/// Q4_1: 32 weights as 4-bit codes q with an fp16 scale and an fp16 minimum, w = q·d + m.
/// Layout <c>block_q4_1</c> (ggml/src/ggml-common.h): <c>ggml_half d; ggml_half m; uint8_t qs[16];</c> —
/// low nibble of byte j is weight j, high nibble is weight j+16.
/// Reference decoder: <c>dequantize_row_q4_1</c> (ggml/src/ggml-quants.c). The product and the sum are two
/// roundings, as in ggml's scalar code (the JIT never fuses them into an FMA).
/// </summary>
internal static class Q4_1Format
{
    public const int BlockSize = 32;
    public const int TypeSize = 2 + 2 + 16;

    public static void Decode(ReadOnlySpan<byte> src, Span<float> dst)
    {
        int blocks = dst.Length / BlockSize;
        for (int i = 0; i < blocks; i++)
        {
            ReadOnlySpan<byte> block = src.Slice(i * TypeSize, TypeSize);
            Span<float> y = dst.Slice(i * BlockSize, BlockSize);
            float d = HalfPrecision.ReadHalf(block);
            float m = HalfPrecision.ReadHalf(block[2..]);
            ReadOnlySpan<byte> qs = block.Slice(4, 16);
            for (int j = 0; j < 16; j++)
            {
                y[j] = (qs[j] & 0x0F) * d + m;
                y[j + 16] = (qs[j] >> 4) * d + m;
            }
        }
    }
}
