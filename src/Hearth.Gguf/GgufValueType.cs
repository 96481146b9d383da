namespace Hearth.Gguf;

/// <summary>Metadata value types of the GGUF format (ggml/docs/gguf.md, <c>gguf_type</c>).</summary>
public enum GgufValueType : uint
{
    UInt8 = 0,
    Int8 = 1,
    UInt16 = 2,
    Int16 = 3,
    UInt32 = 4,
    Int32 = 5,
    Float32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    UInt64 = 10,
    Int64 = 11,
    Float64 = 12,
}

public static class GgufValueTypes
{
    /// <summary>Number of defined value types; anything at or above is invalid.</summary>
    public const uint Count = 13;

    /// <summary>Size in bytes of a fixed-size scalar, or 0 for string and array.</summary>
    public static int ScalarSize(GgufValueType type) => type switch
    {
        GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
        GgufValueType.UInt16 or GgufValueType.Int16 => 2,
        GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
        GgufValueType.UInt64 or GgufValueType.Int64 or GgufValueType.Float64 => 8,
        _ => 0,
    };
}
