using System.Buffers.Binary;

namespace Hearth.Gguf.Blocks;

/// <summary>
/// Q8_0: 32 weights as signed bytes q with one fp16 scale, w = q·d.
/// Layout <c>block_q8_0</c> (ggml/src/ggml-common.h): <c>ggml_half d; int8_t qs[32];</c>.
/// Reference code: <c>dequantize_row_q8_0</c> and <c>quantize_row_q8_0_ref</c> (ggml/src/ggml-quants.c).
/// </summary>
internal static class Q8_0Format
{
    public const int BlockSize = 32;
    public const int TypeSize = 2 + 32;

    public static void Decode(ReadOnlySpan<byte> src, Span<float> dst)
    {
        int blocks = dst.Length / BlockSize;
        for (int i = 0; i < blocks; i++)
        {
            ReadOnlySpan<byte> block = src.Slice(i * TypeSize, TypeSize);
            Span<float> y = dst.Slice(i * BlockSize, BlockSize);
            float d = HalfPrecision.ReadHalf(block);
            ReadOnlySpan<byte> qs = block.Slice(2, BlockSize);
            for (int j = 0; j < BlockSize; j++)
                y[j] = (sbyte)qs[j] * d;
        }
    }

    /// <summary>
    /// <c>quantize_row_q8_0_ref</c>: d = amax/127 stored as fp16, q = roundf(x/d) with the unrounded fp32 d.
    /// </summary>
    public static void Encode(ReadOnlySpan<float> src, Span<byte> dst)
    {
        int blocks = src.Length / BlockSize;
        for (int i = 0; i < blocks; i++)
        {
            ReadOnlySpan<float> x = src.Slice(i * BlockSize, BlockSize);
            Span<byte> block = dst.Slice(i * TypeSize, TypeSize);

            // ggml's MAX(a, b) is (a > b ? a : b); with a NaN it is order-dependent, so keep the same form.
            float amax = 0f;
            for (int j = 0; j < BlockSize; j++)
            {
                float a = MathF.Abs(x[j]);
                amax = amax > a ? amax : a;
            }

            float d = amax / 127f;
            float id = d != 0f ? 1f / d : 0f; // C's `d ?` is true for NaN too, as is `d != 0f`
            BinaryPrimitives.WriteUInt16LittleEndian(block, HalfPrecision.SingleToHalf(d));

            Span<byte> qs = block.Slice(2, BlockSize);
            for (int j = 0; j < BlockSize; j++)
                qs[j] = (byte)TruncateToInt8(MathF.Round(x[j] * id, MidpointRounding.AwayFromZero));
        }
    }

    /// <summary>
    /// ggml stores <c>roundf(x)</c> into an <c>int8_t</c>. For |x| ≤ 127 that is exact; otherwise C leaves it undefined and
    /// x86-64 compilers emit <c>cvttss2si</c>, which gives 0x80000000 for NaN and out-of-range values and keeps the low byte.
    /// Only reachable from NaN/inf input or a subnormal amax (whose fp16 scale is 0 anyway); mirrored so bytes stay identical.
    /// </summary>
    private static sbyte TruncateToInt8(float rounded) =>
        rounded >= -2147483648f && rounded < 2147483648f ? unchecked((sbyte)(int)rounded) : (sbyte)0;
}
