using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Hearth.Gguf.Blocks;

/// <summary>
/// The unblocked float types F32, F16 and BF16 (block size 1), stored little-endian.
/// ggml: <c>ggml_fp16_to_fp32_row</c> / <c>ggml_fp32_to_fp16_row</c> and <c>ggml_bf16_to_fp32_row</c> /
/// <c>ggml_fp32_to_bf16_row_ref</c> in ggml/src/ggml.c; F32 is a plain copy (<c>ggml_quantize_chunk</c> memcpy).
/// </summary>
internal static class FloatFormats
{
    public static void DecodeF32(ReadOnlySpan<byte> src, Span<float> dst)
    {
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, float>(src).CopyTo(dst);
            return;
        }
        for (int i = 0; i < dst.Length; i++)
            dst[i] = BinaryPrimitives.ReadSingleLittleEndian(src.Slice(i * 4, 4));
    }

    public static void EncodeF32(ReadOnlySpan<float> src, Span<byte> dst)
    {
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(src).CopyTo(dst);
            return;
        }
        for (int i = 0; i < src.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(dst.Slice(i * 4, 4), src[i]);
    }

    public static void DecodeF16(ReadOnlySpan<byte> src, Span<float> dst)
    {
        ReadOnlySpan<ushort> bits = MemoryMarshal.Cast<byte, ushort>(src);
        bits = bits[..dst.Length];
        int i = 0;
        if (BitConverter.IsLittleEndian && Vector.IsHardwareAccelerated)
            i = HalfVectors.DecodeF16(bits, dst);
        bool swap = !BitConverter.IsLittleEndian;
        for (; i < bits.Length; i++)
            dst[i] = HalfPrecision.HalfToSingle(swap ? BinaryPrimitives.ReverseEndianness(bits[i]) : bits[i]);
    }

    public static void EncodeF16(ReadOnlySpan<float> src, Span<byte> dst)
    {
        Span<ushort> bits = MemoryMarshal.Cast<byte, ushort>(dst);
        bits = bits[..src.Length];
        bool swap = !BitConverter.IsLittleEndian;
        for (int i = 0; i < bits.Length; i++)
        {
            ushort h = HalfPrecision.SingleToHalf(src[i]);
            bits[i] = swap ? BinaryPrimitives.ReverseEndianness(h) : h;
        }
    }

    public static void DecodeBF16(ReadOnlySpan<byte> src, Span<float> dst)
    {
        ReadOnlySpan<ushort> bits = MemoryMarshal.Cast<byte, ushort>(src);
        bits = bits[..dst.Length];
        int i = 0;
        if (BitConverter.IsLittleEndian && Vector.IsHardwareAccelerated)
            i = HalfVectors.DecodeBF16(bits, dst);
        bool swap = !BitConverter.IsLittleEndian;
        for (; i < bits.Length; i++)
            dst[i] = HalfPrecision.BFloat16ToSingle(swap ? BinaryPrimitives.ReverseEndianness(bits[i]) : bits[i]);
    }

    public static void EncodeBF16(ReadOnlySpan<float> src, Span<byte> dst)
    {
        Span<ushort> bits = MemoryMarshal.Cast<byte, ushort>(dst);
        bits = bits[..src.Length];
        bool swap = !BitConverter.IsLittleEndian;
        for (int i = 0; i < bits.Length; i++)
        {
            ushort h = HalfPrecision.SingleToBFloat16(src[i]);
            bits[i] = swap ? BinaryPrimitives.ReverseEndianness(h) : h;
        }
    }
}
