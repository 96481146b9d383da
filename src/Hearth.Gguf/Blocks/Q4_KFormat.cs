namespace Hearth.Gguf.Blocks;

/// <summary>
/// Q4_K: a 256-weight super-block of 8 sub-blocks of 32, w = d·sc·q − dmin·m with 4-bit q and 6-bit sc, m.
/// Layout <c>block_q4_K</c> (ggml/src/ggml-common.h): <c>ggml_half d; ggml_half dmin; uint8_t scales[12]; uint8_t qs[128];</c>
/// — each 64-weight chunk uses 32 bytes of qs: low nibbles are weights 0–31, high nibbles 32–63.
/// Reference decoder: <c>dequantize_row_q4_K</c> (ggml/src/ggml-quants.c); scales via <see cref="KQuantScales"/>.
/// </summary>
internal static class Q4_KFormat
{
    public const int BlockSize = KQuantScales.SuperBlockSize;
    public const int TypeSize = 2 + 2 + KQuantScales.PackedSize + 128;

    public static void Decode(ReadOnlySpan<byte> src, Span<float> dst)
    {
        int blocks = dst.Length / BlockSize;
        for (int i = 0; i < blocks; i++)
        {
            ReadOnlySpan<byte> block = src.Slice(i * TypeSize, TypeSize);
            Span<float> y = dst.Slice(i * BlockSize, BlockSize);
            float d = HalfPrecision.ReadHalf(block);
            float min = HalfPrecision.ReadHalf(block[2..]);
            ReadOnlySpan<byte> scales = block.Slice(4, KQuantScales.PackedSize);

            for (int chunk = 0; chunk < 4; chunk++)
            {
                KQuantScales.GetScaleMin(2 * chunk, scales, out int sc1, out int m1i);
                KQuantScales.GetScaleMin(2 * chunk + 1, scales, out int sc2, out int m2i);
                float d1 = d * sc1, m1 = min * m1i;
                float d2 = d * sc2, m2 = min * m2i;
                ReadOnlySpan<byte> q = block.Slice(16 + 32 * chunk, 32);
                Span<float> lo = y.Slice(64 * chunk, 32);
                Span<float> hi = y.Slice(64 * chunk + 32, 32);
                for (int l = 0; l < 32; l++)
                {
                    lo[l] = d1 * (q[l] & 0xF) - m1;
                    hi[l] = d2 * (q[l] >> 4) - m2;
                }
            }
        }
    }
}
