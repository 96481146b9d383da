using Hearth.Gguf.Blocks;

namespace Hearth.Gguf.Tests.Blocks;

/// <summary>Hearth's encoders against ggml's: <c>ggml_quantize_chunk</c> and the type's <c>from_float_ref</c> on the same floats.</summary>
public class QuantizeMatchesGgmlTests
{
    public static readonly GgmlType[] EncodableTypes = [GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0];

    public static TheoryData<GgmlType, string> TypesAndDistributions()
    {
        var data = new TheoryData<GgmlType, string>();
        foreach (var type in EncodableTypes)
            foreach (var distribution in TestWeights.Distributions)
                data.Add(type, distribution);
        return data;
    }

    public static TheoryData<GgmlType> Encodable() => new(EncodableTypes);

    [Theory]
    [MemberData(nameof(TypesAndDistributions))]
    public void WritesTheBytesGgmlWrites(GgmlType type, string distribution)
    {
        float[] x = TestWeights.Make(distribution);

        byte[] expected = GgmlNative.Quantize(type, x, TestWeights.Rows);
        byte[] actual = TensorQuantizer.Quantize(type, x);

        BitAssert.Identical(expected, actual, GgmlTypeInfo.Get(type).TypeSize, $"{type} of {distribution} weights");
    }

    [Theory]
    [InlineData(GgmlType.F16)]
    [InlineData(GgmlType.BF16)]
    [InlineData(GgmlType.Q8_0)]
    public void WritesTheBytesOfGgmlsReferenceQuantizer(GgmlType type)
    {
        float[] x = TestWeights.Make("outliers");

        byte[] expected = GgmlNative.QuantizeReference(type, x);
        byte[] actual = TensorQuantizer.Quantize(type, x);

        BitAssert.Identical(expected, actual, GgmlTypeInfo.Get(type).TypeSize, $"{type} via from_float_ref");
    }

    /// <summary>
    /// Rounding ties, overflow to infinity, subnormals of both widths, signed zeros and NaNs with payloads — the inputs where
    /// a conversion that is "almost" right differs. Laid out 32 to a block so Q8_0 also sees blocks of only such values.
    /// </summary>
    [Theory]
    [MemberData(nameof(Encodable))]
    public void WritesTheBytesGgmlWritesForSpecialValues(GgmlType type)
    {
        uint[] patterns =
        [
            0x7FC00000, 0xFFC00000, 0x7F800001, 0x7FA12345, 0xFFC12345, 0x7F800000, 0xFF800000, 0x00000000,
            0x80000000, 0x00000001, 0x80000003, 0x00400000, 0x007FFFFF, 0x00800000, 0x33000000, 0x33000001,
            0x33800000, 0x387FC000, 0x38800000, 0x3F808000, 0x3F818000, 0x3F808001, 0x477FEFFF, 0x477FF000,
            0x477FE000, 0x7F7FFFFF, 0xFF7FFFFF, 0x3F800000, 0xBF800000, 0x3F7FFFFF, 0x7F7F8000, 0x47800000,
            // a block of only subnormals, where Q8_0's 1/d overflows
            0x00000005, 0x80000007, 0x00000001, 0x00000000, 0x00000002, 0x80000001, 0x00000003, 0x00000004,
            0x00000005, 0x80000007, 0x00000001, 0x00000000, 0x00000002, 0x80000001, 0x00000003, 0x00000004,
            0x00000005, 0x80000007, 0x00000001, 0x00000000, 0x00000002, 0x80000001, 0x00000003, 0x00000004,
            0x00000005, 0x80000007, 0x00000001, 0x00000000, 0x00000002, 0x80000001, 0x00000003, 0x00400000,
            // a block whose only non-finite value is infinity
            0x7F800000, 0x3F800000, 0xBF000000, 0x40000000, 0x00000000, 0x3E800000, 0x3F800000, 0x3F800000,
            0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000,
            0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000,
            0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000,
            // a block with a NaN after the largest value (ggml's MAX keeps the NaN only while it is last)
            0x3F800000, 0x40400000, 0x7FC00000, 0x3F000000, 0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000,
            0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000,
            0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000,
            0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000, 0x7FC00000,
        ];
        float[] x = patterns.Select(BitConverter.UInt32BitsToSingle).ToArray();

        byte[] expected = GgmlNative.Quantize(type, x, 1);
        byte[] actual = TensorQuantizer.Quantize(type, x);

        BitAssert.Identical(expected, actual, GgmlTypeInfo.Get(type).TypeSize, $"{type} of special values");
    }

    /// <summary>Uniformly random 32-bit patterns cover every exponent, including the ones weights never have.</summary>
    [Theory]
    [MemberData(nameof(Encodable))]
    public void WritesTheBytesGgmlWritesForRandomBitPatterns(GgmlType type)
    {
        var random = new Random(2024);
        var x = new float[1 << 16];
        for (int i = 0; i < x.Length; i++)
            x[i] = BitConverter.UInt32BitsToSingle((uint)random.NextInt64(0, 1L << 32));

        byte[] expected = GgmlNative.Quantize(type, x, 1);
        byte[] actual = TensorQuantizer.Quantize(type, x);

        BitAssert.Identical(expected, actual, GgmlTypeInfo.Get(type).TypeSize, $"{type} of random bit patterns");
    }

    [Theory]
    [MemberData(nameof(Encodable))]
    public void EncodesLargeTensorsInParallelIdenticallyToGgml(GgmlType type)
    {
        float[] x = TestWeights.Make("gaussian", (1 << 20) + 7 * 32);

        byte[] expected = GgmlNative.Quantize(type, x, 1);
        byte[] actual = TensorQuantizer.Quantize(type, x);

        BitAssert.Identical(expected, actual, GgmlTypeInfo.Get(type).TypeSize, $"{type} of {x.Length} weights");
    }
}
