using System.Numerics;
using System.Runtime.InteropServices;

namespace Hearth.Gguf.Blocks;

/// <summary>
/// SIMD widening of fp16 and bf16 to fp32 for the unblocked float types; returns how many elements it converted
/// (whole vectors), leaving the tail to the scalar loop. Bit-identical to <see cref="HalfPrecision"/>.
/// </summary>
internal static class HalfVectors
{
    /// <summary>
    /// The branch-free fp16 → fp32 of ggml's <c>ggml_compute_fp16_to_fp32</c> (from the FP16 library): normal numbers
    /// are re-biased by adding 0x70000000 to the shifted bits and scaling by 2^-112 (which also maps inf/NaN onto fp32
    /// inf/NaN), subnormals are built as 0.5 + m·2^-24 in the [0.5, 1) binade and 0.5 subtracted — both exact.
    /// </summary>
    public static int DecodeF16(ReadOnlySpan<ushort> src, Span<float> dst)
    {
        int step = Vector<ushort>.Count;
        var expOffset = new Vector<uint>(0xE0u << 23);
        var expScale = new Vector<float>(BitConverter.UInt32BitsToSingle(0x07800000)); // 2^-112
        var magicMask = new Vector<uint>(126u << 23);
        var magicBias = new Vector<float>(0.5f);
        var denormalCutoff = new Vector<uint>(1u << 27);
        var signMask = new Vector<uint>(0x8000_0000u);

        int i = 0;
        for (; i + step <= src.Length; i += step)
        {
            Vector.Widen(new Vector<ushort>(src.Slice(i, step)), out Vector<uint> low, out Vector<uint> high);
            Convert(low).CopyTo(dst.Slice(i, step / 2));
            Convert(high).CopyTo(dst.Slice(i + step / 2, step / 2));
        }
        return i;

        Vector<float> Convert(Vector<uint> h)
        {
            Vector<uint> w = h << 16;
            Vector<uint> sign = w & signMask;
            Vector<uint> twoW = w + w;
            Vector<float> normalized = Vector.AsVectorSingle((twoW >> 4) + expOffset) * expScale;
            Vector<float> denormalized = Vector.AsVectorSingle((twoW >> 17) | magicMask) - magicBias;
            Vector<uint> isDenormal = Vector.LessThan(twoW, denormalCutoff);
            Vector<uint> magnitude = Vector.ConditionalSelect(isDenormal,
                Vector.AsVectorUInt32(denormalized), Vector.AsVectorUInt32(normalized));
            return Vector.AsVectorSingle(sign | magnitude);
        }
    }

    /// <summary>bf16 → fp32 is a 16-bit shift (<c>ggml_compute_bf16_to_fp32</c>).</summary>
    public static int DecodeBF16(ReadOnlySpan<ushort> src, Span<float> dst)
    {
        int step = Vector<ushort>.Count;
        Span<uint> bits = MemoryMarshal.Cast<float, uint>(dst);
        int i = 0;
        for (; i + step <= src.Length; i += step)
        {
            Vector.Widen(new Vector<ushort>(src.Slice(i, step)), out Vector<uint> low, out Vector<uint> high);
            (low << 16).CopyTo(bits.Slice(i, step / 2));
            (high << 16).CopyTo(bits.Slice(i + step / 2, step / 2));
        }
        return i;
    }
}
