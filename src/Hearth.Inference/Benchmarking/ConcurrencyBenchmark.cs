using System.Diagnostics;
using System.Globalization;
using Hearth.Inference.Generation;
using Hearth.Inference.Runtime;
using Hearth.Inference.Sampling;
using LLama.Native;

namespace Hearth.Inference.Benchmarking;

/// <summary>
/// Measures the decode scheduler under concurrent load, in process (no HTTP): for each client count, that many
/// streaming requests start together on one <see cref="LoadedModel"/>, each with its own prompt, greedy, generating a
/// fixed number of tokens. Reports aggregate tokens per second, time to first token (p50, p95, max) and inter-token
/// latency (p50, p95) as a streaming client sees them, next to the raw single-stream decode speed of the same model
/// and context. Then the prompt-cache scenario: two requests sharing a long system prompt, one after the other.
/// </summary>
public static class ConcurrencyBenchmark
{
    private const string PromptText =
        "The quick brown fox jumps over the lazy dog while the people of the town watch from their windows, " +
        "and the wind carries the sound of the river through the trees. ";

    // The tail after the shared prefix, and the reply, in the prompt-cache scenario.
    private const int SuffixTokens = 16, PrefixReplyTokens = 8;

    public static async Task<ConcurrencyBenchmarkResult> RunAsync(string modelPath, ConcurrencyBenchmarkOptions? options = null,
        IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new ConcurrencyBenchmarkOptions();
        options.Validate();
        var parallel = options.ParallelSequences > 0 ? options.ParallelSequences : options.Clients.Max();
        var window = Math.Max(options.PromptTokens + options.GeneratedTokens, options.SharedPrefixTokens + SuffixTokens + PrefixReplyTokens);
        var load = new ModelLoadOptions
        {
            // Rounded up to llama.cpp's 256-token KV padding.
            ContextSize = Math.Max(512, (window + 255) / 256 * 256),
            Threads = options.Threads,
            ParallelSequences = parallel,
            MaxQueuedRequests = Math.Max(ModelLoadOptions.DefaultMaxQueuedRequests, options.Clients.Max()),
        };
        progress?.Report($"loading {Path.GetFileName(modelPath)}: {parallel} sequences of {load.ContextSize} tokens, {options.Threads} threads");
        using var model = await LoadedModel.LoadAsync(modelPath, load, cancellationToken: cancellationToken).ConfigureAwait(false);
        var text = model.Tokenize(PromptText, addBos: false);
        var sampling = SamplingOptions.Greedy with { MaxTokens = options.GeneratedTokens, IgnoreEos = true };

        // Warm-up (page faults, graph allocation), then the raw loop on the same context for reference.
        await model.GenerateAsync(Prompt.FromTokens(ClientPrompt(model, text, options.PromptTokens, 0)), sampling, cancellationToken)
            .ConfigureAwait(false);
        var rawPrompt = Array.ConvertAll(ClientPrompt(model, text, options.PromptTokens, 0), t => (LLamaToken)t);
        var raw = await model.RunExclusiveAsync(context => RawDecodeLoop.Run(context, model.BatchSize, rawPrompt, options.GeneratedTokens))
            .ConfigureAwait(false);
        progress?.Report(string.Create(CultureInfo.InvariantCulture, $"raw single-stream decode: {raw.DecodeTokensPerSecond:0.0} tok/s"));

        var runs = new List<ConcurrencyRun>();
        foreach (var clients in options.Clients)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await model.ClearPromptCacheAsync().ConfigureAwait(false);
            var run = await RunClientsAsync(model, text, clients, options.PromptTokens, sampling, cancellationToken).ConfigureAwait(false);
            runs.Add(run);
            progress?.Report(string.Create(CultureInfo.InvariantCulture,
                $"{clients} clients: {run.AggregateTokensPerSecond:0.0} tok/s, TTFT p50 {run.TimeToFirstTokenP50 * 1000:0} ms " +
                $"p95 {run.TimeToFirstTokenP95 * 1000:0} ms max {run.TimeToFirstTokenMax * 1000:0} ms, " +
                $"ITL p50 {run.InterTokenLatencyP50 * 1000:0.0} ms p95 {run.InterTokenLatencyP95 * 1000:0.0} ms"));
        }

