using System.Buffers.Binary;
using System.Text;

namespace Hearth.Gguf;

/// <summary>
/// Writes GGUF files (version 3 by default, little-endian) that llama.cpp loads: header, metadata, tensor infos,
/// padding to <c>general.alignment</c> (default 32), then tensor data, each tensor aligned.
/// </summary>
public static class GgufWriter
{
    public const uint Magic = 0x46554747; // "GGUF" read as little-endian uint32
    public const int DefaultAlignment = 32;

    /// <summary>
    /// Writes to <paramref name="path"/> through a temporary file in the same folder that is renamed into place,
    /// so a reader never sees a half-written file. Progress reports bytes written.
    /// </summary>
    public static async Task WriteAsync(string path, GgufMetadata metadata, IReadOnlyList<GgufTensorSource> tensors,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default, uint version = 3)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await Task.Run(() =>
            {
                using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
                Write(file, metadata, tensors, progress, cancellationToken, version);
                file.Flush(flushToDisk: true);
            }, cancellationToken).ConfigureAwait(false);
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Writes a whole GGUF image to a stream (which need not be seekable).</summary>
    public static void Write(Stream stream, GgufMetadata metadata, IReadOnlyList<GgufTensorSource> tensors,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default, uint version = 3)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(tensors);
        if (version is not (2 or 3))
            throw new ArgumentOutOfRangeException(nameof(version), version, "GGUF versions 2 and 3 can be written");

        // ggml (gguf.cpp) rejects a general.alignment of any type but uint32, so writing an int32 would make a file
        // llama.cpp cannot load.
        if (metadata.TryGetValue("general.alignment", out var alignmentValue) && alignmentValue.Type != GgufValueType.UInt32)
            throw new ArgumentException($"general.alignment must be of type uint32, got {alignmentValue.Describe()}", nameof(metadata));
        var alignment = metadata.GetInt("general.alignment") ?? DefaultAlignment;
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0)
            throw new ArgumentException($"general.alignment must be a power of two, got {alignment}", nameof(metadata));

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in tensors)
        {
            if (!names.Add(t.Name))
                throw new ArgumentException($"duplicate tensor name '{t.Name}'", nameof(tensors));
            // GGML_MAX_NAME is 64 including the C string terminator; llama.cpp refuses longer names.
            if (Encoding.UTF8.GetByteCount(t.Name) >= 64)
                throw new ArgumentException($"tensor name '{t.Name}' is {Encoding.UTF8.GetByteCount(t.Name)} bytes of UTF-8; ggml allows at most 63", nameof(tensors));
        }

        var counting = new CountingStream(stream);
        using var w = new BinaryWriter(counting, Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(version);
        w.Write((ulong)tensors.Count);
        w.Write((ulong)metadata.Count);
        foreach (var (key, value) in metadata)
        {
            WriteString(w, key);
            w.Write((uint)value.Type);
            WriteValue(w, value);
        }

        ulong offset = 0;
        foreach (var t in tensors)
        {
            WriteString(w, t.Name);
            w.Write((uint)t.Dimensions.Length);
            foreach (var d in t.Dimensions)
                w.Write((ulong)d);
            w.Write((uint)t.Type);
            w.Write(offset);
            offset = Align(offset + (ulong)t.ByteSize, (ulong)alignment);
        }
        w.Flush();
        Pad(counting, alignment);

        var dataStart = counting.Position;
        foreach (var t in tensors)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var before = counting.Position;
            t.WriteData(counting);
            var written = counting.Position - before;
            if (written != t.ByteSize)
                throw new InvalidOperationException($"tensor '{t.Name}' wrote {written} bytes, expected {t.ByteSize} ({t.Type} {string.Join("x", t.Dimensions)})");
            Pad(counting, alignment, dataStart);
            progress?.Report(counting.Position);
        }
        counting.Flush();
    }

    private static void WriteValue(BinaryWriter w, GgufValue value)
    {
        switch (value.Value)
        {
            case byte v: w.Write(v); break;
            case sbyte v: w.Write(v); break;
            case ushort v: w.Write(v); break;
            case short v: w.Write(v); break;
            case uint v: w.Write(v); break;
            case int v: w.Write(v); break;
            case float v: w.Write(v); break;
            case bool v: w.Write((byte)(v ? 1 : 0)); break;
            case string v: WriteString(w, v); break;
            case ulong v: w.Write(v); break;
            case long v: w.Write(v); break;
            case double v: w.Write(v); break;
            case Array a:
                w.Write((uint)value.ElementType!.Value);
                w.Write((ulong)a.Length);
                WriteArray(w, a);
                break;
            default: throw new ArgumentException($"unsupported metadata value {value.Value.GetType()}");
        }
    }

    private static void WriteArray(BinaryWriter w, Array a)
    {
        switch (a)
        {
            case string[] s: foreach (var x in s) WriteString(w, x); break;
            case bool[] b: foreach (var x in b) w.Write((byte)(x ? 1 : 0)); break;
            case GgufValue[] nested:
                foreach (var x in nested)
                {
                    w.Write((uint)x.ElementType!.Value);
                    w.Write((ulong)x.Count);
                    WriteArray(w, (Array)x.Value);
                }
                break;
            default:
                // Fixed-size little-endian primitives: copy the array's bytes as they are.
                w.Flush();
                var bytes = new byte[Buffer.ByteLength(a)];
                Buffer.BlockCopy(a, 0, bytes, 0, bytes.Length);
                if (!BitConverter.IsLittleEndian)
                    throw new PlatformNotSupportedException("GGUF writing needs a little-endian machine");
                w.Write(bytes);
                break;
        }
    }

    private static void WriteString(BinaryWriter w, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }

    private static ulong Align(ulong x, ulong a) => (x + a - 1) / a * a;

    private static void Pad(CountingStream s, long alignment, long origin = 0)
    {
        var rel = s.Position - origin;
        var pad = (int)((alignment - rel % alignment) % alignment);
        if (pad > 0)
            s.Write(new byte[pad]);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Forward-only stream wrapper that counts bytes, so non-seekable targets work and sizes can be checked.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        private long _position;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _position;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            _position += buffer.Length;
        }
    }
}
