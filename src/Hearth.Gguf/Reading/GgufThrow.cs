using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Hearth.Gguf.Reading;

/// <summary>
/// Every format error the reader raises, in one place (the System.Text.Json <c>ThrowHelper</c> pattern): call sites stay
/// small, and the wording — item at fault, found vs expected, as ggml's <c>gguf.cpp</c> phrases it — stays consistent.
/// </summary>
internal static class GgufThrow
{
    private const int MaxQuotedLength = 80;

    [DoesNotReturn]
    public static void ThrowFormat(long offset, string field, string reason) =>
        throw new GgufFormatException(reason, offset, field);

    [DoesNotReturn]
    public static void ThrowFormat_EmptyFile(string path) =>
        throw new GgufFormatException("the file is empty; a GGUF file starts with the 4-byte magic 'GGUF'", 0, "header magic", path);

    [DoesNotReturn]
    public static void ThrowFormat_Truncated(long offset, string field, long needed, long remaining) =>
        ThrowFormat(offset, field, $"needs {needed} bytes but only {remaining} remain before the end of the file");

    [DoesNotReturn]
    public static void ThrowFormat_BadMagic(ReadOnlySpan<byte> found)
    {
        var text = new StringBuilder();
        foreach (var b in found)
            text.Append(b is >= 0x20 and < 0x7F ? (char)b : '?');
        ThrowFormat(0, "header magic", $"found magic '{text}' (0x{Convert.ToHexString(found)}), expected 'GGUF' (0x47475546); this is not a GGUF file");
    }

    [DoesNotReturn]
    public static void ThrowFormat_UnsupportedVersion(long offset, uint version) =>
        ThrowFormat(offset, "header version", version == 1
            ? "unsupported GGUF version 1; versions 2 and 3 are supported (re-convert the model with a current llama.cpp)"
            : $"unsupported GGUF version {version}; versions 2 and 3 are supported");

    /// <summary>ggml's test: a version whose low 16 bits are zero is a small version read with the wrong byte order.</summary>
    [DoesNotReturn]
    public static void ThrowFormat_BigEndian(long offset, uint version) =>
        ThrowFormat(offset, "header version", $"version field reads as {version} (0x{version:X8}), which is version {System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(version)} in big-endian byte order; only little-endian GGUF files are supported");

    [DoesNotReturn]
    public static void ThrowFormat_CountTooLarge(long offset, string field, string what, ulong count, long minBytesEach, long remaining) =>
        ThrowFormat(offset, field, $"{what} count {count} cannot fit in the file: each needs at least {minBytesEach} bytes and only {remaining} bytes remain");

    [DoesNotReturn]
    public static void ThrowFormat_StringTooLong(long offset, string field, ulong length, long remaining, long limit) =>
        ThrowFormat(offset, field, length > (ulong)limit
            ? $"string length {length} exceeds the maximum of {limit} bytes"
            : $"string length {length} exceeds the {remaining} bytes left in the file");

    [DoesNotReturn]
    public static void ThrowFormat_InvalidUtf8(long offset, string field) =>
        ThrowFormat(offset, field, "string is not valid UTF-8");

    [DoesNotReturn]
    public static void ThrowFormat_EmptyKey(long offset, string field) =>
        ThrowFormat(offset, field, "key is empty");

    [DoesNotReturn]
    public static void ThrowFormat_DuplicateKey(long offset, string field, string key, int firstIndex) =>
        ThrowFormat(offset, field, $"duplicate key {Quote(key)}, first defined as key #{firstIndex}");

    [DoesNotReturn]
    public static void ThrowFormat_InvalidValueType(long offset, string field, uint type) =>
        ThrowFormat(offset, field, $"invalid value type {type}, should be in [0, {GgufValueTypes.Count})");

    [DoesNotReturn]
    public static void ThrowFormat_ArrayTooDeep(long offset, string field, int maxDepth) =>
        ThrowFormat(offset, field, $"arrays are nested more than {maxDepth} levels deep");

    [DoesNotReturn]
    public static void ThrowFormat_InvalidBool(long offset, string field, byte value) =>
        ThrowFormat(offset, field, $"bool value is {value}, should be 0 or 1");

    [DoesNotReturn]
    public static void ThrowFormat_AlignmentType(long offset, string field, string foundType) =>
        ThrowFormat(offset, field, $"general.alignment must be of type uint32 but is {foundType}");

