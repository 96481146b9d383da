namespace Hearth.Gguf;

/// <summary>
/// A GGUF file is malformed. <see cref="Offset"/> is the byte position where the fault was found and
/// <see cref="Field"/> names what was being read (e.g. <c>tensor 'blk.0.attn_q.weight' type</c>); both also appear in the message.
/// </summary>
public sealed class GgufFormatException : Exception
{
    public GgufFormatException(string message, long offset, string field, string? path = null, Exception? inner = null)
        : base(Format(message, offset, field, path), inner)
    {
        Offset = offset;
        Field = field;
        Path = path;
        Reason = message;
    }

    public long Offset { get; }
    public string Field { get; }
    public string? Path { get; }

    /// <summary>The bare reason, without position and field.</summary>
    public string Reason { get; }

    private static string Format(string message, long offset, string field, string? path) =>
        (path is null ? "" : $"{path}: ") + $"invalid GGUF at byte {offset} ({field}): {message}";
}
