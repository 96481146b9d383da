using System.Diagnostics;
using System.Globalization;
using Hearth.Inference.Generation;
using Hearth.Inference.Runtime;
using Hearth.Inference.Sampling;
using LLama.Native;

namespace Hearth.Inference.Benchmarking;

/// <summary>
/// Measures what Hearth's runtime costs on top of llama.cpp: for one model and thread count it times (a) Hearth's own
/// generation path — the <see cref="LoadedModel.GenerateAsync"/> users get, through the model's decode scheduler, with
/// the prompt cache cleared before each run, greedy, end-of-generation ignored — and
/// (b) <see cref="RawDecodeLoop"/>, on the same loaded model and context, interleaved so drift in machine load hits
/// both alike. Reports prefill and decode speed, time to first token and the process's peak resident memory.
/// </summary>
public static class RuntimeBenchmark
{
    // Ordinary English, tokenized and repeated to the requested prompt length.
    private const string PromptText =
        "The quick brown fox jumps over the lazy dog while the people of the town watch from their windows, " +
        "and the wind carries the sound of the river through the trees. ";

    public static async Task<RuntimeBenchmarkResult> RunAsync(string modelPath, RuntimeBenchmarkOptions? options = null,
        IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new RuntimeBenchmarkOptions();
        options.Validate();
        var needed = options.PromptTokens + options.GeneratedTokens;
        var load = new ModelLoadOptions
        {
            // Rounded up to llama.cpp's 256-token KV padding, with room to spare.
            ContextSize = Math.Max(512, (needed + 255) / 256 * 256),
            Threads = options.Threads,
        };
        progress?.Report($"loading {Path.GetFileName(modelPath)} with {options.Threads} threads");
        using var model = await LoadedModel.LoadAsync(modelPath, load, cancellationToken: cancellationToken).ConfigureAwait(false);
        var prompt = BuildPrompt(model, options.PromptTokens);
        var sampling = SamplingOptions.Greedy with { MaxTokens = options.GeneratedTokens, IgnoreEos = true };

        if (options.WarmUp)
        {
            progress?.Report("warming up");
            await RunHearthAsync(model, prompt, sampling, cancellationToken).ConfigureAwait(false);
            await RunRawAsync(model, prompt, options.GeneratedTokens).ConfigureAwait(false);
        }

        var hearth = new List<BenchmarkRun>();
        var raw = new List<BenchmarkRun>();
        for (var i = 0; i < options.Repetitions; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Alternate which path goes first, so neither always runs on a cooler (or warmer) machine.
            if (i % 2 == 0)
            {
                hearth.Add(await RunHearthAsync(model, prompt, sampling, cancellationToken).ConfigureAwait(false));
                raw.Add(await RunRawAsync(model, prompt, options.GeneratedTokens).ConfigureAwait(false));
            }
            else
            {
                raw.Add(await RunRawAsync(model, prompt, options.GeneratedTokens).ConfigureAwait(false));
                hearth.Add(await RunHearthAsync(model, prompt, sampling, cancellationToken).ConfigureAwait(false));
            }
            progress?.Report(string.Create(CultureInfo.InvariantCulture,
                $"run {i + 1}/{options.Repetitions}: hearth {hearth[^1].DecodeTokensPerSecond:0.0} tok/s, raw {raw[^1].DecodeTokensPerSecond:0.0} tok/s"));
        }

        return new RuntimeBenchmarkResult(model.Path, model.Description, options.Threads, options.PromptTokens, options.GeneratedTokens,
            new BenchmarkPath("hearth", hearth), new BenchmarkPath("llama.cpp (raw loop)", raw), PeakResidentBytes());
    }

    private static async Task<BenchmarkRun> RunHearthAsync(LoadedModel model, int[] prompt, SamplingOptions sampling, CancellationToken ct)
    {
        // Every run repeats the same prompt: without this the prompt cache would skip the prefill being measured.
        await model.ClearPromptCacheAsync().ConfigureAwait(false);
        var result = await model.GenerateAsync(Prompt.FromTokens(prompt), sampling, ct).ConfigureAwait(false);
        if (result.Stats.CompletionTokens != sampling.MaxTokens)
            throw new InvalidOperationException(
                $"the benchmark expected {sampling.MaxTokens} generated tokens but got {result.Stats.CompletionTokens} ({result.FinishReason})");
        var s = result.Stats;
        return new BenchmarkRun(s.PromptTokens, s.CompletionTokens, s.PromptEvalDuration, s.EvalDuration, s.TimeToFirstToken);
    }

    // On the model's decode-loop thread with the context to itself, the thread Hearth's own path decodes on.
    private static Task<BenchmarkRun> RunRawAsync(LoadedModel model, int[] prompt, int generate)
    {
        var tokens = new LLamaToken[prompt.Length];
        for (var i = 0; i < tokens.Length; i++)
            tokens[i] = prompt[i];
        return model.RunExclusiveAsync(context => RawDecodeLoop.Run(context, model.BatchSize, tokens, generate));
    }

    /// <summary>
    /// One run of the bare llama.cpp loop on an already loaded model (e.g. one a server holds), so other paths can be
    /// measured interleaved with it on the same instance. Greedy, no EOS, <paramref name="generate"/> tokens after a
    /// <paramref name="promptTokens"/>-token prompt. Clears the model's prompt cache afterwards (the loop overwrote its KV).
    /// </summary>
    public static async Task<BenchmarkRun> MeasureRawAsync(LoadedModel model, int promptTokens, int generate)
    {
        ArgumentNullException.ThrowIfNull(model);
        var run = await RunRawAsync(model, BuildPrompt(model, promptTokens), generate).ConfigureAwait(false);
        await model.ClearPromptCacheAsync().ConfigureAwait(false);
        return run;
    }

    private static int[] BuildPrompt(LoadedModel model, int length)
    {
        var first = model.Tokenize(PromptText, addBos: true);
        var more = model.Tokenize(PromptText, addBos: false);
        var tokens = new List<int>(length + more.Length);
        tokens.AddRange(first);
        while (tokens.Count < length)
            tokens.AddRange(more);
        return tokens.GetRange(0, length).ToArray();
    }

    /// <summary>Peak resident set size of this process: VmHWM from /proc/self/status on Linux, else the peak working set.</summary>
    public static long PeakResidentBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kib = line["VmHWM:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kib, CultureInfo.InvariantCulture) * 1024;
                }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            // Not Linux, or /proc unavailable: fall through.
        }
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }
}
