using System.Buffers.Binary;
using Hearth.Gguf.Blocks;

namespace Hearth.Gguf.Tests.Blocks;

public class TensorQuantizerTests
{
    [Fact]
    public void RejectsTypesItCannotEncodeNamingTheTypeAndTheSupportedOnes()
    {
        var ex = Assert.Throws<NotSupportedException>(() => TensorQuantizer.Quantize(GgmlType.Q4_K, new float[256]));

        Assert.Contains("Q4_K", ex.Message);
        Assert.Contains("F32, F16, Q8_0, BF16", ex.Message);
    }

    [Fact]
    public void RejectsSourcesThatAreNotWholeBlocks()
    {
        var ex = Assert.Throws<ArgumentException>(() => TensorQuantizer.Quantize(GgmlType.Q8_0, new float[40]));

        Assert.Equal("src", ex.ParamName);
        Assert.Contains("40 elements is not a whole number of Q8_0 blocks of 32", ex.Message);
    }

    [Theory]
    [InlineData(67)]
    [InlineData(69)]
    public void RejectsDestinationsOfTheWrongSizeSayingFoundAndExpected(int bytes)
    {
        var ex = Assert.Throws<ArgumentException>(() => TensorQuantizer.Quantize(GgmlType.Q8_0, new float[64], new byte[bytes]));

        Assert.Equal("dst", ex.ParamName);
        Assert.Contains($"needs 68 bytes, found {bytes}", ex.Message);
    }

    [Fact]
    public void EncodesQ8_0WithScaleAmaxOver127AndRoundsHalvesAwayFromZero()
    {
        // amax = 127 makes d = 1 exactly, so the codes are roundf(x): ties go away from zero (2.5 → 3, not 2).
        var x = new float[32];
        x[0] = 127f; x[1] = 2.5f; x[2] = -3.5f; x[3] = 0.5f; x[4] = -0.5f; x[5] = 1.49f;

        byte[] block = TensorQuantizer.Quantize(GgmlType.Q8_0, x);

        Assert.Equal(34, block.Length);
        Assert.Equal((ushort)0x3C00, BinaryPrimitives.ReadUInt16LittleEndian(block));
        Assert.Equal([127, 3, -4, 1, -1, 1, 0], block[2..9].Select(b => (int)(sbyte)b));
    }

    [Fact]
    public void EncodesAllZeroQ8_0BlocksAsZeroScaleAndCodes()
    {
        Assert.All(TensorQuantizer.Quantize(GgmlType.Q8_0, new float[64]), b => Assert.Equal(0, b));
    }

    [Fact]
    public void Q8_0RoundTripIsWithinHalfAStepPlusTheScaleRoundingOfTheInput()
    {
        float[] x = TestWeights.Make("gaussian", 32 * 64);

        float[] y = TensorDequantizer.Dequantize(GgmlType.Q8_0, TensorQuantizer.Quantize(GgmlType.Q8_0, x), x.Length);

        for (int b = 0; b < 64; b++)
        {
            float amax = 0;
            for (int j = 0; j < 32; j++)
                amax = MathF.Max(amax, MathF.Abs(x[32 * b + j]));
            float step = amax / 127f;
            // Codes are rounded against the fp32 step but decoded with its fp16 copy (relative error ≤ 2^-11),
            // which a code of up to 127 multiplies.
            float bound = step * 0.5f + 127 * step * MathF.Pow(2, -11) + 1e-6f;
            for (int j = 0; j < 32; j++)
                Assert.InRange(MathF.Abs(y[32 * b + j] - x[32 * b + j]), 0f, bound);
        }
    }

    [Theory]
    [InlineData(0x3F800000u, (ushort)0x3C00)] // 1
    [InlineData(0x477FF000u, (ushort)0x7C00)] // 65520 is the tie between 65504 and 65536: even is infinity
    [InlineData(0x477FEFFFu, (ushort)0x7BFF)] // just below stays 65504
    [InlineData(0x33000000u, (ushort)0x0000)] // 2^-25 ties between 0 and the smallest subnormal: even is 0
    [InlineData(0x33400000u, (ushort)0x0001)] // 1.5·2^-25 rounds up to 2^-24
    [InlineData(0x7FA12345u, (ushort)0x7E00)] // NaN payload dropped, as in ggml
    [InlineData(0xFFC00001u, (ushort)0xFE00)]
    public void EncodesF16RoundingToNearestEven(uint input, ushort expected)
    {
        byte[] bytes = TensorQuantizer.Quantize(GgmlType.F16, [BitConverter.UInt32BitsToSingle(input)]);
        Assert.Equal(expected, BinaryPrimitives.ReadUInt16LittleEndian(bytes));
    }

    [Theory]
    [InlineData(0x3F808000u, (ushort)0x3F80)] // tie, even stays
    [InlineData(0x3F818000u, (ushort)0x3F82)] // tie, odd rounds up
    [InlineData(0x3F808001u, (ushort)0x3F81)]
    [InlineData(0x7F7FFFFFu, (ushort)0x7F80)] // float max rounds to infinity
    [InlineData(0x00400000u, (ushort)0x0040)] // subnormal kept, not flushed
    [InlineData(0x7FA00000u, (ushort)0x7FE0)] // signalling NaN made quiet
    public void EncodesBF16AsGgmlComputeFp32ToBf16(uint input, ushort expected)
    {
        byte[] bytes = TensorQuantizer.Quantize(GgmlType.BF16, [BitConverter.UInt32BitsToSingle(input)]);
        Assert.Equal(expected, BinaryPrimitives.ReadUInt16LittleEndian(bytes));
    }

    [Theory]
    [InlineData(GgmlType.F32)]
    [InlineData(GgmlType.F16)]
    [InlineData(GgmlType.BF16)]
    public void FloatTypesRoundTripValuesTheyCanRepresent(GgmlType type)
    {
        float[] x = [0f, -0f, 1f, -2f, 0.5f, 3.0f, 96f, -0.125f, float.PositiveInfinity];

        float[] y = TensorDequantizer.Dequantize(type, TensorQuantizer.Quantize(type, x), x.Length);

        Assert.Equal(x.Select(BitConverter.SingleToUInt32Bits), y.Select(BitConverter.SingleToUInt32Bits));
    }
}
