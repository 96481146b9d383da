using System.Buffers.Binary;

namespace Hearth.Gguf.Blocks;

/// <summary>
/// Q5_1: 32 weights as 5-bit codes q with an fp16 scale and an fp16 minimum, w = q·d + m.
/// Layout <c>block_q5_1</c> (ggml/src/ggml-common.h): <c>ggml_half d; ggml_half m; uint8_t qh[4]; uint8_t qs[16];</c>
/// (bits placed as in Q5_0). Reference decoder: <c>dequantize_row_q5_1</c> (ggml/src/ggml-quants.c).
/// </summary>
internal static class Q5_1Format
{
    public const int BlockSize = 32;
    public const int TypeSize = 2 + 2 + 4 + 16;

    public static void Decode(ReadOnlySpan<byte> src, Span<float> dst)
    {
        int blocks = dst.Length / BlockSize;
        for (int i = 0; i < blocks; i++)
        {
            ReadOnlySpan<byte> block = src.Slice(i * TypeSize, TypeSize);
            Span<float> y = dst.Slice(i * BlockSize, BlockSize);
            float d = HalfPrecision.ReadHalf(block);
            float m = HalfPrecision.ReadHalf(block[2..]);
            uint qh = BinaryPrimitives.ReadUInt32LittleEndian(block[4..]);
            ReadOnlySpan<byte> qs = block.Slice(8, 16);
            for (int j = 0; j < 16; j++)
            {
                int xh0 = (int)((qh >> j) << 4) & 0x10;
                int xh1 = (int)(qh >> (j + 12)) & 0x10;
                y[j] = ((qs[j] & 0x0F) | xh0) * d + m;
                y[j + 16] = ((qs[j] >> 4) | xh1) * d + m;
            }
        }
    }
}
