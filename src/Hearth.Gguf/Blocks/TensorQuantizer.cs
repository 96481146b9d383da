namespace Hearth.Gguf.Blocks;

/// <summary>
/// Encodes fp32 weights as F32, F16, BF16 or Q8_0 with exactly the bytes ggml's reference code writes
/// (<c>ggml_fp32_to_fp16_row</c>, <c>ggml_fp32_to_bf16_row_ref</c>, <c>quantize_row_q8_0_ref</c>). Thread-safe;
/// large inputs are encoded in parallel.
/// </summary>
public static class TensorQuantizer
{
    /// <summary>True for F32, F16, BF16 and Q8_0.</summary>
    public static bool CanQuantize(GgmlType type) => BlockFormats.Find(type)?.Encode is not null;

    /// <summary>
    /// Encodes <paramref name="src"/> (a whole number of blocks) into <paramref name="dst"/>, which must be exactly
    /// the encoded size.
    /// </summary>
    /// <exception cref="NotSupportedException">The type is not one Hearth encodes.</exception>
    /// <exception cref="ArgumentException">The element count is not a whole number of blocks, or <paramref name="dst"/> has the wrong length.</exception>
    public static unsafe void Quantize(GgmlType type, ReadOnlySpan<float> src, Span<byte> dst)
    {
        var (format, encode) = Require(type);
        long expected = EncodedSize(format, src.Length);
        if (dst.Length != expected)
            throw new ArgumentException(
                $"{format.Type} encoding of {src.Length} elements needs {expected} bytes, found {dst.Length}", nameof(dst));

        int blocks = src.Length / format.BlockSize;
        if (src.Length < BlockRanges.ParallelThreshold)
        {
            encode(src, dst);
            return;
        }

        fixed (float* srcPointer = src)
        fixed (byte* dstPointer = dst)
        {
            nint srcAddress = (nint)srcPointer, dstAddress = (nint)dstPointer;
            BlockRanges.Run(blocks, src.Length, (first, count) => encode(
                new ReadOnlySpan<float>((float*)srcAddress + (long)first * format.BlockSize, count * format.BlockSize),
                new Span<byte>((byte*)dstAddress + (long)first * format.TypeSize, count * format.TypeSize)));
        }
    }

    /// <summary>Encodes <paramref name="src"/> into a new array; see the span overload.</summary>
    /// <exception cref="NotSupportedException">The type is not one Hearth encodes.</exception>
    /// <exception cref="ArgumentException">The element count is not a whole number of blocks, or the result would not fit an array.</exception>
    public static byte[] Quantize(GgmlType type, ReadOnlySpan<float> src)
    {
        var (format, _) = Require(type);
        long size = EncodedSize(format, src.Length);
        if (size > Array.MaxLength)
            throw new ArgumentException(
                $"{format.Type} encoding of {src.Length} elements is {size} bytes, more than an array can hold; encode in slices",
                nameof(src));
        var result = new byte[size];
        Quantize(type, src, result);
        return result;
    }

    private static (BlockFormat Format, BlockEncoder Encode) Require(GgmlType type)
    {
        var format = BlockFormats.Find(type);
        if (format?.Encode is { } encode)
            return (format, encode);
        throw new NotSupportedException(
            $"ggml type {type} cannot be quantized; supported types are " +
            string.Join(", ", BlockFormats.All.Where(f => f.Encode is not null).Select(f => f.Type)));
    }

    private static long EncodedSize(BlockFormat format, int elements)
    {
        if (elements % format.BlockSize != 0)
            throw new ArgumentException(
                $"{elements} elements is not a whole number of {format.Type} blocks of {format.BlockSize}", "src");
        return (long)(elements / format.BlockSize) * format.TypeSize;
    }
}
