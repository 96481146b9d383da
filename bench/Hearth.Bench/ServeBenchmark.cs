using System.Diagnostics;
using System.Globalization;
using Hearth.Inference.Benchmarking;
using Hearth.Inference.Chat;
using Hearth.Inference.Generation;
using Hearth.Models.Paths;
using Hearth.Server.Hosting;
using Hearth.Server.Serving;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Bench;

public sealed record ServeBenchmarkSettings(string Home, string Model, int[] Clients, int Tokens, int Parallel, int Threads, int PrefixTokens, int SoakConnections);

/// <summary>
/// Measures <c>hearth serve</c> the way clients see it (HTTP + SSE on loopback) and, in the same run, the raw engine
/// (a bare llama_decode loop) and Hearth's library path, so every figure has its baseline beside it.
/// </summary>
public static class ServeBenchmark
{
    public static async Task RunAsync(ServeBenchmarkSettings s, TextWriter output, CancellationToken ct)
    {
        var paths = new HearthPaths(s.Home);
        var store = new Hearth.Models.Store.ModelStore(paths);
        var modelPath = store.GetModelPath(Hearth.Models.Naming.ModelName.Parse(s.Model));
        output.WriteLine($"# hearth serve benchmark — {s.Model}, {s.Threads} threads, {s.Tokens} tokens per request, {s.Parallel} slots, {DateTime.UtcNow:yyyy-MM-dd}");
        output.WriteLine();

        // 1. The raw engine and the library path, same process, before the server loads anything.
        var engine = await RuntimeBenchmark.RunAsync(modelPath, new RuntimeBenchmarkOptions
        {
            Threads = s.Threads, PromptTokens = 64, GeneratedTokens = s.Tokens, Repetitions = 3,
        }, cancellationToken: ct);
        output.WriteLine("| engine (no HTTP) | decode tok/s | prefill tok/s | TTFT |");
        output.WriteLine("| --- | ---: | ---: | ---: |");
        foreach (var p in new[] { engine.Raw, engine.Hearth })
            output.WriteLine(F($"| {p.Name} | {p.DecodeTokensPerSecond:0.00} | {p.PrefillTokensPerSecond:0.0} | {p.TimeToFirstToken.TotalMilliseconds:0.0} ms |"));
        output.WriteLine();
        var rawDecode = engine.Raw.DecodeTokensPerSecond;

        await using var server = HearthServer.Create(new HearthServerOptions
        {
            Paths = paths, Port = 0, ParallelSequences = s.Parallel, Threads = s.Threads,
            ContextSize = Math.Max(2048, s.PrefixTokens + 512), MaxQueuedRequests = 64,
        });
        await server.StartAsync(ct);
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
        var client = new StreamingClient(http);
        // Load the model, then let .NET's tiered JIT promote the request path (a long-running server's steady state).
        for (var i = 0; i < 8; i++)
            await client.ChatAsync(s.Model, null, $"warm up {i}", 16, i, ct, temperature: 0, repeatPenalty: 1);

        // 2. Server overhead on time to first token: the same prompt and seed through the library and through HTTP,
        //    interleaved, with the prompt cache cleared before each so neither path reuses the other's work. Greedy, as
        //    the raw engine loop is, so the decode comparison measures the serving path and not the sampler chain.
        var served = server.App.Services.GetRequiredService<ServedModels>();
        var libraryTtft = new List<double>();
        var httpTtft = new List<double>();
        var ttftDifference = new List<double>();
        var singleDecode = new List<double>();
        var libraryDecode = new List<double>();
        var rawInterleaved = new List<double>();
        using (var lease = await served.AcquireAsync(s.Model, cancellationToken: ct))
        {
            var greedy = lease.Sampling with { Temperature = 0, RepeatPenalty = 1 };
            // TTFT: prefill time varies ±10% run to run here, so many short pairs and the median of their differences.
            for (var i = 0; i < 25; i++)
            {
                await lease.Model.ClearPromptCacheAsync();
                var library = await LibraryTtftAsync(lease.Model, Question(i), greedy with { MaxTokens = 8, Seed = (uint)i }, ct);
                await lease.Model.ClearPromptCacheAsync();
                var overHttp = (await client.ChatAsync(s.Model, null, Question(i), 8, i, ct, temperature: 0, repeatPenalty: 1)).TimeToFirstTokenMs;
                libraryTtft.Add(library);
                httpTtft.Add(overHttp);
                ttftDifference.Add(overHttp - library);
            }
            // Decode: the raw loop on the very instance the server holds, the library stream and HTTP, interleaved.
            for (var i = 0; i < 7; i++)
            {
                rawInterleaved.Add((await RuntimeBenchmark.MeasureRawAsync(lease.Model, 32, s.Tokens)).DecodeTokensPerSecond);
                await lease.Model.ClearPromptCacheAsync();
                libraryDecode.Add(await LibraryDecodeAsync(lease.Model, Question(i), greedy with { MaxTokens = s.Tokens, Seed = (uint)i }, ct));
                await lease.Model.ClearPromptCacheAsync();
                singleDecode.Add(DecodeRate(await client.ChatAsync(s.Model, null, Question(i), s.Tokens, i, ct, temperature: 0, repeatPenalty: 1)));
            }
        }
        output.WriteLine("| one client, greedy, `repeat_penalty` 1, prompt cache cleared before each | value |");
        output.WriteLine("| --- | ---: |");
        output.WriteLine(F($"| TTFT, library (`LoadedModel.GenerateStreamAsync`), p50 of 25 | {Percentiles.Of(libraryTtft, 50):0.0} ms |"));
        output.WriteLine(F($"| TTFT, HTTP (`/v1/chat/completions`, SSE), p50 of 25 | {Percentiles.Of(httpTtft, 50):0.0} ms |"));
        output.WriteLine(F($"| **TTFT added by the server** (p50 of the 25 paired differences) | **{Percentiles.Of(ttftDifference, 50):0.0} ms** |"));
        output.WriteLine(F($"| decode, raw llama_decode loop on the served instance (p50 of 7, interleaved) | {Percentiles.Of(rawInterleaved, 50):0.00} tok/s |"));
        output.WriteLine(F($"| decode, library stream (tokens after the first ÷ time after the first) | {Percentiles.Of(libraryDecode, 50):0.00} tok/s |"));
        output.WriteLine(F($"| decode over HTTP (same measure, at the client) | {Percentiles.Of(singleDecode, 50):0.00} tok/s |"));
        output.WriteLine(F($"| **HTTP × raw engine decode** | **{Percentiles.Of(singleDecode, 50) / Percentiles.Of(rawInterleaved, 50):0.000}×** |"));
        output.WriteLine();

        // 3. Concurrency: K streaming clients at once, distinct prompts (no shared prefix to exploit).
        output.WriteLine("| clients | aggregate tok/s | × raw single-stream | per-client decode tok/s | TTFT p50 | TTFT p95 | TTFT max | ITL p50 | ITL p95 | failed |");
        output.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var k in s.Clients)
        {
            var start = Stopwatch.GetTimestamp();
            var samples = await Task.WhenAll(Enumerable.Range(0, k).Select(i => client.ChatAsync(s.Model, null, Question(1000 * k + i), s.Tokens, i, ct)));
            var wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var ok = samples.Where(x => x.Status == 200).ToArray();
            var tokensOut = ok.Sum(x => x.CompletionTokens);
            var ttft = ok.Select(x => x.TimeToFirstTokenMs).ToArray();
            var itl = ok.SelectMany(x => x.InterTokenMs).ToArray();
            output.WriteLine(F($"| {k} | {tokensOut / wall:0.00} | {tokensOut / wall / rawDecode:0.00}× | {Percentiles.Of(ok.Select(DecodeRate), 50):0.00} | {Percentiles.Of(ttft, 50):0} ms | {Percentiles.Of(ttft, 95):0} ms | {ttft.DefaultIfEmpty().Max():0} ms | {Percentiles.Of(itl, 50):0.0} ms | {Percentiles.Of(itl, 95):0.0} ms | {samples.Length - ok.Length} |"));
        }
        output.WriteLine();

