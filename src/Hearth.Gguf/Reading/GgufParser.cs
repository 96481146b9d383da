using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Hearth.Gguf.Reading;

/// <summary>
/// Parses and validates a GGUF header (ggml/docs/gguf.md) over a block of memory: a file mapping or a pinned buffer.
/// Only the header is touched, so opening a multi-gigabyte model reads a few kilobytes to megabytes.
/// </summary>
/// <remarks>
/// Mirrors the checks of ggml's <c>gguf_init_from_reader</c> (ggml/src/gguf.cpp): every read is checked against the
/// bytes remaining, lengths and counts are capped by those bytes before anything is allocated, and overflow is
/// checked before multiplying. Any malformed input ends in a <see cref="GgufFormatException"/>; nothing else escapes.
/// Not thread-safe; one instance parses one image once.
/// </remarks>
internal sealed unsafe partial class GgufParser
{
    /// <summary>"GGUF" as bytes; the magic is written byte-wise, so it reads the same in either byte order.</summary>
    private static ReadOnlySpan<byte> Magic => "GGUF"u8;

    /// <summary>GGUF_MAX_STRING_LENGTH in gguf.cpp: no string (key, value or name) may exceed 1 GiB.</summary>
    internal const long MaxStringLength = 1L << 30;

    /// <summary>GGUF_MAX_ARRAY_ELEMENTS in gguf.cpp.</summary>
    internal const long MaxArrayElements = 1L << 30;

    private readonly byte* _data;
    private readonly long _length;
    private long _position;

    private GgufParser(byte* data, long length)
    {
        _data = data;
        _length = length;
    }

    /// <summary>Parses the header of the <paramref name="length"/>-byte image at <paramref name="data"/>.</summary>
    public static GgufLayout Parse(byte* data, long length) => new GgufParser(data, length).ParseImage();

    private long Remaining => _length - _position;

    private GgufLayout ParseImage()
    {
        var magic = Take(4, "header magic");
        if (!magic.SequenceEqual(Magic))
            GgufThrow.ThrowFormat_BadMagic(magic);

        var version = ReadVersion();

        // ggml reads both counts as int64 and rejects negatives; the bytes left then bound them far tighter.
        var countsAt = _position;
        var tensorCount = ReadUInt64("header tensor count");
        var keyCount = ReadUInt64("header metadata key count");
        CheckCount(countsAt, "header tensor count", "tensor", tensorCount, MinTensorInfoBytes);
        CheckCount(countsAt + 8, "header metadata key count", "metadata key", keyCount, MinKeyValueBytes);

        var metadata = ReadMetadata((int)keyCount, out var alignment);
        var tensors = ReadTensorInfos((int)tensorCount, alignment, out var offsetFieldPositions);

        // The data section starts at the header end padded to the alignment (GGML_PAD in gguf.cpp).
        var headerEnd = _position;
        var dataOffset = AlignUp(headerEnd, alignment);
        if (tensors.Length > 0 && dataOffset > _length)
            GgufThrow.ThrowFormat_DataSectionPastEnd(headerEnd, dataOffset, _length);

        ValidateTensorData(tensors, offsetFieldPositions, dataOffset);
        return new GgufLayout(version, metadata, tensors, alignment, dataOffset);
    }

    private uint ReadVersion()
    {
        var at = _position;
        var version = ReadUInt32("header version");
        if (version != 0 && (version & 0xFFFF) == 0)
            GgufThrow.ThrowFormat_BigEndian(at, version);
        if (version is not (2 or 3))
            GgufThrow.ThrowFormat_UnsupportedVersion(at, version);
        return version;
    }

    /// <summary>Fails fast when a count could not possibly fit in the bytes left (a count of 2^60 must not allocate).</summary>
    private void CheckCount(long at, string field, string what, ulong count, int minBytesEach)
    {
        if (count > (ulong)(Remaining / minBytesEach))
            GgufThrow.ThrowFormat_CountTooLarge(at, field, what, count, minBytesEach, Remaining);
        if (count > MaxArrayElements)
            GgufThrow.ThrowFormat(at, field, $"{what} count {count} exceeds the maximum of {MaxArrayElements}");
    }

    private static long AlignUp(long value, int alignment) => (value + alignment - 1) / alignment * alignment;

    // ---- primitive reads: each checks the bytes remaining first --------------------------------------------

    // Field names are passed as a base plus an optional array item index and only formatted when a read fails,
    // so reading a 150k-entry token list does not build 150k field strings.

    private static string Name(string field, long item) => item < 0 ? field : $"{field} item {item}";

    /// <summary>Returns the next <paramref name="count"/> bytes (at most 1 GiB) and advances, or fails naming the field.</summary>
    private ReadOnlySpan<byte> Take(long count, string field, long item = -1)
    {
        if (count > Remaining)
            GgufThrow.ThrowFormat_Truncated(_position, Name(field, item), count, Remaining);
        var span = new ReadOnlySpan<byte>(_data + _position, (int)count);
        _position += count;
        return span;
    }

    private byte ReadByte(string field, long item = -1) => Take(1, field, item)[0];

    private uint ReadUInt32(string field, long item = -1) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, field, item));

    private ulong ReadUInt64(string field, long item = -1) => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, field, item));

    private long ReadInt64(string field, long item = -1) => BinaryPrimitives.ReadInt64LittleEndian(Take(8, field, item));

    /// <summary>A GGUF string: uint64 byte length, then that many bytes of UTF-8 (no terminator).</summary>
    private string ReadString(string field, long item = -1)
    {
        var at = _position;
        var length = ReadUInt64(field, item);
        if (length > (ulong)Remaining || length > MaxStringLength)
            GgufThrow.ThrowFormat_StringTooLong(at, Name(field, item), length, Remaining, MaxStringLength);
        var bytes = Take((long)length, field, item);
        if (!Utf8.IsValid(bytes))
            GgufThrow.ThrowFormat_InvalidUtf8(at + 8, Name(field, item));
        return Encoding.UTF8.GetString(bytes);
    }
}
