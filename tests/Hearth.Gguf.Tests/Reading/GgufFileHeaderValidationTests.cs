namespace Hearth.Gguf.Tests.Reading;

/// <summary>The header and metadata rules of ggml's gguf.cpp, one test each, asserting where and what.</summary>
public class GgufFileHeaderValidationTests
{
    private static GgufFormatException Reject(byte[] image) =>
        Assert.Throws<GgufFormatException>(() => GgufFile.Parse(image));

    [Fact]
    public void RejectsWrongMagic()
    {
        var image = RawGguf.Header(0, 0).ToArray();
        image[0] = (byte)'X';

        var ex = Reject(image);

        Assert.Equal(0, ex.Offset);
        Assert.Equal("header magic", ex.Field);
        Assert.Contains("found magic 'XGUF'", ex.Message);
        Assert.Contains("expected 'GGUF'", ex.Message);
    }

    [Fact]
    public void RejectsAnImageTooShortForTheMagic()
    {
        var ex = Reject("GG"u8.ToArray());

        Assert.Contains("needs 4 bytes but only 2 remain", ex.Message);
    }

    [Fact]
    public void RejectsVersion1WithAClearMessage()
    {
        var ex = Reject(RawGguf.Header(0, 0, version: 1).ToArray());

        Assert.Equal(4, ex.Offset);
        Assert.Equal("header version", ex.Field);
        Assert.Contains("unsupported GGUF version 1", ex.Message);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(4u)]
    public void RejectsVersionsOtherThan2And3(uint version)
    {
        var ex = Reject(RawGguf.Header(0, 0, version).ToArray());

        Assert.Contains($"unsupported GGUF version {version}; versions 2 and 3 are supported", ex.Message);
    }

    [Fact]
    public void RejectsBigEndianFiles()
    {
        // A big-endian writer stores version 3 as 00 00 00 03, which reads as 0x03000000 little-endian.
        var ex = Reject(RawGguf.Header(0, 0, version: 0x03000000).ToArray());

        Assert.Contains("big-endian", ex.Message);
        Assert.Contains("version 3", ex.Message);
    }

    [Fact]
    public void RejectsTruncatedHeaderNamingTheField()
    {
        var image = RawGguf.Header(0, 0).ToArray()[..10];

        var ex = Reject(image);

        Assert.Equal(8, ex.Offset);
        Assert.Equal("header tensor count", ex.Field);
        Assert.Contains("byte 8", ex.Message);
        Assert.Contains("needs 8 bytes but only 2 remain", ex.Message);
    }

    [Fact]
    public void RejectsAHugeKeyCountBeforeAllocatingAnything()
    {
        var ex = Reject(RawGguf.Header(0, 1UL << 60).ToArray());

        Assert.Equal("header metadata key count", ex.Field);
        Assert.Contains($"metadata key count {1UL << 60} cannot fit", ex.Message);
    }

    [Fact]
    public void RejectsAHugeTensorCountBeforeAllocatingAnything()
    {
        var ex = Reject(RawGguf.Header(ulong.MaxValue, 0).ToArray());

        Assert.Equal("header tensor count", ex.Field);
        Assert.Contains("tensor count 18446744073709551615 cannot fit", ex.Message);
    }

    [Fact]
    public void RejectsAStringLongerThanTheBytesLeft()
    {
        var image = RawGguf.Header(0, 1).U64(1UL << 63).Bytes("abc"u8.ToArray()).Zeros(16).ToArray();

        var ex = Reject(image);

        Assert.Equal(24, ex.Offset);
        Assert.Equal("metadata key #0", ex.Field);
        Assert.Contains("string length 9223372036854775808 exceeds the maximum", ex.Message);
    }

    [Fact]
    public void RejectsAHugeArrayCountBeforeAllocatingAnything()
    {
        var image = RawGguf.Header(0, 1).Key("tokens", GgufValueType.Array)
            .U32((uint)GgufValueType.UInt64).U64(1UL << 60).Zeros(64).ToArray();

        var ex = Reject(image);

        Assert.Equal("metadata key #0 'tokens' value item count", ex.Field);
        Assert.Contains($"array item count {1UL << 60} cannot fit in the file: each needs at least 8 bytes", ex.Message);
    }

    [Fact]
    public void RejectsAStringArrayItemThatRunsPastTheEnd()
    {
        var image = RawGguf.Header(0, 1).Key("tokens", GgufValueType.Array)
            .U32((uint)GgufValueType.String).U64(2).Str("ok").U64(100).Bytes("short"u8.ToArray()).ToArray();

        var ex = Reject(image);

        Assert.Equal("metadata key #0 'tokens' value item 1", ex.Field);
        Assert.Contains("string length 100 exceeds the 5 bytes left", ex.Message);
    }

