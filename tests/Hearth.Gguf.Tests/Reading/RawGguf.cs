using System.Text;

namespace Hearth.Gguf.Tests.Reading;

/// <summary>
/// Writes GGUF bytes field by field, so tests can build the malformed files that <see cref="GgufWriter"/> refuses to.
/// </summary>
internal sealed class RawGguf
{
    private readonly MemoryStream _stream = new();
    private readonly BinaryWriter _writer;

    public RawGguf() => _writer = new BinaryWriter(_stream, Encoding.UTF8, leaveOpen: true);

    public long Position => _stream.Position;

    /// <summary>Magic, version and the two counts: 24 bytes.</summary>
    public static RawGguf Header(ulong tensorCount, ulong keyCount, uint version = 3) =>
        new RawGguf().Bytes("GGUF"u8.ToArray()).U32(version).U64(tensorCount).U64(keyCount);

    public RawGguf Bytes(byte[] bytes) { _writer.Write(bytes); return this; }
    public RawGguf U8(byte v) { _writer.Write(v); return this; }
    public RawGguf U32(uint v) { _writer.Write(v); return this; }
    public RawGguf I32(int v) { _writer.Write(v); return this; }
    public RawGguf U64(ulong v) { _writer.Write(v); return this; }
    public RawGguf I64(long v) { _writer.Write(v); return this; }

    public RawGguf Str(string s) => StrBytes(Encoding.UTF8.GetBytes(s));

    public RawGguf StrBytes(byte[] bytes) => U64((ulong)bytes.Length).Bytes(bytes);

    /// <summary>A key with a scalar uint32 value.</summary>
    public RawGguf KeyU32(string key, uint value) => Str(key).U32((uint)GgufValueType.UInt32).U32(value);

    /// <summary>A key whose type tag is given and whose value bytes the caller writes next.</summary>
    public RawGguf Key(string key, GgufValueType type) => Str(key).U32((uint)type);

    /// <summary>A tensor info entry.</summary>
    public RawGguf Tensor(string name, long[] dimensions, uint type, ulong offset)
    {
        Str(name).U32((uint)dimensions.Length);
        foreach (var d in dimensions)
            I64(d);
        return U32(type).U64(offset);
    }

    /// <summary>Zero bytes up to the next multiple of <paramref name="alignment"/>.</summary>
    public RawGguf Pad(int alignment = 32)
    {
        while (_stream.Position % alignment != 0)
            _writer.Write((byte)0);
        return this;
    }

    public RawGguf Zeros(int count) => Bytes(new byte[count]);

    public byte[] ToArray()
    {
        _writer.Flush();
        return _stream.ToArray();
    }
}
