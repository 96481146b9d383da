using System.Runtime.InteropServices;

namespace Hearth.Gguf.Tests.Blocks;

/// <summary>
/// ggml's own reference code, loaded from the <c>libggml-base.so</c> that LLamaSharp.Backend.Cpu 0.30.0 ships
/// (ggml 0.18.0). The <c>noavx</c> build is used: its scalar paths are the reference implementations, compiled without
/// FMA, so a·b + c is two roundings there as in Hearth.
/// </summary>
internal static unsafe class GgmlNative
{
    private static readonly Lazy<Library> Loaded = new(Load);

    /// <summary><c>struct ggml_type_traits</c> from ggml/include/ggml.h.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct TypeTraits
    {
        public byte* TypeName;
        public long BlockSize;
        public long BlockSizeInterleave;
        public nuint TypeSize;
        public byte IsQuantized; // C bool
        public nint ToFloat;      // void (*)(const void * x, float * y, int64_t k)
        public nint FromFloatRef; // void (*)(const float * x, void * y, int64_t k)
    }

    private sealed class Library
    {
        public required string Path { get; init; }
        public required delegate* unmanaged<int, TypeTraits*> GetTypeTraits { get; init; }
        public required delegate* unmanaged<int, float*, void*, long, long, long, float*, nuint> QuantizeChunk { get; init; }
        public required delegate* unmanaged<int, void> QuantizeInit { get; init; }
        public required delegate* unmanaged<byte*> Version { get; init; }
    }

    public static string LibraryPath => Loaded.Value.Path;

    public static string Version => Marshal.PtrToStringUTF8((nint)Loaded.Value.Version()) ?? "?";

    public static TypeTraits Traits(GgmlType type) => *Loaded.Value.GetTypeTraits((int)type);

    public static string TypeName(GgmlType type) => Marshal.PtrToStringUTF8((nint)Traits(type).TypeName) ?? "";

    /// <summary>
    /// <c>ggml_quantize_chunk</c> over <paramref name="rows"/> rows; with <paramref name="importance"/> (one weight per
    /// column) ggml takes its importance-matrix path (<c>quantize_row_*_impl</c>) instead of <c>quantize_row_*_ref</c>.
    /// </summary>
    public static byte[] Quantize(GgmlType type, float[] src, int rows, float[]? importance = null)
    {
        if (src.Length % rows != 0)
            throw new ArgumentException("rows must divide the element count", nameof(rows));
        int perRow = src.Length / rows;
        var info = GgmlTypeInfo.Get(type);
        if (importance is not null && importance.Length != perRow)
            throw new ArgumentException("one importance weight per column", nameof(importance));
        var dst = new byte[info.RowBytes(perRow) * rows];
        var lib = Loaded.Value;
        lib.QuantizeInit((int)type);
        fixed (float* s = src)
        fixed (byte* d = dst)
        fixed (float* imatrix = importance)
        {
            nuint written = lib.QuantizeChunk((int)type, s, d, 0, rows, perRow, imatrix);
            if (written != (nuint)dst.Length)
                throw new InvalidOperationException($"ggml_quantize_chunk wrote {written} bytes, expected {dst.Length}");
        }
        return dst;
    }

    /// <summary>The type's <c>to_float</c>; null for types ggml has none for (F32).</summary>
    public static float[]? Dequantize(GgmlType type, byte[] src, int elements)
    {
        var traits = Traits(type);
        if (traits.ToFloat == 0)
            return null;
        if ((long)elements / traits.BlockSize * (long)traits.TypeSize != src.Length)
            throw new ArgumentException("byte count does not match the element count", nameof(src));
        var toFloat = (delegate* unmanaged<void*, float*, long, void>)traits.ToFloat;
        var dst = new float[elements];
        fixed (byte* s = src)
        fixed (float* d = dst)
            toFloat(s, d, elements);
        return dst;
    }

    /// <summary>The type's <c>from_float_ref</c> (the reference quantizer ggml uses to write model files).</summary>
    public static byte[] QuantizeReference(GgmlType type, float[] src)
    {
        var traits = Traits(type);
        if (traits.FromFloatRef == 0)
            throw new InvalidOperationException($"ggml has no from_float_ref for {type}");
        var dst = new byte[GgmlTypeInfo.Get(type).RowBytes(src.Length)];
        var fromFloat = (delegate* unmanaged<float*, void*, long, void>)traits.FromFloatRef;
        fixed (float* s = src)
        fixed (byte* d = dst)
            fromFloat(s, d, src.Length);
        return dst;
    }

    private static Library Load()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64)
            throw new PlatformNotSupportedException(
                "the ggml cross-checks load LLamaSharp's linux-x64 libggml-base.so; run them on linux-x64");
        string path = System.IO.Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "noavx", "libggml-base.so");
        if (!File.Exists(path))
            throw new FileNotFoundException(
                "libggml-base.so not found; LLamaSharp.Backend.Cpu copies it into the test output on build", path);
        nint handle = NativeLibrary.Load(path);
        return new Library
        {
            Path = path,
            GetTypeTraits = (delegate* unmanaged<int, TypeTraits*>)NativeLibrary.GetExport(handle, "ggml_get_type_traits"),
            QuantizeChunk = (delegate* unmanaged<int, float*, void*, long, long, long, float*, nuint>)NativeLibrary.GetExport(handle, "ggml_quantize_chunk"),
            QuantizeInit = (delegate* unmanaged<int, void>)NativeLibrary.GetExport(handle, "ggml_quantize_init"),
            Version = (delegate* unmanaged<byte*>)NativeLibrary.GetExport(handle, "ggml_version"),
        };
    }
}
