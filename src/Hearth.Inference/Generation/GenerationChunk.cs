namespace Hearth.Inference.Generation;

/// <summary>
/// One piece of a streamed generation. Text pieces are whole characters (UTF-8 sequences split across tokens are
/// joined first) and never contain any part of a stop sequence. The last chunk carries <see cref="Result"/>.
/// </summary>
public sealed record GenerationChunk(string Text)
{
    /// <summary>Set on the last chunk only: the full text, finish reason and stats.</summary>
    public GenerationResult? Result { get; init; }

    /// <summary>
    /// With <see cref="Sampling.SamplingOptions.TopLogprobs"/> set: the entries of the tokens whose text begins in this
    /// piece (possibly none), in order; a piece with empty <see cref="Text"/> may carry the entries of tokens that added
    /// no text (see <see cref="GenerationResult.Logprobs"/>). Null when log probabilities were not requested.
    /// </summary>
    public IReadOnlyList<TokenLogprob>? Logprobs { get; init; }

    public bool IsFinal => Result is not null;
}
