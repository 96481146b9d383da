using Hearth.Gguf.Blocks;

namespace Hearth.Gguf.Tests.Blocks;

/// <summary>Hearth's type table against ggml's <c>ggml_get_type_traits</c>, and which types each direction supports.</summary>
public class BlockLayoutTests
{
    public static TheoryData<GgmlType> EveryType() => new(Enum.GetValues<GgmlType>());

    [Theory]
    [MemberData(nameof(EveryType))]
    public void GgmlTypeInfoMatchesGgmlTypeTraits(GgmlType type)
    {
        var info = GgmlTypeInfo.Get(type);
        var traits = GgmlNative.Traits(type);
        string ggmlName = GgmlNative.TypeName(type);

        Assert.Equal(traits.BlockSize, info.BlockSize);
        Assert.Equal((long)traits.TypeSize, info.TypeSize);
        Assert.Equal(ggmlName, info.Name, ignoreCase: true);
    }

    [Fact]
    public void CrossChecksRunAgainstTheBundledGgml()
    {
        // Guards the interop itself: a wrong struct layout or library would show up here first.
        Assert.EndsWith("noavx/libggml-base.so", GgmlNative.LibraryPath);
        Assert.Equal("0.18.0", GgmlNative.Version);
        Assert.Equal(1, GgmlNative.Traits(GgmlType.Q4_K).IsQuantized);
        Assert.Equal(0, GgmlNative.Traits(GgmlType.F16).IsQuantized);
    }

    [Theory]
    [MemberData(nameof(EveryType))]
    public void DequantizesExactlyTheListedTypes(GgmlType type)
    {
        GgmlType[] supported =
        [
            GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1,
            GgmlType.Q8_0, GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K,
        ];
        Assert.Equal(supported.Contains(type), TensorDequantizer.CanDequantize(type));
    }

    [Theory]
    [MemberData(nameof(EveryType))]
    public void QuantizesExactlyTheListedTypes(GgmlType type)
    {
        GgmlType[] supported = [GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0];
        Assert.Equal(supported.Contains(type), TensorQuantizer.CanQuantize(type));
    }

    [Fact]
    public void UndefinedTypeNumbersAreNotSupported()
    {
        Assert.False(TensorDequantizer.CanDequantize((GgmlType)4));
        Assert.False(TensorDequantizer.CanDequantize((GgmlType)99));
        Assert.False(TensorQuantizer.CanQuantize((GgmlType)uint.MaxValue));
    }
}
