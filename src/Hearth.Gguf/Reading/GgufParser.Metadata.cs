using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Hearth.Gguf.Reading;

internal sealed unsafe partial class GgufParser
{
    /// <summary>Smallest possible key/value pair: key length, a one-byte key (ggml rejects empty keys), type, a one-byte value.</summary>
    private const int MinKeyValueBytes = 8 + 1 + 4 + 1;

    /// <summary>
    /// How deep arrays of arrays may nest. ggml itself rejects nested arrays; the spec allows them, so Hearth reads
    /// them but caps the depth so a crafted file cannot exhaust the stack (an uncatchable crash in .NET).
    /// </summary>
    internal const int MaxArrayDepth = 8;

    private const string AlignmentKey = "general.alignment";
    private const uint MaxAlignment = 1u << 30;

    private GgufMetadata ReadMetadata(int keyCount, out int alignment)
    {
        var metadata = new GgufMetadata();
        var firstIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        alignment = GgufWriter.DefaultAlignment;

        for (var i = 0; i < keyCount; i++)
        {
            var keyAt = _position;
            var keyField = $"metadata key #{i}";
            var key = ReadString(keyField);
            if (key.Length == 0)
                GgufThrow.ThrowFormat_EmptyKey(keyAt, keyField);
            if (firstIndex.TryGetValue(key, out var first))
                GgufThrow.ThrowFormat_DuplicateKey(keyAt, keyField, key, first);
            firstIndex.Add(key, i);

            var field = $"metadata key #{i} {GgufThrow.Quote(key)}";
            var typeAt = _position;
            var type = ReadValueType(field + " type");
            var valueAt = _position;
            var value = ReadValue(type, field + " value", depth: 0);
            metadata.TryAdd(key, value);

            if (key == AlignmentKey)
                alignment = CheckAlignment(value, typeAt, valueAt, field);
        }
        return metadata;
    }

    /// <summary>general.alignment must be a uint32 power of two (gguf.cpp); Hearth also caps it at 2^30 to keep it an int.</summary>
    private static int CheckAlignment(GgufValue value, long typeAt, long valueAt, string field)
    {
        if (value.Type != GgufValueType.UInt32)
            GgufThrow.ThrowFormat_AlignmentType(typeAt, field + " type", value.Describe());
        var alignment = (uint)value.Value;
        if (alignment == 0 || (alignment & (alignment - 1)) != 0 || alignment > MaxAlignment)
            GgufThrow.ThrowFormat_AlignmentValue(valueAt, field + " value", alignment);
        return (int)alignment;
    }

    private GgufValueType ReadValueType(string field)
    {
        var at = _position;
        var raw = ReadUInt32(field);
        if (raw >= GgufValueTypes.Count)
            GgufThrow.ThrowFormat_InvalidValueType(at, field, raw);
        return (GgufValueType)raw;
    }

    private GgufValue ReadValue(GgufValueType type, string field, int depth) => type switch
    {
        GgufValueType.UInt8 => GgufValue.From(ReadByte(field)),
        GgufValueType.Int8 => GgufValue.From((sbyte)ReadByte(field)),
        GgufValueType.UInt16 => GgufValue.From(BinaryPrimitives.ReadUInt16LittleEndian(Take(2, field))),
        GgufValueType.Int16 => GgufValue.From(BinaryPrimitives.ReadInt16LittleEndian(Take(2, field))),
        GgufValueType.UInt32 => GgufValue.From(ReadUInt32(field)),
        GgufValueType.Int32 => GgufValue.From(BinaryPrimitives.ReadInt32LittleEndian(Take(4, field))),
        GgufValueType.Float32 => GgufValue.From(BinaryPrimitives.ReadSingleLittleEndian(Take(4, field))),
        GgufValueType.Bool => GgufValue.From(ReadBool(field)),
        GgufValueType.String => GgufValue.From(ReadString(field)),
        GgufValueType.UInt64 => GgufValue.From(ReadUInt64(field)),
        GgufValueType.Int64 => GgufValue.From(ReadInt64(field)),
        GgufValueType.Float64 => GgufValue.From(BinaryPrimitives.ReadDoubleLittleEndian(Take(8, field))),
        _ => ReadArray(field, depth + 1),
    };

