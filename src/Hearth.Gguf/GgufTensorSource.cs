using System.Runtime.InteropServices;

namespace Hearth.Gguf;

/// <summary>A tensor to be written: its header entry plus a callback that writes exactly its bytes.</summary>
/// <remarks>The callback form lets multi-gigabyte models be streamed to disk a tensor at a time.</remarks>
public sealed class GgufTensorSource
{
    public GgufTensorSource(string name, GgmlType type, long[] dimensions, Action<Stream> writeData)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentNullException.ThrowIfNull(writeData);
        if (dimensions.Length is < 1 or > 4)
            throw new ArgumentException($"tensor '{name}' has {dimensions.Length} dimensions; GGUF allows 1 to 4", nameof(dimensions));
        foreach (var d in dimensions)
            if (d <= 0)
                throw new ArgumentException($"tensor '{name}' has a non-positive dimension in {string.Join("x", dimensions)}", nameof(dimensions));
        var info = GgmlTypeInfo.Get(type);
        if (dimensions[0] % info.BlockSize != 0)
            throw new ArgumentException($"tensor '{name}' row length {dimensions[0]} is not a multiple of the {info.Name} block size {info.BlockSize}", nameof(dimensions));
        Name = name;
        Type = type;
        Dimensions = dimensions;
        WriteData = writeData;
        ByteSize = new GgufTensorInfo(name, dimensions, type, 0).ByteSize;
    }

    public string Name { get; }
    public GgmlType Type { get; }
    public long[] Dimensions { get; }
    public long ByteSize { get; }
    public Action<Stream> WriteData { get; }

    public static GgufTensorSource FromBytes(string name, GgmlType type, long[] dimensions, ReadOnlyMemory<byte> data) =>
        new(name, type, dimensions, s => s.Write(data.Span));

    public static GgufTensorSource FromFloats(string name, long[] dimensions, float[] data) =>
        new(name, GgmlType.F32, dimensions, s => s.Write(MemoryMarshal.AsBytes(data.AsSpan())));
}
