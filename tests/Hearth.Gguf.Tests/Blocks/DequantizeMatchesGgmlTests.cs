using Hearth.Gguf.Blocks;

namespace Hearth.Gguf.Tests.Blocks;

/// <summary>
/// Hearth's decoders against ggml's own <c>to_float</c> on the same bytes: ggml quantizes (reference and importance-matrix
/// paths), or the bytes are random, and both decoders must produce identical fp32 bits.
/// </summary>
public class DequantizeMatchesGgmlTests
{
    public static readonly GgmlType[] QuantizedTypes =
    [
        GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q8_0,
        GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K,
    ];

    public static readonly GgmlType[] AllTypes = [GgmlType.F32, GgmlType.F16, GgmlType.BF16, .. QuantizedTypes];

    public static TheoryData<GgmlType, string> TypesAndDistributions()
    {
        var data = new TheoryData<GgmlType, string>();
        foreach (var type in AllTypes)
            foreach (var distribution in TestWeights.Distributions)
                data.Add(type, distribution);
        return data;
    }

    public static TheoryData<GgmlType> Quantized() => new(QuantizedTypes);

    [Theory]
    [MemberData(nameof(TypesAndDistributions))]
    public void DecodesBytesGgmlQuantizedIdenticallyToGgml(GgmlType type, string distribution)
    {
        float[] x = TestWeights.Make(distribution);
        byte[] bytes = GgmlNative.Quantize(type, x, TestWeights.Rows);

        float[] expected = GgmlNative.Dequantize(type, bytes, x.Length) ?? x; // F32 has no to_float: ggml copies
        float[] actual = TensorDequantizer.Dequantize(type, bytes, x.Length);

        BitAssert.Identical(expected, actual, GgmlTypeInfo.Get(type).BlockSize, $"{type} of {distribution} weights");
    }

    [Theory]
    [MemberData(nameof(Quantized))]
    public void DecodesBytesFromGgmlImportanceMatrixPathIdenticallyToGgml(GgmlType type)
    {
        foreach (var distribution in new[] { "gaussian", "outliers", "positive" })
        {
            float[] x = TestWeights.Make(distribution);
            byte[] bytes = GgmlNative.Quantize(type, x, TestWeights.Rows, TestWeights.Importance());

            float[] expected = GgmlNative.Dequantize(type, bytes, x.Length)!;
            float[] actual = TensorDequantizer.Dequantize(type, bytes, x.Length);

            BitAssert.Identical(expected, actual, GgmlTypeInfo.Get(type).BlockSize, $"{type} (imatrix) of {distribution} weights");
        }
    }

    /// <summary>
    /// Random bytes reach bit patterns no quantizer writes (high scale bits, every hmask/qh combination, negative Q6_K
    /// scales, NaN and infinite fp16 scales), which is where a misplaced shift or mask shows.
    /// </summary>
    [Theory]
    [MemberData(nameof(Quantized))]
    public void DecodesRandomBlocksIdenticallyToGgml(GgmlType type)
    {
        var info = GgmlTypeInfo.Get(type);
        int blocks = 256;
        var bytes = new byte[blocks * info.TypeSize];
        new Random(42 + (int)type).NextBytes(bytes);

        float[] expected = GgmlNative.Dequantize(type, bytes, blocks * info.BlockSize)!;
        float[] actual = TensorDequantizer.Dequantize(type, bytes, blocks * info.BlockSize);

        BitAssert.Identical(expected, actual, info.BlockSize, $"{type} of random bytes");
    }

    [Theory]
    [InlineData(GgmlType.F16)]
    [InlineData(GgmlType.BF16)]
    public void DecodesEverySixteenBitPatternIdenticallyToGgml(GgmlType type)
    {
        var bytes = new byte[65536 * 2];
        for (int i = 0; i < 65536; i++)
        {
            bytes[2 * i] = (byte)i;
            bytes[2 * i + 1] = (byte)(i >> 8);
        }

        float[] expected = GgmlNative.Dequantize(type, bytes, 65536)!;
        float[] actual = TensorDequantizer.Dequantize(type, bytes, 65536);

        BitAssert.Identical(expected, actual, 1, $"{type} bit patterns");

        // One at a time takes the scalar path that whole-vector runs skip.
        var single = new float[65536];
        for (int i = 0; i < 65536; i++)
            TensorDequantizer.Dequantize(type, bytes.AsSpan(2 * i, 2), single.AsSpan(i, 1));
        BitAssert.Identical(expected, single, 1, $"{type} bit patterns one at a time");
    }

    /// <summary>Past <c>BlockRanges.ParallelThreshold</c> the work is split across threads; the result must not change.</summary>
    [Theory]
    [InlineData(GgmlType.Q4_K)]
    [InlineData(GgmlType.Q8_0)]
    [InlineData(GgmlType.F16)]
    public void DecodesLargeTensorsInParallelIdenticallyToGgml(GgmlType type)
    {
        var info = GgmlTypeInfo.Get(type);
        int elements = (1 << 20) + 7 * 256; // over the threshold and not a multiple of the range count
        var bytes = new byte[info.RowBytes(elements)];
        new Random(7).NextBytes(bytes);

        float[] expected = GgmlNative.Dequantize(type, bytes, elements)!;
        float[] actual = TensorDequantizer.Dequantize(type, bytes, elements);

        BitAssert.Identical(expected, actual, info.BlockSize, $"{type} of {elements} random elements");
    }
}
