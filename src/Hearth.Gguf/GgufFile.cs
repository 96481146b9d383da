using System.Collections.ObjectModel;
using System.IO.MemoryMappedFiles;
using Hearth.Gguf.Reading;

namespace Hearth.Gguf;

/// <summary>
/// A validated GGUF file (ggml/docs/gguf.md, versions 2 and 3): its metadata, tensor directory and tensor bytes.
/// </summary>
/// <remarks>
/// <see cref="Open"/> memory-maps the file read-only and parses only the header, so opening a multi-gigabyte model
/// costs about as much as reading its metadata; tensor bytes are paged in when <see cref="GetTensorData"/> touches them.
/// Every structural rule ggml's loader enforces is checked up front (see <c>GgufParser</c>), so a file that opens
/// never makes a later read go out of bounds. The object is immutable after opening and safe to read from many threads;
/// spans from <see cref="GetTensorData"/> must not be used after <see cref="Dispose"/>.
/// </remarks>
public sealed unsafe class GgufFile : IDisposable
{
    private readonly Dictionary<string, GgufTensorInfo> _byName;
    private readonly ReadOnlyMemory<byte> _memory;
    private readonly MemoryMappedFile? _mapping;
    private readonly MemoryMappedViewAccessor? _view;
    private byte* _mapped;
    private bool _disposed;

    private GgufFile(GgufLayout layout, string? path, long fileSize, ReadOnlyMemory<byte> memory,
        MemoryMappedFile? mapping, MemoryMappedViewAccessor? view, byte* mapped)
    {
        Path = path;
        FileSize = fileSize;
        Version = layout.Version;
        Metadata = layout.Metadata;
        Tensors = new ReadOnlyCollection<GgufTensorInfo>(layout.Tensors);
        Alignment = layout.Alignment;
        DataOffset = layout.DataOffset;
        _byName = layout.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        _memory = memory;
        _mapping = mapping;
        _view = view;
        _mapped = mapped;
        long parameters = 0;
        foreach (var t in layout.Tensors)
            parameters += t.ElementCount;
        ParameterCount = parameters;
    }

    /// <summary>Full path of the file for <see cref="Open"/>; null for <see cref="Parse"/>.</summary>
    public string? Path { get; }

    /// <summary>GGUF format version: 2 or 3.</summary>
    public uint Version { get; }

    public GgufMetadata Metadata { get; }

    /// <summary>Tensor directory in header order.</summary>
    public IReadOnlyList<GgufTensorInfo> Tensors { get; }

    /// <summary><c>general.alignment</c>, or 32 when the file does not set it.</summary>
    public int Alignment { get; }

    /// <summary>Absolute byte offset of the tensor data section (the header end padded to <see cref="Alignment"/>).</summary>
    public long DataOffset { get; }

    public long FileSize { get; }

    /// <summary>Sum of the element counts of all tensors.</summary>
    public long ParameterCount { get; }

    public GgufTensorInfo? FindTensor(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.GetValueOrDefault(name);
    }

    /// <summary>
    /// Opens and validates a GGUF file, memory-mapped read-only. Other processes may read or delete the file meanwhile
    /// (on Linux the mapping outlives the deletion).
    /// </summary>
    /// <exception cref="GgufFormatException">The file is not a valid GGUF file; <see cref="GgufFormatException.Path"/> is set.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    public static GgufFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = System.IO.Path.GetFullPath(path);
        var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 1, FileOptions.RandomAccess);
        MemoryMappedFile? mapping = null;
        MemoryMappedViewAccessor? view = null;
        byte* mapped = null;
        try
        {
            var length = stream.Length;
            if (length == 0)
                GgufThrow.ThrowFormat_EmptyFile(full);

            mapping = MemoryMappedFile.CreateFromFile(stream, mapName: null, capacity: 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            view = mapping.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref mapped);
            mapped += view.PointerOffset;

            GgufLayout layout;
            try
            {
                layout = GgufParser.Parse(mapped, length);
            }
            catch (GgufFormatException e)
            {
                throw new GgufFormatException(e.Reason, e.Offset, e.Field, full, e);
            }
            return new GgufFile(layout, full, length, ReadOnlyMemory<byte>.Empty, mapping, view, mapped);
        }
        catch
        {
            if (mapped != null)
                view!.SafeMemoryMappedViewHandle.ReleasePointer();
            view?.Dispose();
            if (mapping is not null)
                mapping.Dispose();
            else
                stream.Dispose();
            throw;
        }
    }

    /// <summary>Validates an in-memory GGUF image with the same rules as <see cref="Open"/>; the bytes are referenced, not copied.</summary>
    /// <exception cref="GgufFormatException">The bytes are not a valid GGUF image.</exception>
    public static GgufFile Parse(ReadOnlyMemory<byte> bytes)
    {
        GgufLayout layout;
        using (var pin = bytes.Pin())
            layout = GgufParser.Parse((byte*)pin.Pointer, bytes.Length);
        return new GgufFile(layout, null, bytes.Length, bytes, null, null, null);
    }

    /// <summary>The bytes of one tensor of this file, straight from the mapping or buffer (no copy).</summary>
    /// <exception cref="ArgumentException">The tensor's bytes do not lie inside this file (it came from another file).</exception>
    /// <exception cref="NotSupportedException">The tensor is 2 GiB or larger, more than one span can address.</exception>
    public ReadOnlySpan<byte> GetTensorData(GgufTensorInfo tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var size = tensor.ByteSize;
        var dataSize = Math.Max(0, FileSize - DataOffset); // negative only for a file without tensors
        if (tensor.Offset > (ulong)dataSize || size > dataSize - (long)tensor.Offset)
            throw new ArgumentException($"tensor '{tensor.Name}' (offset {tensor.Offset}, {size} bytes) does not lie inside the data section of this file", nameof(tensor));
        if (size > Array.MaxLength)
            throw new NotSupportedException($"tensor '{tensor.Name}' is {size} bytes; a span can address at most {Array.MaxLength}");
        var start = DataOffset + (long)tensor.Offset;
        return _view is null
            ? _memory.Span.Slice((int)start, (int)size)
            : new ReadOnlySpan<byte>(_mapped + start, (int)size);
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (_view is not null)
        {
            _mapped = null;
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
        }
        _mapping?.Dispose();
    }

    public override string ToString() =>
        $"GGUF v{Version}{(Path is null ? "" : $" '{Path}'")}: {Metadata.Count} keys, {Tensors.Count} tensors, {ParameterCount} parameters";
}
