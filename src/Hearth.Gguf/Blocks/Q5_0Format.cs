using System.Buffers.Binary;

namespace Hearth.Gguf.Blocks;

/// <summary>
/// Q5_0: 32 weights as 5-bit codes q with one fp16 scale, w = (q - 16)·d.
/// Layout <c>block_q5_0</c> (ggml/src/ggml-common.h): <c>ggml_half d; uint8_t qh[4]; uint8_t qs[16];</c> —
/// the low 4 bits are nibbles as in Q4_0, the 5th bit of weight k is bit k of the little-endian uint32 <c>qh</c>.
/// Reference decoder: <c>dequantize_row_q5_0</c> (ggml/src/ggml-quants.c).
/// </summary>
internal static class Q5_0Format
{
    public const int BlockSize = 32;
    public const int TypeSize = 2 + 4 + 16;

    public static void Decode(ReadOnlySpan<byte> src, Span<float> dst)
    {
        int blocks = dst.Length / BlockSize;
        for (int i = 0; i < blocks; i++)
        {
            ReadOnlySpan<byte> block = src.Slice(i * TypeSize, TypeSize);
            Span<float> y = dst.Slice(i * BlockSize, BlockSize);
            float d = HalfPrecision.ReadHalf(block);
            uint qh = BinaryPrimitives.ReadUInt32LittleEndian(block[2..]);
            ReadOnlySpan<byte> qs = block.Slice(6, 16);
            for (int j = 0; j < 16; j++)
            {
                int xh0 = (int)((qh >> j) << 4) & 0x10;
                int xh1 = (int)(qh >> (j + 12)) & 0x10;
                y[j] = (((qs[j] & 0x0F) | xh0) - 16) * d;
                y[j + 16] = (((qs[j] >> 4) | xh1) - 16) * d;
            }
        }
    }
}
