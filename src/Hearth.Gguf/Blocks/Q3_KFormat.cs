using System.Buffers.Binary;

namespace Hearth.Gguf.Blocks;

/// <summary>
/// Q3_K: a 256-weight super-block of 16 sub-blocks of 16, w = d·(sc − 32)·(q − 4·[high bit clear]) with 2 low bits,
/// 1 high bit and a 6-bit scale per sub-block.
/// Layout <c>block_q3_K</c> (ggml/src/ggml-common.h): <c>uint8_t hmask[32]; uint8_t qs[64]; uint8_t scales[12]; ggml_half d;</c>
/// — the sixteen 6-bit scales are packed as low nibbles in bytes 0–7 (two per byte) and top 2 bits in bytes 8–11.
/// Reference decoder: <c>dequantize_row_q3_K</c> (ggml/src/ggml-quants.c), whose unpacking with the masks
/// 0x03030303/0x0f0f0f0f over little-endian 32-bit words is reproduced here.
/// </summary>
internal static class Q3_KFormat
{
    public const int BlockSize = KQuantScales.SuperBlockSize;
    public const int TypeSize = 32 + 64 + 12 + 2;

    public static void Decode(ReadOnlySpan<byte> src, Span<float> dst)
    {
        const uint kmask1 = 0x03030303;
        const uint kmask2 = 0x0f0f0f0f;
        Span<sbyte> scales = stackalloc sbyte[16];
        Span<uint> aux = stackalloc uint[4];

        int blocks = dst.Length / BlockSize;
        for (int i = 0; i < blocks; i++)
        {
            ReadOnlySpan<byte> block = src.Slice(i * TypeSize, TypeSize);
            Span<float> y = dst.Slice(i * BlockSize, BlockSize);
            ReadOnlySpan<byte> hm = block[..32];
            ReadOnlySpan<byte> packed = block.Slice(96, 12);
            float dAll = HalfPrecision.ReadHalf(block[108..]);

            uint a0 = BinaryPrimitives.ReadUInt32LittleEndian(packed);
            uint a1 = BinaryPrimitives.ReadUInt32LittleEndian(packed[4..]);
            uint tmp = BinaryPrimitives.ReadUInt32LittleEndian(packed[8..]);
            aux[0] = (a0 & kmask2) | (((tmp >> 0) & kmask1) << 4);
            aux[1] = (a1 & kmask2) | (((tmp >> 2) & kmask1) << 4);
            aux[2] = ((a0 >> 4) & kmask2) | (((tmp >> 4) & kmask1) << 4);
            aux[3] = ((a1 >> 4) & kmask2) | (((tmp >> 6) & kmask1) << 4);
            for (int k = 0; k < 16; k++)
                scales[k] = (sbyte)(aux[k >> 2] >> (8 * (k & 3)));

            int outIndex = 0;
            int scaleIndex = 0;
            int maskBit = 0;
            for (int half = 0; half < 2; half++)
            {
                ReadOnlySpan<byte> q = block.Slice(32 + 32 * half, 32);
                for (int shift = 0; shift < 8; shift += 2)
                {
                    for (int part = 0; part < 2; part++)
                    {
                        float dl = dAll * (scales[scaleIndex++] - 32);
                        ReadOnlySpan<byte> q16 = q.Slice(16 * part, 16);
                        ReadOnlySpan<byte> hm16 = hm.Slice(16 * part, 16);
                        Span<float> y16 = y.Slice(outIndex, 16);
                        // ggml: q - ((hm & m) ? 0 : 4). Written as q - 4 + 4·bit: the same integer, no data-dependent branch.
                        for (int l = 0; l < 16; l++)
                            y16[l] = dl * (((q16[l] >> shift) & 3) - 4 + (((hm16[l] >> maskBit) & 1) << 2));
                        outIndex += 16;
                    }
                    maskBit++;
                }
            }
        }
    }
}
