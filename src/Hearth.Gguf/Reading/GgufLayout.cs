namespace Hearth.Gguf.Reading;

/// <summary>What the parser learned from a GGUF header, already validated against the file size.</summary>
/// <param name="DataOffset">Absolute byte offset of the tensor data section: the header end padded to <paramref name="Alignment"/>.</param>
internal sealed record GgufLayout(uint Version, GgufMetadata Metadata, GgufTensorInfo[] Tensors, int Alignment, long DataOffset);
