namespace Hearth.Server.OpenAi;

/// <summary>https://platform.openai.com/docs/api-reference/embeddings/object: vectors as float arrays, or base64 of little-endian float32.</summary>
internal sealed record EmbeddingList(IReadOnlyList<EmbeddingItem> Data, string Model, EmbeddingUsage Usage)
{
    public string Object => "list";
}

/// <param name="Embedding">A <c>float[]</c> or, for <c>encoding_format: "base64"</c>, a base64 string.</param>
internal sealed record EmbeddingItem(int Index, object Embedding)
{
    public string Object => "embedding";
}

internal sealed record EmbeddingUsage(int PromptTokens)
{
    public int TotalTokens => PromptTokens;
}