        SharedPrefixRun? shared = null;
        if (options.SharedPrefixTokens > 0)
        {
            shared = await RunSharedPrefixAsync(model, text, options.SharedPrefixTokens, cancellationToken).ConfigureAwait(false);
            progress?.Report(string.Create(CultureInfo.InvariantCulture,
                $"shared {shared.PrefixTokens}-token prefix: TTFT {shared.FirstTimeToFirstToken.TotalMilliseconds:0} ms then " +
                $"{shared.SecondTimeToFirstToken.TotalMilliseconds:0} ms ({shared.Speedup:0.0}x, {shared.CachedPromptTokens} tokens reused)"));
        }

        return new ConcurrencyBenchmarkResult(model.Path, model.Description, options.Threads, parallel, options.PromptTokens,
            raw.DecodeTokensPerSecond, runs, shared);
    }

    private static async Task<ConcurrencyRun> RunClientsAsync(LoadedModel model, int[] text, int clients, int promptTokens,
        SamplingOptions sampling, CancellationToken cancellationToken)
    {
        var prompts = Enumerable.Range(0, clients).Select(k => ClientPrompt(model, text, promptTokens, k)).ToArray();
        var started = Stopwatch.GetTimestamp();
        var traces = await Task.WhenAll(prompts.Select(p => Task.Run(() => StreamAsync(model, p, sampling, cancellationToken))))
            .ConfigureAwait(false);
        var wall = Stopwatch.GetElapsedTime(started);
        var ttft = traces.Select(t => t.TimeToFirstToken).ToArray();
        var gaps = traces.SelectMany(t => t.Gaps).ToArray();
        return new ConcurrencyRun(clients, traces.Sum(t => t.Tokens), wall, Percentile(ttft, 50), Percentile(ttft, 95), ttft.Max(),
            Percentile(gaps, 50), Percentile(gaps, 95));
    }

    private sealed record ClientTrace(double TimeToFirstToken, List<double> Gaps, int Tokens);

    private static async Task<ClientTrace> StreamAsync(LoadedModel model, int[] prompt, SamplingOptions sampling, CancellationToken ct)
    {
        var gaps = new List<double>(sampling.MaxTokens);
        long last = 0;
        GenerationResult? result = null;
        await foreach (var chunk in model.GenerateStreamAsync(Prompt.FromTokens(prompt), sampling, ct).ConfigureAwait(false))
        {
            result = chunk.Result ?? result;
            if (chunk.Text.Length == 0)
                continue;
            var now = Stopwatch.GetTimestamp();
            if (last != 0)
                gaps.Add(Stopwatch.GetElapsedTime(last, now).TotalSeconds);
            last = now;
        }
        var stats = result!.Stats;
        return new ClientTrace(stats.TimeToFirstToken.TotalSeconds, gaps, stats.CompletionTokens);
    }

    private static async Task<SharedPrefixRun> RunSharedPrefixAsync(LoadedModel model, int[] text, int prefixTokens, CancellationToken ct)
    {
        await model.ClearPromptCacheAsync().ConfigureAwait(false);
        var prefix = ClientPrompt(model, text, prefixTokens, 0);
        var sampling = SamplingOptions.Greedy with { MaxTokens = PrefixReplyTokens, IgnoreEos = true };
        var first = await model.GenerateAsync(Prompt.FromTokens([.. prefix, .. Rotate(text, SuffixTokens, 3)]), sampling, ct)
            .ConfigureAwait(false);
        var second = await model.GenerateAsync(Prompt.FromTokens([.. prefix, .. Rotate(text, SuffixTokens, 11)]), sampling, ct)
            .ConfigureAwait(false);
        return new SharedPrefixRun(prefixTokens, second.Stats.PromptTokens, second.Stats.CachedPromptTokens, first.Stats.TimeToFirstToken,
            second.Stats.TimeToFirstToken);
    }

    /// <summary>BOS (when the model wants one) and the text's tokens from a per-client offset, repeated to <paramref name="length"/>.</summary>
    private static int[] ClientPrompt(LoadedModel model, int[] text, int length, int client)
    {
        var bos = model.Tokenize("", addBos: true);
        return [.. bos, .. Rotate(text, length - bos.Length, client * 7)];
    }

    private static int[] Rotate(int[] text, int length, int offset)
    {
        var tokens = new int[length];
        for (var i = 0; i < length; i++)
            tokens[i] = text[(offset + i) % text.Length];
        return tokens;
    }

    // Nearest-rank percentile; 0 when empty.
    private static double Percentile(double[] values, double p)
    {
        if (values.Length == 0)
            return 0;
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
