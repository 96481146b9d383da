using Hearth.Inference.Generation;

namespace Hearth.Inference.Scheduling;

/// <summary>
/// Keeps the log-probability entries of generated tokens in step with the text actually emitted. A token's text can
/// reach the output later than the token (the UTF-8 decoder waits for the rest of a split character; the stop-sequence
/// matcher holds back what could start a stop), or never (it was part of a stop sequence). Each entry records where
/// its token's text begins in the decoded text (<see cref="TokenLogprob.TextOffset"/>) and is released with the first
/// emitted piece that reaches past that point, so a streamed chunk carries the entries of the tokens whose text starts
/// in it. Tokens that add no text of their own (the first bytes of a split character) are released with the character
/// they begin. When a stop sequence cuts the text, entries of tokens that begin at or after the cut are dropped; a
/// token that straddles the cut keeps its entry, since part of its text was emitted. Scheduler thread only.
/// </summary>
internal sealed class PendingLogprobs
{
    private readonly Queue<TokenLogprob> _pending = new();
    private readonly List<TokenLogprob> _released = new();

    /// <summary>Characters (UTF-16) the decoder has produced so far, held back or not.</summary>
    public int DecodedLength { get; private set; }

    /// <summary>Every entry released so far, in token order: the whole generation's once it has finished.</summary>
    public IReadOnlyList<TokenLogprob> Released => _released;

    /// <summary>Adds a token's entry before its text is decoded; its <see cref="TokenLogprob.TextOffset"/> must be <see cref="DecodedLength"/>.</summary>
    public void Add(TokenLogprob entry) => _pending.Enqueue(entry);

    /// <summary>Counts text the decoder produced.</summary>
    public void Decoded(int length) => DecodedLength += length;

    /// <summary>Releases the entries of tokens whose text begins before <paramref name="emittedLength"/>; empty when none.</summary>
    public IReadOnlyList<TokenLogprob> Release(int emittedLength)
    {
        var count = 0;
        foreach (var entry in _pending)
        {
            if (entry.TextOffset >= emittedLength)
                break;
            count++;
        }
        return Take(count);
    }

    /// <summary>At the end of a generation no stop sequence cut: releases everything left (tokens whose text never completed included).</summary>
    public IReadOnlyList<TokenLogprob> ReleaseAll() => Take(_pending.Count);

    private IReadOnlyList<TokenLogprob> Take(int count)
    {
        if (count == 0)
            return [];
        var taken = new TokenLogprob[count];
        for (var i = 0; i < count; i++)
            taken[i] = _pending.Dequeue();
        _released.AddRange(taken);
        return taken;
    }
}
