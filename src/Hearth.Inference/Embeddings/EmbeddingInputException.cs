namespace Hearth.Inference.Embeddings;

/// <summary>
/// One input of an embedding request cannot be embedded: it is empty, or longer than the context window (every input
/// is embedded whole; nothing is cut). <see cref="ArgumentException.ParamName"/> is <c>input</c>, so servers can name the field.
/// </summary>
public sealed class EmbeddingInputException : ArgumentException
{
    private EmbeddingInputException(int index, int tokens, int contextSize, string message)
        : base(message, "input")
    {
        Index = index;
        Tokens = tokens;
        ContextSize = contextSize;
    }

    /// <summary>Position of the input at fault in the request.</summary>
    public int Index { get; }

    /// <summary>Its length in tokens.</summary>
    public int Tokens { get; }

    /// <summary>The context window of the embedding context, in tokens.</summary>
    public int ContextSize { get; }

    internal static EmbeddingInputException TooLong(int index, int tokens, int contextSize) =>
        new(index, tokens, contextSize,
            $"input[{index}] is {tokens} tokens but the context is {contextSize} tokens; shorten it or raise num_ctx");

    internal static EmbeddingInputException Empty(int index, int contextSize) =>
        new(index, 0, contextSize, $"input[{index}] is empty; every input needs at least one token");
}
