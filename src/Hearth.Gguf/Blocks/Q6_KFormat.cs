namespace Hearth.Gguf.Blocks;

/// <summary>
/// Q6_K: a 256-weight super-block of 16 sub-blocks of 16, w = d·sc·(q − 32) with 6-bit q and signed 8-bit sc.
/// Layout <c>block_q6_K</c> (ggml/src/ggml-common.h): <c>uint8_t ql[128]; uint8_t qh[64]; int8_t scales[16]; ggml_half d;</c>
/// — per 128-weight half, 64 bytes of ql (low nibbles: weights 0–63, high nibbles: 64–127) and 32 bytes of qh
/// (2 bits each for weights l, l+32, l+64, l+96).
/// Reference decoder: <c>dequantize_row_q6_K</c> (ggml/src/ggml-quants.c), which evaluates (d·sc)·q left to right.
/// </summary>
internal static class Q6_KFormat
{
    public const int BlockSize = KQuantScales.SuperBlockSize;
    public const int TypeSize = 128 + 64 + 16 + 2;

    public static void Decode(ReadOnlySpan<byte> src, Span<float> dst)
    {
        int blocks = dst.Length / BlockSize;
        for (int i = 0; i < blocks; i++)
        {
            ReadOnlySpan<byte> block = src.Slice(i * TypeSize, TypeSize);
            Span<float> y = dst.Slice(i * BlockSize, BlockSize);
            float d = HalfPrecision.ReadHalf(block[208..]);

            for (int half = 0; half < 2; half++)
            {
                ReadOnlySpan<byte> ql = block.Slice(64 * half, 64);
                ReadOnlySpan<byte> qh = block.Slice(128 + 32 * half, 32);
                ReadOnlySpan<byte> sc = block.Slice(192 + 8 * half, 8);
                Span<float> y128 = y.Slice(128 * half, 128);
                for (int l = 0; l < 32; l++)
                {
                    int s = l / 16;
                    int q1 = ((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
                    int q2 = ((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
                    int q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
                    int q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
                    y128[l] = d * (sbyte)sc[s] * q1;
                    y128[l + 32] = d * (sbyte)sc[s + 2] * q2;
                    y128[l + 64] = d * (sbyte)sc[s + 4] * q3;
                    y128[l + 96] = d * (sbyte)sc[s + 6] * q4;
                }
            }
        }
    }
}
