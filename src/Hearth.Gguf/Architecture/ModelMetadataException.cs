namespace Hearth.Gguf.Architecture;

/// <summary>
/// A model's metadata lacks a key the architecture needs, holds it with the wrong type or an impossible value, or
/// names an architecture Hearth does not support. <see cref="Key"/> names the offending key.
/// </summary>
public sealed class ModelMetadataException : Exception
{
    public ModelMetadataException(string message, string key, Exception? inner = null)
        : base(message, inner)
    {
        Key = key;
    }

    /// <summary>The metadata key at fault, e.g. <c>llama.attention.head_count</c> or <c>general.architecture</c>.</summary>
    public string Key { get; }
}
