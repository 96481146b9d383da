namespace Hearth.Inference.Generation;

/// <summary>
/// The prompt does not fit the context window and no truncation was asked for (or truncation could not make it fit).
/// The message has both sizes and the fixes: "prompt is 612 tokens but the context is 512 tokens; shorten it,
/// raise num_ctx, or ask for truncation".
/// </summary>
public sealed class ContextOverflowException : Exception
{
    public ContextOverflowException(int promptTokens, int contextSize, string message)
        : base(message)
    {
        PromptTokens = promptTokens;
        ContextSize = contextSize;
    }

    /// <summary>Tokens in the prompt (after any truncation that was tried).</summary>
    public int PromptTokens { get; }

    /// <summary>The context window in tokens.</summary>
    public int ContextSize { get; }

    internal static ContextOverflowException TooLong(int promptTokens, int contextSize)
    {
        // Equal sizes still overflow: the reply needs at least one free slot.
        var room = promptTokens == contextSize ? " (a reply needs at least one free token)" : "";
        return new(promptTokens, contextSize,
            $"prompt is {promptTokens} tokens but the context is {contextSize} tokens{room}; shorten it, raise num_ctx, or ask for truncation");
    }

    internal static ContextOverflowException StillTooLong(int promptTokens, int contextSize, int limit, int droppedMessages) =>
        new(promptTokens, contextSize,
            $"prompt is {promptTokens} tokens after dropping {droppedMessages} older messages but the context is {contextSize} tokens " +
            $"(at most {limit} leave room for the reply); shorten the system prompt or the last message, or raise num_ctx");
}
