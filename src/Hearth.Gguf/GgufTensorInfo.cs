namespace Hearth.Gguf;

/// <summary>
/// A tensor's entry in the GGUF header. <see cref="Dimensions"/> are in ggml order: innermost (row length) first,
/// so a PyTorch weight of shape (out, in) is stored as [in, out].
/// </summary>
/// <param name="Offset">Byte offset of the data, relative to the start of the tensor data section.</param>
public sealed record GgufTensorInfo(string Name, long[] Dimensions, GgmlType Type, ulong Offset)
{
    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (var d in Dimensions)
                n = checked(n * d);
            return n;
        }
    }

    public GgmlTypeInfo TypeInfo => GgmlTypeInfo.Get(Type);

    /// <summary>Bytes of tensor data (rows are whole blocks: the row length is a multiple of the block size).</summary>
    public long ByteSize => Dimensions.Length == 0 ? TypeInfo.TypeSize : checked(TypeInfo.RowBytes(Dimensions[0]) * (ElementCount / Math.Max(1, Dimensions[0])));

    public string ShapeText => "[" + string.Join(", ", Dimensions) + "]";
}
