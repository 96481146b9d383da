using LLama.Native;

namespace Hearth.Inference.Scheduling;

/// <summary>
/// One llama.cpp sequence of a model's context (<c>seq_id</c>): the request decoding in it, if any, and the tokens
/// its KV-cache entries hold, positions 0‥n−1. The entries outlive the request, so the next request that starts with
/// the same tokens reuses them (the prompt cache). Touched only by the scheduler's thread.
/// </summary>
internal sealed class SequenceSlot(int id)
{
    public LLamaSeqId Id { get; } = (LLamaSeqId)id;

    /// <summary>The request decoding in this slot; null when the slot is free.</summary>
    public GenerationRequest? Request { get; set; }

    /// <summary>The tokens in this sequence's KV cache, by position.</summary>
    public List<LLamaToken> Cached { get; } = new();

    /// <summary>When the slot last took a request (a scheduler tick), so the least recently used is given up first.</summary>
    public long LastUsed { get; set; }

    public bool IsFree => Request is null;

    /// <summary>Length of the longest common prefix of this slot's cached tokens and <paramref name="tokens"/>.</summary>
    public int CommonPrefixLength(ReadOnlySpan<LLamaToken> tokens)
    {
        var n = Math.Min(Cached.Count, tokens.Length);
        var i = 0;
        while (i < n && Cached[i] == tokens[i])
            i++;
        return i;
    }

    public override string ToString() => $"seq {(int)Id}: {Cached.Count} cached, {(IsFree ? "free" : "busy")}";
}
