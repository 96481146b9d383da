namespace Hearth.Inference.Benchmarking;

/// <summary>One measured run of one path.</summary>
/// <param name="Prefill">Time to evaluate the prompt.</param>
/// <param name="Decode">From the end of prefill to the last generated token.</param>
/// <param name="TimeToFirstToken">From the start of the call to the first generated token.</param>
public sealed record BenchmarkRun(int PromptTokens, int GeneratedTokens, TimeSpan Prefill, TimeSpan Decode, TimeSpan TimeToFirstToken)
{
    public double PrefillTokensPerSecond => PromptTokens / Prefill.TotalSeconds;

    /// <summary>Generated tokens per second of decoding, as llama-bench's <c>tg</c>.</summary>
    public double DecodeTokensPerSecond => GeneratedTokens / Decode.TotalSeconds;
}

/// <summary>The runs of one path (Hearth's runtime or the raw llama.cpp loop) and their medians.</summary>
public sealed record BenchmarkPath(string Name, IReadOnlyList<BenchmarkRun> Runs)
{
    public double PrefillTokensPerSecond => Median(Runs.Select(r => r.PrefillTokensPerSecond));
    public double DecodeTokensPerSecond => Median(Runs.Select(r => r.DecodeTokensPerSecond));
    public TimeSpan TimeToFirstToken => TimeSpan.FromTicks((long)Median(Runs.Select(r => (double)r.TimeToFirstToken.Ticks)));

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
            return 0;
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}

/// <summary>
/// Hearth's generation path against a bare llama.cpp decode loop on the same model, context and threads.
/// <see cref="DecodeRatio"/> is the figure of merit: Hearth's decode speed over the raw loop's (target ≥ 0.97).
/// </summary>
public sealed record RuntimeBenchmarkResult(
    string ModelPath,
    string ModelDescription,
    int Threads,
    int PromptTokens,
    int GeneratedTokens,
    BenchmarkPath Hearth,
    BenchmarkPath Raw,
    long PeakResidentBytes)
{
    public double DecodeRatio => Raw.DecodeTokensPerSecond > 0 ? Hearth.DecodeTokensPerSecond / Raw.DecodeTokensPerSecond : 0;
    public double PrefillRatio => Raw.PrefillTokensPerSecond > 0 ? Hearth.PrefillTokensPerSecond / Raw.PrefillTokensPerSecond : 0;
}
