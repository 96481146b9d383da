using Hearth.Gguf.Blocks;

namespace Hearth.Gguf.Tests.Blocks;

public class TensorDequantizerTests
{
    [Fact]
    public void RejectsTypesItCannotDecodeNamingTheTypeAndTheSupportedOnes()
    {
        var ex = Assert.Throws<NotSupportedException>(() => TensorDequantizer.Dequantize(GgmlType.IQ2_XXS, new byte[66], 256));

        Assert.Contains("IQ2_XXS", ex.Message);
        Assert.Contains("F32, F16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, BF16", ex.Message);
    }

    [Fact]
    public void RejectsUndefinedTypeNumbers()
    {
        var ex = Assert.Throws<NotSupportedException>(() => TensorDequantizer.Dequantize((GgmlType)99, new byte[4], new float[1]));
        Assert.Contains("99", ex.Message);
    }

    [Fact]
    public void RejectsElementCountsThatAreNotWholeBlocks()
    {
        var ex = Assert.Throws<ArgumentException>(() => TensorDequantizer.Dequantize(GgmlType.Q4_0, new byte[36], new float[33]));

        Assert.Equal("dst", ex.ParamName);
        Assert.Contains("33 elements is not a whole number of Q4_0 blocks of 32", ex.Message);
    }

    [Theory]
    [InlineData(143)]
    [InlineData(145)]
    [InlineData(0)]
    public void RejectsSourceOfTheWrongLengthSayingFoundAndExpected(int bytes)
    {
        var ex = Assert.Throws<ArgumentException>(() => TensorDequantizer.Dequantize(GgmlType.Q4_K, new byte[bytes], new float[256]));

        Assert.Equal("src", ex.ParamName);
        Assert.Contains("must be 144 bytes (1 × 144-byte blocks)", ex.Message);
        Assert.Contains($"found {bytes}", ex.Message);
    }

    [Fact]
    public void ArrayOverloadNamesTheElementCountWhenItIsNotWholeBlocks()
    {
        var ex = Assert.Throws<ArgumentException>(() => TensorDequantizer.Dequantize(GgmlType.Q6_K, new byte[210], 255));

        Assert.Equal("elementCount", ex.ParamName);
        Assert.Contains("255 elements is not a whole number of Q6_K blocks of 256", ex.Message);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(1L << 40)]
    public void RejectsElementCountsNoArrayCanHold(long count)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => TensorDequantizer.Dequantize(GgmlType.F32, new byte[4], count));
        Assert.Equal("elementCount", ex.ParamName);
    }

    [Fact]
    public void ChecksSizesBeforeAllocatingTheResult()
    {
        // ~8 GiB of floats if allocated first; the size check must fail before that.
        long count = Array.MaxLength / 32 * 32;
        var ex = Assert.Throws<ArgumentException>(() => TensorDequantizer.Dequantize(GgmlType.Q8_0, new byte[34], count));
        Assert.Contains("found 34", ex.Message);
    }

    [Fact]
    public void DecodesZeroElementsFromZeroBytes()
    {
        Assert.Empty(TensorDequantizer.Dequantize(GgmlType.Q6_K, ReadOnlySpan<byte>.Empty, 0));
    }

    [Fact]
    public void DecodesIntoTheSpanGivenLeavingNothingElseTouched()
    {
        byte[] q8 = TensorQuantizer.Quantize(GgmlType.Q8_0, TestWeights.Make("gaussian", 64));
        var buffer = new float[66];
        buffer[0] = buffer[65] = 42f;

        TensorDequantizer.Dequantize(GgmlType.Q8_0, q8, buffer.AsSpan(1, 64));

        Assert.Equal(42f, buffer[0]);
        Assert.Equal(42f, buffer[65]);
        Assert.Equal(TensorDequantizer.Dequantize(GgmlType.Q8_0, q8, 64), buffer[1..65]);
    }
}
