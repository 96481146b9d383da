namespace Hearth.Inference.Embeddings;

/// <summary>
/// Embeddings of a batch of inputs: one vector per input, in input order, each of the model's embedding length
/// (<c>n_embd</c>); <see cref="PromptTokens"/> counts the tokens of all inputs together (OpenAI's <c>usage.prompt_tokens</c>).
/// </summary>
public sealed record EmbeddingResult(IReadOnlyList<float[]> Vectors, int PromptTokens);
