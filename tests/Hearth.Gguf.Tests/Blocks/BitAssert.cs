namespace Hearth.Gguf.Tests.Blocks;

/// <summary>Bit-level comparisons that report the first differing position, so a failure points at a block and element.</summary>
internal static class BitAssert
{
    public static void Identical(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, int blockSize, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            uint e = BitConverter.SingleToUInt32Bits(expected[i]);
            uint a = BitConverter.SingleToUInt32Bits(actual[i]);
            if (e != a)
                Assert.Fail($"{what}: element {i} (block {i / blockSize}, index {i % blockSize}) is " +
                            $"{actual[i]:R} (0x{a:X8}), ggml gives {expected[i]:R} (0x{e:X8})");
        }
    }

    public static void Identical(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, int typeSize, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] != actual[i])
                Assert.Fail($"{what}: byte {i} (block {i / typeSize}, offset {i % typeSize}) is " +
                            $"0x{actual[i]:X2}, ggml writes 0x{expected[i]:X2}");
        }
    }
}
