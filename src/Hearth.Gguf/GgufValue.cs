using System.Globalization;

namespace Hearth.Gguf;

/// <summary>
/// One metadata value. Scalars hold the matching .NET primitive (<c>byte</c>, <c>sbyte</c>, <c>ushort</c>, <c>short</c>,
/// <c>uint</c>, <c>int</c>, <c>float</c>, <c>bool</c>, <c>string</c>, <c>ulong</c>, <c>long</c>, <c>double</c>);
/// arrays hold a typed .NET array of their element (<c>string[]</c>, <c>float[]</c>, <c>int[]</c>, …,
/// or <c>GgufValue[]</c> for arrays of arrays).
/// </summary>
public sealed class GgufValue
{
    private GgufValue(GgufValueType type, object value, GgufValueType? elementType)
    {
        Type = type;
        Value = value;
        ElementType = elementType;
    }

    public GgufValueType Type { get; }

    /// <summary>For arrays: the element type. Null for scalars.</summary>
    public GgufValueType? ElementType { get; }

    public object Value { get; }

    public bool IsArray => Type == GgufValueType.Array;

    /// <summary>Number of items in an array value (0 for scalars).</summary>
    public int Count => Value is Array a ? a.Length : 0;

    public static GgufValue From(byte v) => new(GgufValueType.UInt8, v, null);
    public static GgufValue From(sbyte v) => new(GgufValueType.Int8, v, null);
    public static GgufValue From(ushort v) => new(GgufValueType.UInt16, v, null);
    public static GgufValue From(short v) => new(GgufValueType.Int16, v, null);
    public static GgufValue From(uint v) => new(GgufValueType.UInt32, v, null);
    public static GgufValue From(int v) => new(GgufValueType.Int32, v, null);
    public static GgufValue From(float v) => new(GgufValueType.Float32, v, null);
    public static GgufValue From(bool v) => new(GgufValueType.Bool, v, null);
    public static GgufValue From(string v) => new(GgufValueType.String, v ?? throw new ArgumentNullException(nameof(v)), null);
    public static GgufValue From(ulong v) => new(GgufValueType.UInt64, v, null);
    public static GgufValue From(long v) => new(GgufValueType.Int64, v, null);
    public static GgufValue From(double v) => new(GgufValueType.Float64, v, null);

    public static GgufValue Array(byte[] v) => new(GgufValueType.Array, v, GgufValueType.UInt8);
    public static GgufValue Array(sbyte[] v) => new(GgufValueType.Array, v, GgufValueType.Int8);
    public static GgufValue Array(ushort[] v) => new(GgufValueType.Array, v, GgufValueType.UInt16);
    public static GgufValue Array(short[] v) => new(GgufValueType.Array, v, GgufValueType.Int16);
    public static GgufValue Array(uint[] v) => new(GgufValueType.Array, v, GgufValueType.UInt32);
    public static GgufValue Array(int[] v) => new(GgufValueType.Array, v, GgufValueType.Int32);
    public static GgufValue Array(float[] v) => new(GgufValueType.Array, v, GgufValueType.Float32);
    public static GgufValue Array(bool[] v) => new(GgufValueType.Array, v, GgufValueType.Bool);
    public static GgufValue Array(string[] v) => new(GgufValueType.Array, v, GgufValueType.String);
    public static GgufValue Array(ulong[] v) => new(GgufValueType.Array, v, GgufValueType.UInt64);
    public static GgufValue Array(long[] v) => new(GgufValueType.Array, v, GgufValueType.Int64);
    public static GgufValue Array(double[] v) => new(GgufValueType.Array, v, GgufValueType.Float64);

    /// <summary>An array whose items are themselves arrays (GGUF allows nesting).</summary>
    public static GgufValue Array(GgufValue[] arrays)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        foreach (var a in arrays)
            if (a is null || !a.IsArray)
                throw new ArgumentException("every item of an array of arrays must itself be an array", nameof(arrays));
        return new(GgufValueType.Array, arrays, GgufValueType.Array);
    }

    /// <summary>Builds an array value from a typed .NET array of any supported element type.</summary>
    public static GgufValue ArrayOf(Array items) => items switch
    {
        byte[] a => Array(a), sbyte[] a => Array(a), ushort[] a => Array(a), short[] a => Array(a),
        uint[] a => Array(a), int[] a => Array(a), float[] a => Array(a), bool[] a => Array(a),
        string[] a => Array(a), ulong[] a => Array(a), long[] a => Array(a), double[] a => Array(a),
        GgufValue[] a => Array(a),
        _ => throw new ArgumentException($"unsupported array element type {items.GetType().GetElementType()}", nameof(items)),
    };

    public string AsString() => Value as string ?? throw WrongType("string");

    public bool AsBool() => Value is bool b ? b : throw WrongType("bool");

    /// <summary>Any integer scalar, widened; throws for non-integers and values out of range.</summary>
    public long AsInt64() => Value switch
    {
        byte v => v, sbyte v => v, ushort v => v, short v => v, uint v => v, int v => v, long v => v,
        ulong v when v <= long.MaxValue => (long)v,
        _ => throw WrongType("integer"),
    };

    /// <summary>Any numeric scalar as double.</summary>
    public double AsDouble() => Value switch
    {
        float v => v, double v => v,
        byte or sbyte or ushort or short or uint or int or long or ulong => Convert.ToDouble(Value, CultureInfo.InvariantCulture),
        _ => throw WrongType("number"),
    };

    /// <summary>The typed array (e.g. <c>AsArray&lt;string&gt;()</c> for <c>tokenizer.ggml.tokens</c>).</summary>
    public T[] AsArray<T>() => Value as T[] ?? throw WrongType($"array of {typeof(T).Name}");

    private InvalidOperationException WrongType(string wanted) =>
        new($"metadata value is {Describe()}, not {wanted}");

    /// <summary>Type name as GGUF tools print it, e.g. <c>uint32</c> or <c>[string]</c>.</summary>
    public string Describe() => IsArray ? $"[{ElementType?.ToString().ToLowerInvariant()}]" : Type.ToString().ToLowerInvariant();

    public override string ToString() => Value switch
    {
        string s => s,
        Array a => $"[{a.Length} × {ElementType?.ToString().ToLowerInvariant()}]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Value.ToString() ?? "",
    };
}
