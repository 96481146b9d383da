namespace Hearth.Gguf.Tests.Reading;

/// <summary>The writer refuses what the reader (and llama.cpp) would reject, so it cannot produce an unloadable file.</summary>
public class GgufWriterCompatibilityTests
{
    [Fact]
    public void RefusesAnAlignmentThatIsNotAUInt32()
    {
        var metadata = new GgufMetadata();
        metadata.Set("general.alignment", 64); // int32: the natural overload, but ggml only accepts uint32

        var ex = Assert.Throws<ArgumentException>(() => SampleGguf.Write(metadata, []));

        Assert.Contains("general.alignment must be of type uint32, got int32", ex.Message);
    }

    [Fact]
    public void RefusesATensorNameLongerThanGgmlAllows()
    {
        var name = new string('n', 64);

        var ex = Assert.Throws<ArgumentException>(() => SampleGguf.Write(new GgufMetadata(), [GgufTensorSource.FromFloats(name, [1], [1f])]));

        Assert.Contains("is 64 bytes of UTF-8; ggml allows at most 63", ex.Message);
    }

    [Fact]
    public void WritesA63ByteTensorNameThatReadsBack()
    {
        var name = new string('n', 63);

        using var file = GgufFile.Parse(SampleGguf.Write(new GgufMetadata(), [GgufTensorSource.FromFloats(name, [1], [1f])]));

        Assert.NotNull(file.FindTensor(name));
    }
}
