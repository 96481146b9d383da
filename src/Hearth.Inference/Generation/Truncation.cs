namespace Hearth.Inference.Generation;

/// <summary>
/// What to do with a prompt that does not fit the context window. The default refuses with a
/// <see cref="ContextOverflowException"/>; a prompt is never cut silently. A chosen strategy cuts the prompt to leave
/// room for the reply (<c>num_predict</c> tokens, at most half the context; a quarter when <c>num_predict</c> is −1),
/// and the result's stats say how much was dropped.
/// </summary>
public enum Truncation
{
    /// <summary>Refuse: throw <see cref="ContextOverflowException"/> with both sizes.</summary>
    None,

    /// <summary>Chat prompts only: drop the oldest messages after the system prompt, never the system prompt or the last message.</summary>
    DropOldestMessages,

    /// <summary>Keep the end of the prompt (after the BOS token), dropping tokens from its start. For raw prompts.</summary>
    KeepEnd,
}
