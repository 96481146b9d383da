namespace Hearth.Gguf.Tests.Reading;

public class GgufFileRoundTripTests
{
    [Theory]
    [InlineData(2u)]
    [InlineData(3u)]
    public void RoundTripsEveryValueTypeThroughTheWriter(uint version)
    {
        var written = SampleGguf.EveryValueType();
        using var file = GgufFile.Parse(SampleGguf.Write(written, [], version));

        Assert.Equal(version, file.Version);
        Assert.Equal(written.Keys, file.Metadata.Keys);
        foreach (var (key, expected) in written)
            AssertSameValue(expected, file.Metadata[key], key);
    }

    [Fact]
    public void ReadsScalarsAsTheirExactDotNetTypes()
    {
        using var file = GgufFile.Parse(SampleGguf.Write(SampleGguf.EveryValueType(), []));
        var m = file.Metadata;

        Assert.Equal((byte)200, m["test.u8"].Value);
        Assert.Equal((sbyte)-100, m["test.i8"].Value);
        Assert.Equal((ushort)60000, m["test.u16"].Value);
        Assert.Equal((short)-30000, m["test.i16"].Value);
        Assert.Equal(4_000_000_000u, m["test.u32"].Value);
        Assert.Equal(-2_000_000_000, m["test.i32"].Value);
        Assert.Equal(3.25f, m["test.f32"].Value);
        Assert.Equal(true, m["test.bool"].Value);
        Assert.Equal("héllo, wörld ✓", m["test.string"].Value);
        Assert.Equal(ulong.MaxValue, m["test.u64"].Value);
        Assert.Equal(long.MinValue, m["test.i64"].Value);
        Assert.Equal(-1.5e300, m["test.f64"].Value);
        Assert.Equal(new[] { "a", "", "ünï" }, m.GetArray<string>("test.arr.string"));
        Assert.Equal(new[] { true, false, true }, m.GetArray<bool>("test.arr.bool"));
        Assert.Empty(m.GetArray<int>("test.arr.empty")!);
    }

    [Fact]
    public void RoundTripsArraysOfArrays()
    {
        using var file = GgufFile.Parse(SampleGguf.Write(SampleGguf.EveryValueType(), []));
        var nested = file.Metadata["test.arr.nested"];

        Assert.Equal(GgufValueType.Array, nested.ElementType);
        var items = nested.AsArray<GgufValue>();
        Assert.Equal(new[] { 1, 2, 3 }, items[0].AsArray<int>());
        Assert.Equal(new[] { "x", "y" }, items[1].AsArray<string>());
        Assert.Equal(new[] { 1.5 }, items[2].AsArray<GgufValue>()[0].AsArray<double>());
    }

    [Theory]
    [InlineData(2u)]
    [InlineData(3u)]
    public void ReadsTensorDirectoryAndDataWrittenByTheWriter(uint version)
    {
        var sources = SampleGguf.SmallTensors();
        var image = SampleGguf.Write(SampleGguf.EveryValueType(), sources, version);
        using var file = GgufFile.Parse(image);

        Assert.Equal(sources.Select(s => s.Name), file.Tensors.Select(t => t.Name));
        Assert.Equal(32, file.Alignment);
        Assert.Equal(0, file.DataOffset % 32);
        Assert.Equal(image.Length, file.FileSize);
        foreach (var source in sources)
        {
            var tensor = file.FindTensor(source.Name)!;
            Assert.Equal(source.Type, tensor.Type);
            Assert.Equal(source.Dimensions, tensor.Dimensions);
            Assert.Equal(ExpectedBytes(source), file.GetTensorData(tensor).ToArray());
        }
        Assert.Equal(12 + 64 + 5, file.ParameterCount);
    }

    [Fact]
    public void HonoursCustomAlignmentForDataOffsetAndTensorOffsets()
    {
        var metadata = SampleGguf.EveryValueType();
        metadata.Set("general.alignment", 256u);
        using var file = GgufFile.Parse(SampleGguf.Write(metadata, SampleGguf.SmallTensors()));

        Assert.Equal(256, file.Alignment);
        Assert.Equal(0, file.DataOffset % 256);
        Assert.All(file.Tensors, t => Assert.Equal(0UL, t.Offset % 256));
        Assert.Equal(SampleGguf.SmallTensors()[2].Name, file.Tensors[2].Name);
        Assert.Equal(SampleGguf.Pattern(10, seed: 3), file.GetTensorData(file.Tensors[2]).ToArray());
    }

    [Fact]
    public void DefaultsAlignmentTo32AndFindsNoUnknownTensor()
    {
        using var file = GgufFile.Parse(SampleGguf.Write(new GgufMetadata(), SampleGguf.SmallTensors()));

        Assert.Equal(32, file.Alignment);
        Assert.Empty(file.Metadata);
        Assert.Null(file.FindTensor("missing.weight"));
        Assert.Null(file.Path);
    }

    [Fact]
    public void ParsesAFileWithNoKeysAndNoTensors()
    {
        using var file = GgufFile.Parse(SampleGguf.Write(new GgufMetadata(), []));

        Assert.Empty(file.Tensors);
        Assert.Equal(0, file.ParameterCount);
        Assert.Equal(32, file.DataOffset); // the 24-byte header padded to 32
    }

    [Fact]
    public void AcceptsZeroElementTensors()
    {
        var image = RawGguf.Header(tensorCount: 2, keyCount: 0)
            .Tensor("empty", [0, 8], (uint)GgmlType.F32, 0)
            .Tensor("one", [1], (uint)GgmlType.F32, 0)
            .Pad().Zeros(4).ToArray();
        using var file = GgufFile.Parse(image);

        Assert.Equal(0, file.Tensors[0].ByteSize);
        Assert.Equal(0, file.GetTensorData(file.Tensors[0]).Length);
        Assert.Equal(1, file.ParameterCount);
    }

    [Fact]
    public void RejectsTensorDataRequestsForTensorsOfAnotherFile()
    {
        using var file = GgufFile.Parse(SampleGguf.Write(new GgufMetadata(), SampleGguf.SmallTensors()));
        var foreign = new GgufTensorInfo("big", [1024, 1024], GgmlType.F32, 0);

        var ex = Assert.Throws<ArgumentException>(() => { _ = file.GetTensorData(foreign); });
        Assert.Contains("'big'", ex.Message);
    }

    private static byte[] ExpectedBytes(GgufTensorSource source)
    {
        using var stream = new MemoryStream();
        source.WriteData(stream);
        return stream.ToArray();
    }

    private static void AssertSameValue(GgufValue expected, GgufValue actual, string where)
    {
        Assert.True(expected.Type == actual.Type, $"{where}: type {actual.Type}, expected {expected.Type}");
        Assert.True(expected.ElementType == actual.ElementType, $"{where}: element type {actual.ElementType}, expected {expected.ElementType}");
        if (expected.Value is GgufValue[] nested)
        {
            var actualItems = actual.AsArray<GgufValue>();
            Assert.Equal(nested.Length, actualItems.Length);
            for (var i = 0; i < nested.Length; i++)
                AssertSameValue(nested[i], actualItems[i], $"{where}[{i}]");
        }
        else
        {
            Assert.Equal(expected.Value.GetType(), actual.Value.GetType());
            Assert.Equal(expected.Value, actual.Value);
        }
    }
}