    /// <summary>Bools are one byte that must be 0 or 1 (the spec; ggml reads any non-zero as true, Hearth is stricter).</summary>
    private bool ReadBool(string field, long item = -1)
    {
        var at = _position;
        var b = ReadByte(field, item);
        if (b > 1)
            GgufThrow.ThrowFormat_InvalidBool(at, Name(field, item), b);
        return b == 1;
    }

    /// <summary>An array: element type (uint32), item count (uint64), then the items back to back.</summary>
    private GgufValue ReadArray(string field, int depth)
    {
        var at = _position;
        if (depth > MaxArrayDepth)
            GgufThrow.ThrowFormat_ArrayTooDeep(at, field, MaxArrayDepth);
        var elementType = ReadValueType(field + " element type");
        var countAt = _position;
        var count = ReadUInt64(field + " item count");

        // Cap the count by the bytes left before allocating anything: a count of 2^60 fails here, not in `new T[]`.
        var minItemBytes = elementType switch
        {
            GgufValueType.String => 8, // just the length prefix of an empty string
            GgufValueType.Array => 4 + 8, // element type and count of an empty array
            _ => GgufValueTypes.ScalarSize(elementType),
        };
        CheckCount(countAt, field + " item count", "array item", count, minItemBytes);
        var n = (int)count;

        switch (elementType)
        {
            case GgufValueType.UInt8: return GgufValue.Array(ReadFixed<byte>(n, field));
            case GgufValueType.Int8: return GgufValue.Array(ReadFixed<sbyte>(n, field));
            case GgufValueType.UInt16: return GgufValue.Array(ReadFixed<ushort>(n, field));
            case GgufValueType.Int16: return GgufValue.Array(ReadFixed<short>(n, field));
            case GgufValueType.UInt32: return GgufValue.Array(ReadFixed<uint>(n, field));
            case GgufValueType.Int32: return GgufValue.Array(ReadFixed<int>(n, field));
            case GgufValueType.Float32: return GgufValue.Array(ReadFixed<float>(n, field));
            case GgufValueType.UInt64: return GgufValue.Array(ReadFixed<ulong>(n, field));
            case GgufValueType.Int64: return GgufValue.Array(ReadFixed<long>(n, field));
            case GgufValueType.Float64: return GgufValue.Array(ReadFixed<double>(n, field));
            case GgufValueType.Bool:
            {
                var items = new bool[n];
                for (var i = 0; i < n; i++)
                    items[i] = ReadBool(field, i);
                return GgufValue.Array(items);
            }
            case GgufValueType.String:
            {
                var items = new string[n];
                for (var i = 0; i < n; i++)
                    items[i] = ReadString(field, i);
                return GgufValue.Array(items);
            }
            default:
            {
                var items = new GgufValue[n];
                for (var i = 0; i < n; i++)
                    items[i] = ReadArray($"{field} item {i}", depth + 1);
                return GgufValue.Array(items);
            }
        }
    }

    /// <summary>Copies <paramref name="count"/> little-endian fixed-size items straight out of the image.</summary>
    private T[] ReadFixed<T>(int count, string field) where T : unmanaged
    {
        var bytes = (long)count * sizeof(T);
        if (bytes > Remaining)
            GgufThrow.ThrowFormat_Truncated(_position, field, bytes, Remaining);
        var items = new T[count];
        fixed (T* destination = items)
            Buffer.MemoryCopy(_data + _position, destination, bytes, bytes);
        _position += bytes;
        if (!BitConverter.IsLittleEndian)
            ToHostOrder(items.AsSpan());
        return items;
    }

    /// <summary>GGUF is little-endian on disk; on a big-endian host swap each item in place.</summary>
    private static void ToHostOrder<T>(Span<T> items) where T : unmanaged
    {
        switch (sizeof(T))
        {
            case 2: BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<T, ushort>(items), MemoryMarshal.Cast<T, ushort>(items)); break;
            case 4: BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<T, uint>(items), MemoryMarshal.Cast<T, uint>(items)); break;
            case 8: BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<T, ulong>(items), MemoryMarshal.Cast<T, ulong>(items)); break;
        }
    }
}
