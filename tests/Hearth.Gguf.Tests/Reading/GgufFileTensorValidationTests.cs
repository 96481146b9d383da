namespace Hearth.Gguf.Tests.Reading;

/// <summary>The tensor directory rules of ggml's gguf.cpp (plus layout checks), one test each.</summary>
public class GgufFileTensorValidationTests
{
    private const uint F32 = (uint)GgmlType.F32;

    private static GgufFormatException Reject(byte[] image) =>
        Assert.Throws<GgufFormatException>(() => GgufFile.Parse(image));

    /// <summary>A file with one tensor entry and enough zeroed data behind the padded header.</summary>
    private static byte[] OneTensor(string name, long[] dimensions, uint type, ulong offset = 0, int data = 64) =>
        RawGguf.Header(1, 0).Tensor(name, dimensions, type, offset).Pad().Zeros(data).ToArray();

    [Fact]
    public void RejectsATensorNameOf64BytesOrMore()
    {
        var ex = Reject(OneTensor(new string('n', 64), [1], F32));

        Assert.Equal("tensor #0 name", ex.Field);
        Assert.Contains("tensor #0 name is 64 bytes, should be under 64", ex.Message);
    }

    [Fact]
    public void RejectsDuplicateTensorNames()
    {
        var image = RawGguf.Header(2, 0).Tensor("w", [8], F32, 0).Tensor("w", [8], F32, 32).Pad().Zeros(64).ToArray();

        var ex = Reject(image);

        Assert.Equal("tensor #1 name", ex.Field);
        Assert.Contains("duplicate tensor name 'w' for tensors #0 and #1", ex.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void RejectsDimensionCountsOutside1To4(int count)
    {
        var ex = Reject(OneTensor("w", Enumerable.Repeat(1L, count).ToArray(), F32));

        Assert.Equal("tensor 'w' dimension count", ex.Field);
        Assert.Contains($"tensor 'w' has {count} dimensions, should be in [1, 4]", ex.Message);
    }

    [Fact]
    public void RejectsANegativeDimension()
    {
        var ex = Reject(OneTensor("w", [4, -3], F32));

        Assert.Equal("tensor 'w' dimension 1", ex.Field);
        Assert.Contains("dimension 1 is -3, should be >= 0", ex.Message);
    }

    [Fact]
    public void RejectsAnElementCountThatOverflowsInt64()
    {
        var ex = Reject(OneTensor("w", [1L << 32, 1L << 31], F32));

        Assert.Equal("tensor 'w' dimensions", ex.Field);
        Assert.Contains($"total number of elements in tensor 'w' with shape [{1L << 32}, {1L << 31}] is >= {long.MaxValue}", ex.Message);
    }

    [Theory]
    [InlineData(99u, "has invalid type 99, should be in [0, 43)")]
    [InlineData(4u, "has invalid type 4 (removed from ggml), should be in [0, 43)")]
    public void RejectsATensorTypeGgmlDoesNotDefine(uint type, string expected)
    {
        var ex = Reject(OneTensor("x", [32], type));

        Assert.Equal("tensor 'x' type", ex.Field);
        Assert.Contains("tensor 'x' " + expected, ex.Message);
    }

    [Fact]
    public void RejectsARowLengthThatIsNotAWholeNumberOfBlocks()
    {
        var ex = Reject(OneTensor("q", [33, 2], (uint)GgmlType.Q4_0));

        Assert.Contains("tensor 'q' of type Q4_0 has 33 elements per row, not a multiple of the block size 32", ex.Message);
    }

    [Fact]
    public void RejectsAByteSizeThatOverflowsInt64()
    {
        // 2^61 F64 elements is a valid element count but 2^64 bytes.
        var ex = Reject(OneTensor("d", [1L << 61], (uint)GgmlType.F64));

        Assert.Contains("has a size in bytes >=", ex.Message);
    }

    [Fact]
    public void RejectsAnOffsetThatIsNotAligned()
    {
        var ex = Reject(OneTensor("w", [4], F32, offset: 17));

        Assert.Equal("tensor 'w' offset", ex.Field);
        Assert.Contains("tensor 'w' has offset 17, which is not a multiple of the alignment 32", ex.Message);
    }

    [Fact]
    public void RejectsTensorDataThatEndsPastTheEndOfTheFile()
    {
        var image = SampleGguf.Write(new GgufMetadata(), SampleGguf.SmallTensors());

        var ex = Reject(image[..^40]);

        Assert.Equal("tensor 'output_norm.weight' offset", ex.Field);
        Assert.Contains("tensor 'output_norm.weight' data at offset", ex.Message);
        Assert.Contains("ends past the", ex.Message);
    }

    [Fact]
    public void RejectsAnOffsetFarPastTheEndOfTheFile()
    {
        var ex = Reject(OneTensor("w", [4], F32, offset: 1UL << 63));

        Assert.Contains($"data at offset {1UL << 63} + 16 bytes ends past", ex.Message);
    }

    [Fact]
    public void RejectsOverlappingTensors()
    {
        var image = RawGguf.Header(2, 0)
            .Tensor("a", [16], F32, 0)   // bytes [0, 64)
            .Tensor("b", [8], F32, 32)   // bytes [32, 64)
            .Pad().Zeros(64).ToArray();

        var ex = Reject(image);

        Assert.Equal("tensor 'b' offset", ex.Field);
        Assert.Contains("tensor 'b' data [32, 64) overlaps tensor 'a' data [0, 64)", ex.Message);
    }

    [Fact]
    public void AcceptsTensorsStoredOutOfHeaderOrder()
    {
        var image = RawGguf.Header(2, 0)
            .Tensor("second", [8], F32, 32)
            .Tensor("first", [8], F32, 0)
            .Pad().Zeros(64).ToArray();

        using var file = GgufFile.Parse(image);

        Assert.Equal(32UL, file.FindTensor("second")!.Offset);
    }

    [Fact]
    public void RejectsADataSectionThatStartsPastTheEndOfTheFile()
    {
        // Header ends unpadded: the data section would start beyond the last byte.
        var image = RawGguf.Header(1, 0).Tensor("w", [0], F32, 0).ToArray();

        var ex = Reject(image);

        Assert.Equal("data section", ex.Field);
        Assert.Contains("past the end of the", ex.Message);
    }

    [Fact]
    public void ReportsTheByteOffsetOfTheFaultyField()
    {
        // 24-byte header, then name length (8) + "w" (1) + dimension count (4) + one dimension (8) = type at byte 45.
        var ex = Reject(OneTensor("w", [32], 77));

        Assert.Equal(45, ex.Offset);
        Assert.Contains("at byte 45 (tensor 'w' type)", ex.Message);
    }
}
