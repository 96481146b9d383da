namespace Hearth.Gguf.Blocks;

/// <summary>
/// Decodes GGUF tensor data of the float and quantized ggml types into fp32, bit-for-bit as ggml's reference
/// <c>dequantize_row_*</c> functions (ggml/src/ggml-quants.c) do. Thread-safe; large inputs are decoded in parallel.
/// </summary>
public static class TensorDequantizer
{
    /// <summary>True for F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K and Q6_K.</summary>
    public static bool CanDequantize(GgmlType type) => BlockFormats.Find(type) is not null;

    /// <summary>
    /// Decodes <c>dst.Length</c> weights from <paramref name="src"/>, which must hold exactly the bytes of that many
    /// weights — a whole number of blocks.
    /// </summary>
    /// <exception cref="NotSupportedException">The type is not one Hearth decodes.</exception>
    /// <exception cref="ArgumentException">The element count is not a whole number of blocks, or <paramref name="src"/> has the wrong length.</exception>
    public static unsafe void Dequantize(GgmlType type, ReadOnlySpan<byte> src, Span<float> dst)
    {
        var format = Require(type);
        int blocks = CheckSizes(format, src.Length, dst.Length, nameof(dst));
        if (dst.Length < BlockRanges.ParallelThreshold)
        {
            format.Decode(src, dst);
            return;
        }

        fixed (byte* srcPointer = src)
        fixed (float* dstPointer = dst)
        {
            // Spans cannot cross into the parallel lambdas; the pinned addresses can, for the duration of this call.
            nint srcAddress = (nint)srcPointer, dstAddress = (nint)dstPointer;
            BlockRanges.Run(blocks, dst.Length, (first, count) => format.Decode(
                new ReadOnlySpan<byte>((byte*)srcAddress + (long)first * format.TypeSize, count * format.TypeSize),
                new Span<float>((float*)dstAddress + (long)first * format.BlockSize, count * format.BlockSize)));
        }
    }

    /// <summary>Decodes <paramref name="elementCount"/> weights into a new array; see the span overload.</summary>
    /// <exception cref="NotSupportedException">The type is not one Hearth decodes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The count is negative or larger than an array can hold.</exception>
    /// <exception cref="ArgumentException">The count is not a whole number of blocks, or <paramref name="src"/> has the wrong length.</exception>
    public static float[] Dequantize(GgmlType type, ReadOnlySpan<byte> src, long elementCount)
    {
        var format = Require(type);
        if (elementCount < 0 || elementCount > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(elementCount), elementCount,
                $"element count must be between 0 and {Array.MaxLength}; decode larger tensors in slices with the span overload");

        // Validate before allocating, so a wrong count cannot allocate gigabytes first.
        CheckSizes(format, src.Length, (int)elementCount, nameof(elementCount));
        var result = new float[elementCount];
        Dequantize(type, src, result);
        return result;
    }

    private static BlockFormat Require(GgmlType type) =>
        BlockFormats.Find(type) ?? throw new NotSupportedException(
            $"ggml type {type} cannot be dequantized; supported types are " +
            string.Join(", ", BlockFormats.All.Select(f => f.Type)));

    private static int CheckSizes(BlockFormat format, int srcBytes, int elements, string elementsParameter)
    {
        if (elements % format.BlockSize != 0)
            throw new ArgumentException(
                $"{elements} elements is not a whole number of {format.Type} blocks of {format.BlockSize}", elementsParameter);
        int blocks = elements / format.BlockSize;
        long expected = (long)blocks * format.TypeSize;
        if (srcBytes != expected)
            throw new ArgumentException(
                $"{format.Type} data for {elements} elements must be {expected} bytes ({blocks} × {format.TypeSize}-byte blocks), found {srcBytes}",
                "src");
        return blocks;
    }
}
