using Hearth.Inference.Chat;

namespace Hearth.Inference.Generation;

/// <summary>The whole of one generation: its text, why it ended, counts and timings, and the chat template used (chat prompts).</summary>
public sealed record GenerationResult(string Text, FinishReason FinishReason, GenerationStats Stats)
{
    /// <summary>The template a chat prompt was rendered with (says whether it fell back to ChatML); null for raw and token prompts.</summary>
    public ChatTemplate? Template { get; init; }
}
