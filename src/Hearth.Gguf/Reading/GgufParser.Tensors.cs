namespace Hearth.Gguf.Reading;

internal sealed unsafe partial class GgufParser
{
    /// <summary>Smallest possible tensor info: name length (empty name), dimension count, one dimension, type, offset.</summary>
    private const int MinTensorInfoBytes = 8 + 4 + 8 + 4 + 8;

    /// <summary>GGML_MAX_DIMS.</summary>
    internal const int MaxDimensions = 4;

    /// <summary>GGML_MAX_NAME: names are stored in a 64-byte C buffer including the terminator, so at most 63 bytes.</summary>
    internal const int MaxNameBytes = 64;

    private GgufTensorInfo[] ReadTensorInfos(int count, int alignment, out long[] offsetFieldPositions)
    {
        // Grow as we go: the count was only bounded by the file size, which for a large model is a loose bound.
        var tensors = new List<GgufTensorInfo>(Math.Min(count, 1024));
        var positions = new List<long>(Math.Min(count, 1024));
        var firstIndex = new Dictionary<string, int>(StringComparer.Ordinal);

        for (var i = 0; i < count; i++)
        {
            var nameAt = _position;
            var nameField = $"tensor #{i} name";
            var name = ReadString(nameField);
            var nameBytes = (int)(_position - nameAt - 8);
            if (nameBytes >= MaxNameBytes)
                GgufThrow.ThrowFormat_TensorNameTooLong(nameAt, nameField, i, nameBytes, MaxNameBytes);
            if (firstIndex.TryGetValue(name, out var first))
                GgufThrow.ThrowFormat_DuplicateTensorName(nameAt, nameField, name, first, i);
            firstIndex.Add(name, i);

            var field = $"tensor {GgufThrow.Quote(name)}";
            var dimensions = ReadDimensions(name, field);
            var type = ReadTensorType(name, field, dimensions);

            var offsetAt = _position;
            var offset = ReadUInt64(field + " offset");
            if (offset % (ulong)alignment != 0)
                GgufThrow.ThrowFormat_MisalignedOffset(offsetAt, field + " offset", name, offset, alignment);

            tensors.Add(new GgufTensorInfo(name, dimensions, type, offset));
            positions.Add(offsetAt);
        }
        offsetFieldPositions = positions.ToArray();
        return tensors.ToArray();
    }

    /// <summary>Dimension count 1..GGML_MAX_DIMS, each dimension ≥ 0, and a total element count below INT64_MAX.</summary>
    private long[] ReadDimensions(string name, string field)
    {
        var countAt = _position;
        var count = ReadUInt32(field + " dimension count");
        if (count is 0 or > MaxDimensions)
            GgufThrow.ThrowFormat_DimensionCount(countAt, field + " dimension count", name, count, MaxDimensions);

        var dimensions = new long[count];
        for (var j = 0; j < dimensions.Length; j++)
        {
            var at = _position;
            dimensions[j] = ReadInt64($"{field} dimension {j}");
            if (dimensions[j] < 0)
                GgufThrow.ThrowFormat_NegativeDimension(at, $"{field} dimension {j}", name, j, dimensions[j]);
        }

        // ggml's check: the product must stay below INT64_MAX, tested before each multiply (a zero anywhere is fine).
        if (Array.IndexOf(dimensions, 0L) < 0)
        {
            long product = 1;
            foreach (var d in dimensions)
            {
                if (product > (long.MaxValue - 1) / d)
                    GgufThrow.ThrowFormat_ElementCountOverflow(countAt, field + " dimensions", name, dimensions);
                product *= d;
            }
        }
        return dimensions;
    }

    /// <summary>A type ggml defines; rows a whole number of blocks; the byte size representable.</summary>
    private GgmlType ReadTensorType(string name, string field, long[] dimensions)
    {
        var at = _position;
        var raw = ReadUInt32(field + " type");
        if (!GgmlTypeInfo.TryGet(raw, out var info))
            GgufThrow.ThrowFormat_InvalidTensorType(at, field + " type", name, raw);
        if (dimensions[0] % info.BlockSize != 0)
            GgufThrow.ThrowFormat_RowNotBlockMultiple(at, field + " type", name, info, dimensions[0]);

        // Both the row and the whole tensor must have a byte size that fits in a long (a zero-element tensor
        // can still declare an enormous row, and GgufTensorInfo.ByteSize computes the row size).
        var maxBlocks = long.MaxValue / info.TypeSize;
        var elements = 1L;
        foreach (var d in dimensions)
            elements *= d; // checked above: below INT64_MAX, or zero
        if (dimensions[0] / info.BlockSize > maxBlocks || elements / info.BlockSize > maxBlocks)
            GgufThrow.ThrowFormat_ByteSizeOverflow(at, field + " type", name, dimensions);
        return info.Type;
    }

    /// <summary>
    /// Every tensor's bytes must lie inside the data section and the file, and no two tensors may share bytes.
    /// ggml additionally demands the offsets be exactly consecutive in header order; Hearth accepts any order and
    /// any gaps, as the spec only requires alignment.
    /// </summary>
    private void ValidateTensorData(GgufTensorInfo[] tensors, long[] offsetFieldPositions, long dataOffset)
    {
        if (tensors.Length == 0)
            return;
        var dataSize = _length - dataOffset;
        var sizes = new long[tensors.Length];
        for (var i = 0; i < tensors.Length; i++)
        {
            var t = tensors[i];
            sizes[i] = t.ByteSize;
            if (t.Offset > (ulong)dataSize || sizes[i] > dataSize - (long)t.Offset)
                GgufThrow.ThrowFormat_DataPastEnd(offsetFieldPositions[i], $"tensor {GgufThrow.Quote(t.Name)} offset",
                    t.Name, t.Offset, sizes[i], dataOffset, _length);
        }

        // Sort by start; a tensor overlaps if it starts before the furthest end seen so far. Empty tensors own no bytes.
        var order = Enumerable.Range(0, tensors.Length).Where(i => sizes[i] > 0).OrderBy(i => tensors[i].Offset).ToArray();
        var furthest = -1;
        long furthestEnd = 0;
        foreach (var i in order)
        {
            var start = (long)tensors[i].Offset;
            if (furthest >= 0 && start < furthestEnd)
            {
                var other = tensors[furthest];
                GgufThrow.ThrowFormat_Overlap(offsetFieldPositions[i], $"tensor {GgufThrow.Quote(tensors[i].Name)} offset",
                    tensors[i].Name, tensors[i].Offset, start + sizes[i], other.Name, other.Offset, furthestEnd);
            }
            if (start + sizes[i] > furthestEnd)
            {
                furthest = i;
                furthestEnd = start + sizes[i];
            }
        }
    }
}