        // 4. A shared ~N-token system prompt: the second request should reuse the first one's KV cache.
        var system = await SystemPromptAsync(served, s.Model, s.PrefixTokens, ct);
        var first = await client.ChatAsync(s.Model, system, "What is the first rule?", 8, 1, ct);
        var second = await client.ChatAsync(s.Model, system, "And the second one?", 8, 2, ct);
        output.WriteLine(F($"| shared {s.PrefixTokens}-token system prompt | TTFT |"));
        output.WriteLine("| --- | ---: |");
        output.WriteLine(F($"| first request | {first.TimeToFirstTokenMs:0.0} ms |"));
        output.WriteLine(F($"| second request | {second.TimeToFirstTokenMs:0.0} ms |"));
        output.WriteLine(F($"| **speed-up** | **{first.TimeToFirstTokenMs / Math.Max(0.001, second.TimeToFirstTokenMs):0.0}×** |"));
        output.WriteLine();

        // 5. Soak: many connections at once; every one must get a result or a 429/503, and memory must settle.
        if (s.SoakConnections > 0)
        {
            var before = ResidentBytes();
            var rounds = new List<string>();
            for (var round = 0; round < 2; round++)
            {
                var results = await Task.WhenAll(Enumerable.Range(0, s.SoakConnections).Select(i => client.ChatAsync(s.Model, null, Question(i), 4, i, ct)));
                var byStatus = results.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}");
                rounds.Add(string.Join(", ", byStatus));
            }
            var after = ResidentBytes();
            output.WriteLine(F($"| soak: {s.SoakConnections} concurrent connections | result |"));
            output.WriteLine("| --- | --- |");
            output.WriteLine(F($"| round 1 statuses | {rounds[0]} |"));
            output.WriteLine(F($"| round 2 statuses | {rounds[1]} |"));
            output.WriteLine(F($"| RSS before → after both rounds | {before / 1048576.0:0} MB → {after / 1048576.0:0} MB |"));
            output.WriteLine(F($"| server still healthy | {(await http.GetAsync("/health", ct)).IsSuccessStatusCode} |"));
        }
    }

    private static async Task<double> LibraryTtftAsync(Hearth.Inference.Runtime.LoadedModel model, string question,
        Hearth.Inference.Sampling.SamplingOptions sampling, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        await foreach (var chunk in model.GenerateStreamAsync(Prompt.Chat([ChatMessage.User(question)]), sampling, ct))
            if (chunk.Text.Length > 0)
                return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static async Task<double> LibraryDecodeAsync(Hearth.Inference.Runtime.LoadedModel model, string question,
        Hearth.Inference.Sampling.SamplingOptions sampling, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        double? first = null;
        await foreach (var chunk in model.GenerateStreamAsync(Prompt.Chat([ChatMessage.User(question)]), sampling, ct))
        {
            var now = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (chunk.Text.Length > 0)
                first ??= now;
            if (chunk.Result is { } result && first is { } f && now > f)
                return (result.Stats.CompletionTokens - 1) / ((now - f) / 1000);
        }
        return 0;
    }

    /// <summary>A client's decode speed: tokens after the first over the time after the first.</summary>
    private static double DecodeRate(StreamSample x) =>
        x.CompletionTokens > 1 && x.TotalMs > x.TimeToFirstTokenMs ? (x.CompletionTokens - 1) / ((x.TotalMs - x.TimeToFirstTokenMs) / 1000) : 0;

    private static string Question(int i) => $"Request {i:D5}: write a few sentences about the sea, the wind and the old lighthouse.";

    /// <summary>A system prompt of about <paramref name="tokens"/> tokens of this model's tokenizer.</summary>
    private static async Task<string> SystemPromptAsync(ServedModels served, string model, int tokens, CancellationToken ct)
    {
        using var lease = await served.AcquireAsync(model, cancellationToken: ct);
        var words = "the rules of the house are simple and old and every guest who comes in from the cold reads them twice".Split(' ');
        var text = new System.Text.StringBuilder("You are a careful assistant. ");
        var i = 0;
        while (lease.Model.Tokenize(text.ToString()).Length < tokens)
            text.Append(words[i++ % words.Length]).Append(i % 17 == 0 ? ". " : " ");
        return text.ToString();
    }

    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
