using Hearth.Inference.Chat;

namespace Hearth.Inference.Generation;

/// <summary>The whole of one generation: its text, why it ended, counts and timings, and the chat template used (chat prompts).</summary>
public sealed record GenerationResult(string Text, FinishReason FinishReason, GenerationStats Stats)
{
    /// <summary>The template a chat prompt was rendered with (says whether it fell back to ChatML); null for raw and token prompts.</summary>
    public ChatTemplate? Template { get; init; }

    /// <summary>
    /// With <see cref="Sampling.SamplingOptions.TopLogprobs"/> set: one entry per generated token whose text is in
    /// <see cref="Text"/>, in order — the same entries the streamed chunks carried. End-of-generation tokens have none;
    /// tokens that only began a stop sequence have none (a token straddling the cut keeps its entry); tokens whose
    /// text never completed (a character cut off by the token limit) are kept, with their partial bytes. Null when
    /// log probabilities were not requested.
    /// </summary>
    public IReadOnlyList<TokenLogprob>? Logprobs { get; init; }
}
