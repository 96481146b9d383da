using System.Buffers.Binary;

namespace Hearth.Gguf.Blocks;

/// <summary>
/// IEEE binary16 and bfloat16 conversions, bit-for-bit as ggml does them
/// (<c>ggml_compute_fp16_to_fp32</c>, <c>ggml_compute_fp32_to_fp16</c>, <c>ggml_compute_fp32_to_bf16</c> in ggml/src/ggml-impl.h).
/// </summary>
internal static class HalfPrecision
{
    /// <summary>Reads a little-endian fp16 at the start of <paramref name="bytes"/> (the <c>ggml_half</c> scales of every block).</summary>
    public static float ReadHalf(ReadOnlySpan<byte> bytes) => HalfToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes));

    /// <summary>fp16 → fp32; exact for every finite value. NaNs keep their payload and come out quiet, as in ggml.</summary>
    public static float HalfToSingle(ushort bits) => (float)BitConverter.UInt16BitsToHalf(bits);

    /// <summary>
    /// fp32 → fp16, round to nearest even, overflow to ±inf. Any NaN becomes the canonical quiet NaN <c>sign | 0x7E00</c>:
    /// ggml's software conversion (from the FP16 library) drops the payload, whereas <c>(Half)x</c> keeps part of it.
    /// </summary>
    public static ushort SingleToHalf(float value)
    {
        if (float.IsNaN(value))
            return (ushort)((BitConverter.SingleToUInt32Bits(value) >> 16) & 0x8000 | 0x7E00);
        return BitConverter.HalfToUInt16Bits((Half)value);
    }

    /// <summary>bf16 → fp32: the bf16 bits are the high half of the fp32 (<c>ggml_compute_bf16_to_fp32</c>).</summary>
    public static float BFloat16ToSingle(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);

    /// <summary>
    /// fp32 → bf16 as <c>ggml_compute_fp32_to_bf16</c>: NaN keeps its top bits with the quiet bit (0x40) forced on;
    /// everything else rounds to nearest even by adding 0x7FFF plus the lowest kept bit. Subnormals are not flushed
    /// (older ggml flushed them; the version LLamaSharp 0.30.0 bundles does not) and overflow carries into ±inf.
    /// </summary>
    public static ushort SingleToBFloat16(float value)
    {
        uint u = BitConverter.SingleToUInt32Bits(value);
        if ((u & 0x7FFF_FFFF) > 0x7F80_0000)
            return (ushort)((u >> 16) | 64);
        return (ushort)((u + (0x7FFF + ((u >> 16) & 1))) >> 16);
    }
}
