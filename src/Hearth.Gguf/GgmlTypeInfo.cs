namespace Hearth.Gguf;

/// <summary>Block layout of a tensor type: <see cref="BlockSize"/> elements are stored in <see cref="TypeSize"/> bytes.</summary>
/// <remarks>Values from ggml's <c>type_traits</c> table (ggml/src/ggml.c).</remarks>
public readonly record struct GgmlTypeInfo(GgmlType Type, string Name, int BlockSize, int TypeSize)
{
    /// <summary>One past the highest type number ggml defines.</summary>
    public const uint TypeCount = 43;

    private static readonly GgmlTypeInfo?[] Table = Build();

    private static GgmlTypeInfo?[] Build()
    {
        var t = new GgmlTypeInfo?[TypeCount];
        void Add(GgmlType type, int block, int size) => t[(int)type] = new GgmlTypeInfo(type, type.ToString(), block, size);
        Add(GgmlType.F32, 1, 4);
        Add(GgmlType.F16, 1, 2);
        Add(GgmlType.Q4_0, 32, 2 + 16);
        Add(GgmlType.Q4_1, 32, 2 + 2 + 16);
        Add(GgmlType.Q5_0, 32, 2 + 4 + 16);
        Add(GgmlType.Q5_1, 32, 2 + 2 + 4 + 16);
        Add(GgmlType.Q8_0, 32, 2 + 32);
        Add(GgmlType.Q8_1, 32, 4 + 32);
        Add(GgmlType.Q2_K, 256, 16 + 64 + 2 + 2);
        Add(GgmlType.Q3_K, 256, 32 + 64 + 12 + 2);
        Add(GgmlType.Q4_K, 256, 2 + 2 + 12 + 128);
        Add(GgmlType.Q5_K, 256, 2 + 2 + 12 + 32 + 128);
        Add(GgmlType.Q6_K, 256, 128 + 64 + 16 + 2);
        Add(GgmlType.Q8_K, 256, 4 + 256 + 32);
        Add(GgmlType.IQ2_XXS, 256, 2 + 64);
        Add(GgmlType.IQ2_XS, 256, 2 + 64 + 8);
        Add(GgmlType.IQ3_XXS, 256, 2 + 96);
        Add(GgmlType.IQ1_S, 256, 2 + 32 + 16);
        Add(GgmlType.IQ4_NL, 32, 2 + 16);
        Add(GgmlType.IQ3_S, 256, 2 + 64 + 8 + 32 + 4);
        Add(GgmlType.IQ2_S, 256, 2 + 64 + 16);
        Add(GgmlType.IQ4_XS, 256, 2 + 2 + 4 + 128);
        Add(GgmlType.I8, 1, 1);
        Add(GgmlType.I16, 1, 2);
        Add(GgmlType.I32, 1, 4);
        Add(GgmlType.I64, 1, 8);
        Add(GgmlType.F64, 1, 8);
        Add(GgmlType.IQ1_M, 256, 32 + 16 + 8);
        Add(GgmlType.BF16, 1, 2);
        Add(GgmlType.TQ1_0, 256, 48 + 4 + 2); // qs[48], qh[4], d
        Add(GgmlType.TQ2_0, 256, 2 + 64);
        Add(GgmlType.MXFP4, 32, 1 + 16);
        // Added in ggml 0.18 (the version LLamaSharp 0.30.0 bundles).
        Add(GgmlType.NVFP4, 64, 36);
        Add(GgmlType.Q1_0, 128, 18);
        Add(GgmlType.Q2_0, 64, 18);
        return t;
    }

    /// <summary>Looks up a type number; false for numbers ggml does not (or no longer) define.</summary>
    public static bool TryGet(uint type, out GgmlTypeInfo info)
    {
        if (type < TypeCount && Table[type] is { } found)
        {
            info = found;
            return true;
        }
        info = default;
        return false;
    }

    public static GgmlTypeInfo Get(GgmlType type) =>
        TryGet((uint)type, out var info) ? info : throw new ArgumentOutOfRangeException(nameof(type), type, "unknown ggml type");

    /// <summary>Bytes needed for a row of <paramref name="elements"/> values; the count must be a whole number of blocks.</summary>
    public long RowBytes(long elements)
    {
        if (elements % BlockSize != 0)
            throw new ArgumentException($"{elements} elements is not a multiple of the {Name} block size {BlockSize}", nameof(elements));
        return checked(elements / BlockSize * TypeSize);
    }
}
