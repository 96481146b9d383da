namespace Hearth.Gguf.Tests.Reading;

/// <summary>Valid GGUF images written by <see cref="GgufWriter"/>: the starting points of round-trip and fuzz tests.</summary>
internal static class SampleGguf
{
    public static byte[] Write(GgufMetadata metadata, IReadOnlyList<GgufTensorSource> tensors, uint version = 3)
    {
        using var stream = new MemoryStream();
        GgufWriter.Write(stream, metadata, tensors, version: version);
        return stream.ToArray();
    }

    /// <summary>One key of every scalar type, one array of every element type, and an array of arrays.</summary>
    public static GgufMetadata EveryValueType()
    {
        var m = new GgufMetadata();
        m.Set("general.architecture", "llama");
        m.Set("test.u8", GgufValue.From((byte)200));
        m.Set("test.i8", GgufValue.From((sbyte)-100));
        m.Set("test.u16", GgufValue.From((ushort)60000));
        m.Set("test.i16", GgufValue.From((short)-30000));
        m.Set("test.u32", GgufValue.From(4_000_000_000u));
        m.Set("test.i32", GgufValue.From(-2_000_000_000));
        m.Set("test.f32", GgufValue.From(3.25f));
        m.Set("test.bool", GgufValue.From(true));
        m.Set("test.string", GgufValue.From("héllo, wörld ✓"));
        m.Set("test.u64", GgufValue.From(ulong.MaxValue));
        m.Set("test.i64", GgufValue.From(long.MinValue));
        m.Set("test.f64", GgufValue.From(-1.5e300));
        m.Set("test.arr.u8", GgufValue.Array(new byte[] { 0, 1, 255 }));
        m.Set("test.arr.i8", GgufValue.Array(new sbyte[] { -128, 0, 127 }));
        m.Set("test.arr.u16", GgufValue.Array(new ushort[] { 1, 65535 }));
        m.Set("test.arr.i16", GgufValue.Array(new short[] { -32768, 32767 }));
        m.Set("test.arr.u32", GgufValue.Array(new uint[] { 7, uint.MaxValue }));
        m.Set("test.arr.i32", GgufValue.Array(new[] { int.MinValue, 0, int.MaxValue }));
        m.Set("test.arr.f32", GgufValue.Array(new[] { 0.5f, -0f, float.MaxValue }));
        m.Set("test.arr.bool", GgufValue.Array(new[] { true, false, true }));
        m.Set("test.arr.string", GgufValue.Array(new[] { "a", "", "ünï" }));
        m.Set("test.arr.u64", GgufValue.Array(new[] { 0UL, ulong.MaxValue }));
        m.Set("test.arr.i64", GgufValue.Array(new[] { long.MinValue, long.MaxValue }));
        m.Set("test.arr.f64", GgufValue.Array(new[] { Math.PI, double.Epsilon }));
        m.Set("test.arr.empty", GgufValue.Array(Array.Empty<int>()));
        m.Set("test.arr.nested", GgufValue.Array(new[]
        {
            GgufValue.Array(new[] { 1, 2, 3 }),
            GgufValue.Array(new[] { "x", "y" }),
            GgufValue.Array(new[] { GgufValue.Array(new[] { 1.5 }) }),
        }));
        return m;
    }

    /// <summary>Three small tensors of different types and ranks, with recognisable bytes.</summary>
    public static GgufTensorSource[] SmallTensors() =>
    [
        GgufTensorSource.FromFloats("token_embd.weight", [4, 3], Enumerable.Range(0, 12).Select(i => i * 0.5f).ToArray()),
        GgufTensorSource.FromBytes("blk.0.attn_q.weight", GgmlType.Q8_0, [32, 2], Pattern(2 * 34, seed: 7)),
        GgufTensorSource.FromBytes("output_norm.weight", GgmlType.F16, [5], Pattern(10, seed: 3)),
    ];

    public static byte[] Pattern(int length, int seed) =>
        Enumerable.Range(0, length).Select(i => (byte)(i * 31 + seed)).ToArray();
}