    [Fact]
    public void RejectsInvalidUtf8InKeysAndValues()
    {
        var badKey = RawGguf.Header(0, 1).StrBytes([0x61, 0xC3, 0x28]).U32((uint)GgufValueType.UInt8).U8(1).ToArray();
        var badValue = RawGguf.Header(0, 1).Key("general.name", GgufValueType.String).StrBytes([0xFF, 0xFE]).ToArray();

        Assert.Contains("not valid UTF-8", Reject(badKey).Message);
        var ex = Reject(badValue);
        Assert.Equal("metadata key #0 'general.name' value", ex.Field);
        Assert.Contains("not valid UTF-8", ex.Message);
    }

    [Fact]
    public void RejectsAnEmptyKey()
    {
        var ex = Reject(RawGguf.Header(0, 1).Str("").U32((uint)GgufValueType.UInt8).U8(1).Zeros(8).ToArray());

        Assert.Equal("metadata key #0", ex.Field);
        Assert.Contains("key is empty", ex.Message);
    }

    [Fact]
    public void RejectsDuplicateKeys()
    {
        var image = RawGguf.Header(0, 2).KeyU32("a.b", 1).KeyU32("a.b", 2).ToArray();

        var ex = Reject(image);

        Assert.Equal("metadata key #1", ex.Field);
        Assert.Contains("duplicate key 'a.b', first defined as key #0", ex.Message);
    }

    [Fact]
    public void RejectsAnUnknownValueType()
    {
        var image = RawGguf.Header(0, 1).Str("general.name").U32(13).U32(0).ToArray();

        var ex = Reject(image);

        Assert.Equal("metadata key #0 'general.name' type", ex.Field);
        Assert.Contains("invalid value type 13, should be in [0, 13)", ex.Message);
    }

    [Fact]
    public void RejectsAnUnknownArrayElementType()
    {
        var image = RawGguf.Header(0, 1).Key("x", GgufValueType.Array).U32(99).U64(0).ToArray();

        var ex = Reject(image);

        Assert.Equal("metadata key #0 'x' value element type", ex.Field);
        Assert.Contains("invalid value type 99", ex.Message);
    }

    [Fact]
    public void RejectsBoolsOtherThanZeroOrOne()
    {
        var scalar = RawGguf.Header(0, 1).Key("flag", GgufValueType.Bool).U8(2).ToArray();
        var inArray = RawGguf.Header(0, 1).Key("flags", GgufValueType.Array).U32((uint)GgufValueType.Bool).U64(3).U8(1).U8(0).U8(7).ToArray();

        var ex = Reject(scalar);
        Assert.Equal("metadata key #0 'flag' value", ex.Field);
        Assert.Contains("bool value is 2, should be 0 or 1", ex.Message);
        ex = Reject(inArray);
        Assert.Equal("metadata key #0 'flags' value item 2", ex.Field);
        Assert.Contains("bool value is 7", ex.Message);
    }

    [Fact]
    public void RejectsArraysNestedTooDeep()
    {
        var raw = RawGguf.Header(0, 1).Key("deep", GgufValueType.Array);
        for (var i = 0; i < 20; i++)
            raw.U32((uint)GgufValueType.Array).U64(1);
        raw.U32((uint)GgufValueType.UInt8).U64(0);

        var ex = Reject(raw.ToArray());

        Assert.Contains("nested more than 8 levels deep", ex.Message);
    }

    [Fact]
    public void RejectsAlignmentThatIsNotAUInt32()
    {
        var image = RawGguf.Header(0, 1).Key("general.alignment", GgufValueType.Int32).I32(64).ToArray();

        var ex = Reject(image);

        Assert.Equal("metadata key #0 'general.alignment' type", ex.Field);
        Assert.Contains("general.alignment must be of type uint32 but is int32", ex.Message);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(48u)]
    [InlineData(0x80000000u)]
    public void RejectsAlignmentThatIsNotAPowerOfTwo(uint alignment)
    {
        var ex = Reject(RawGguf.Header(0, 1).KeyU32("general.alignment", alignment).ToArray());

        Assert.Equal("metadata key #0 'general.alignment' value", ex.Field);
        Assert.Contains($"general.alignment is {alignment}, should be a non-zero power of two", ex.Message);
    }

    [Fact]
    public void QuotesHostileKeysSafelyInMessages()
    {
        var image = RawGguf.Header(0, 2).KeyU32("bad\nkey", 1).KeyU32("bad\nkey", 1).ToArray();

        var ex = Reject(image);

        Assert.Contains(@"'bad\u000akey'", ex.Message);
        Assert.DoesNotContain("\n", ex.Message);
    }
}
