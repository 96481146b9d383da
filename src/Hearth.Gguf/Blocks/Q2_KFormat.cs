namespace Hearth.Gguf.Blocks;

/// <summary>
/// Q2_K: a 256-weight super-block of 16 sub-blocks of 16, w = d·sc·q − dmin·m with 2-bit q and 4-bit sc, m.
/// Layout <c>block_q2_K</c> (ggml/src/ggml-common.h): <c>uint8_t scales[16]; uint8_t qs[64]; ggml_half d; ggml_half dmin;</c>
/// — scales[k] holds sub-block k's scale in the low nibble and its min in the high nibble; each 128-weight half uses
/// 32 bytes of qs, weight 32·s + l of that half sitting in bits 2s..2s+1 of byte l.
/// Reference decoder: <c>dequantize_row_q2_K</c> (ggml/src/ggml-quants.c).
/// </summary>
internal static class Q2_KFormat
{
    public const int BlockSize = KQuantScales.SuperBlockSize;
    public const int TypeSize = 16 + 64 + 2 + 2;

    public static void Decode(ReadOnlySpan<byte> src, Span<float> dst)
    {
        int blocks = dst.Length / BlockSize;
        for (int i = 0; i < blocks; i++)
        {
            ReadOnlySpan<byte> block = src.Slice(i * TypeSize, TypeSize);
            Span<float> y = dst.Slice(i * BlockSize, BlockSize);
            ReadOnlySpan<byte> scales = block[..16];
            float d = HalfPrecision.ReadHalf(block[80..]);
            float min = HalfPrecision.ReadHalf(block[82..]);

            int outIndex = 0;
            int scaleIndex = 0;
            for (int half = 0; half < 2; half++)
            {
                ReadOnlySpan<byte> q = block.Slice(16 + 32 * half, 32);
                for (int shift = 0; shift < 8; shift += 2)
                {
                    for (int part = 0; part < 2; part++)
                    {
                        int sc = scales[scaleIndex++];
                        float dl = d * (sc & 0xF);
                        float ml = min * (sc >> 4);
                        ReadOnlySpan<byte> q16 = q.Slice(16 * part, 16);
                        Span<float> y16 = y.Slice(outIndex, 16);
                        for (int l = 0; l < 16; l++)
                            y16[l] = dl * ((q16[l] >> shift) & 3) - ml;
                        outIndex += 16;
                    }
                }
            }
        }
    }
}
