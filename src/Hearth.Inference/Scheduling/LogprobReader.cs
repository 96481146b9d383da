namespace Hearth.Inference.Scheduling;

/// <summary>
/// Reads log probabilities out of one row of raw logits (one sequence, one step): the log-sum-exp that normalizes them
/// and the N most likely tokens. Numerically stable — the maximum is subtracted before exponentiating and the sum is
/// accumulated in double, so large logits neither overflow nor lose the small terms. Two passes over the vocabulary:
/// one selects the top N (an insertion into a sorted array of N ≤ 20, which almost every logit skips after one
/// comparison) and finds the maximum, one sums. Reuses its buffers across steps, so a step allocates nothing here.
/// One instance per generating sequence; not thread-safe.
/// </summary>
internal sealed class LogprobReader
{
    /// <summary>Most alternatives per token: OpenAI's limit for <c>top_logprobs</c>.</summary>
    public const int MaxTop = 20;

    private readonly int[] _tokens;
    private readonly float[] _logits;

    /// <param name="top">How many of the most likely tokens to keep per step, 0‥<see cref="MaxTop"/> (0 = none, only the normalizer).</param>
    public LogprobReader(int top)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(top);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(top, MaxTop);
        _tokens = new int[top];
        _logits = new float[top];
    }

    /// <summary>The most likely tokens of the last <see cref="Read"/>, most likely first (ties: lower id first).</summary>
    public ReadOnlySpan<int> TopTokens => _tokens.AsSpan(0, Count);

    /// <summary>The raw logits of <see cref="TopTokens"/>, in the same order.</summary>
    public ReadOnlySpan<float> TopLogits => _logits.AsSpan(0, Count);

    /// <summary>How many tokens the last <see cref="Read"/> selected: the requested number, or the vocabulary size if smaller.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// Selects the most likely tokens of <paramref name="logits"/> and returns log Σ exp(logit), so that a token's log
    /// probability is its logit minus the result. NaN logits are ignored.
    /// </summary>
    public double Read(ReadOnlySpan<float> logits)
    {
        if (logits.IsEmpty)
            throw new ArgumentException("the logits row is empty", nameof(logits));
        var capacity = _tokens.Length;
        var count = 0;
        var max = float.NegativeInfinity;
        for (var i = 0; i < logits.Length; i++)
        {
            var logit = logits[i];
            if (logit > max)
                max = logit;
            // Strictly greater: on ties the token seen first (the lower id) stays ahead, so the order is deterministic.
            if (capacity == 0 || (count == capacity && !(logit > _logits[count - 1])) || float.IsNaN(logit))
                continue;
            var at = count < capacity ? count++ : count - 1;
            while (at > 0 && logit > _logits[at - 1])
            {
                _logits[at] = _logits[at - 1];
                _tokens[at] = _tokens[at - 1];
                at--;
            }
            _logits[at] = logit;
            _tokens[at] = i;
        }
        Count = count;
        return LogSumExp(logits, max);
    }

    /// <summary>log Σ exp(x) over <paramref name="logits"/>, given their maximum: max + log Σ exp(x − max), in double.</summary>
    public static double LogSumExp(ReadOnlySpan<float> logits, float max)
    {
        // Every logit −∞ (or NaN): no distribution to normalize; −∞ keeps each log probability NaN rather than invented.
        if (!float.IsFinite(max))
            return float.IsPositiveInfinity(max) ? double.PositiveInfinity : double.NegativeInfinity;
        var sum = 0.0;
        foreach (var logit in logits)
            if (!float.IsNaN(logit))
                sum += Math.Exp((double)logit - max);
        return max + Math.Log(sum);
    }
}