    [DoesNotReturn]
    public static void ThrowFormat_AlignmentValue(long offset, string field, uint alignment) =>
        ThrowFormat(offset, field, $"general.alignment is {alignment}, should be a non-zero power of two");

    [DoesNotReturn]
    public static void ThrowFormat_TensorNameTooLong(long offset, string field, int index, int length, int limit) =>
        ThrowFormat(offset, field, $"tensor #{index} name is {length} bytes, should be under {limit} (GGML_MAX_NAME)");

    [DoesNotReturn]
    public static void ThrowFormat_DuplicateTensorName(long offset, string field, string name, int first, int second) =>
        ThrowFormat(offset, field, $"duplicate tensor name {Quote(name)} for tensors #{first} and #{second}");

    [DoesNotReturn]
    public static void ThrowFormat_DimensionCount(long offset, string field, string name, uint count, int max) =>
        ThrowFormat(offset, field, $"tensor {Quote(name)} has {count} dimensions, should be in [1, {max}]");

    [DoesNotReturn]
    public static void ThrowFormat_NegativeDimension(long offset, string field, string name, int dimension, long value) =>
        ThrowFormat(offset, field, $"tensor {Quote(name)} dimension {dimension} is {value}, should be >= 0");

    [DoesNotReturn]
    public static void ThrowFormat_ElementCountOverflow(long offset, string field, string name, long[] shape) =>
        ThrowFormat(offset, field, $"total number of elements in tensor {Quote(name)} with shape [{string.Join(", ", shape)}] is >= {long.MaxValue}");

    [DoesNotReturn]
    public static void ThrowFormat_InvalidTensorType(long offset, string field, string name, uint type) =>
        ThrowFormat(offset, field, type < GgmlTypeInfo.TypeCount
            ? $"tensor {Quote(name)} has invalid type {type} (removed from ggml), should be in [0, {GgmlTypeInfo.TypeCount})"
            : $"tensor {Quote(name)} has invalid type {type}, should be in [0, {GgmlTypeInfo.TypeCount})");

    [DoesNotReturn]
    public static void ThrowFormat_RowNotBlockMultiple(long offset, string field, string name, GgmlTypeInfo type, long rowLength) =>
        ThrowFormat(offset, field, $"tensor {Quote(name)} of type {type.Name} has {rowLength} elements per row, not a multiple of the block size {type.BlockSize}");

    [DoesNotReturn]
    public static void ThrowFormat_ByteSizeOverflow(long offset, string field, string name, long[] shape) =>
        ThrowFormat(offset, field, $"tensor {Quote(name)} with shape [{string.Join(", ", shape)}] has a size in bytes >= {long.MaxValue}");

    [DoesNotReturn]
    public static void ThrowFormat_MisalignedOffset(long offset, string field, string name, ulong tensorOffset, int alignment) =>
        ThrowFormat(offset, field, $"tensor {Quote(name)} has offset {tensorOffset}, which is not a multiple of the alignment {alignment}");

    [DoesNotReturn]
    public static void ThrowFormat_DataPastEnd(long offset, string field, string name, ulong tensorOffset, long byteSize, long dataOffset, long fileSize) =>
        ThrowFormat(offset, field, $"tensor {Quote(name)} data at offset {tensorOffset} + {byteSize} bytes ends past the {fileSize - dataOffset} bytes of the data section (file is {fileSize} bytes, data starts at byte {dataOffset})");

    [DoesNotReturn]
    public static void ThrowFormat_Overlap(long offset, string field, string name, ulong start, long end, string otherName, ulong otherStart, long otherEnd) =>
        ThrowFormat(offset, field, $"tensor {Quote(name)} data [{start}, {end}) overlaps tensor {Quote(otherName)} data [{otherStart}, {otherEnd})");

    [DoesNotReturn]
    public static void ThrowFormat_DataSectionPastEnd(long offset, long dataOffset, long fileSize) =>
        ThrowFormat(offset, "data section", $"tensor data would start at byte {dataOffset} (header end padded to the alignment), past the end of the {fileSize}-byte file");

    /// <summary>Quotes a name from the file for a message, shortened and with control characters escaped, since it is untrusted.</summary>
    public static string Quote(string text)
    {
        var shown = text.Length > MaxQuotedLength ? text[..MaxQuotedLength] + "…" : text;
        var sb = new StringBuilder(shown.Length + 2).Append('\'');
        foreach (var c in shown)
        {
            if (char.IsControl(c))
                sb.Append($"\\u{(int)c:x4}");
            else
                sb.Append(c);
        }
        return sb.Append('\'').ToString();
    }
}
