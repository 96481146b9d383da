using System.CommandLine;
using Hearth.Cli.Rendering;
using Hearth.Inference.Benchmarking;
using Hearth.Models.Naming;
using Spectre.Console;

namespace Hearth.Cli.Commands;

/// <summary>
/// <c>hearth bench NAME</c>: prefill and decode speed, time to first token and peak memory of Hearth's runtime path
/// against a raw <c>llama_decode</c> loop in the same process, same model and threads.
/// </summary>
public static class BenchCommand
{
    public static Command Create(CliEnvironment env)
    {
        var name = new Argument<string>("NAME") { Description = "Model in the store" };
        var threads = new Option<int>("--threads") { Description = "CPU threads", DefaultValueFactory = _ => Environment.ProcessorCount };
        var promptTokens = new Option<int>("--prompt-tokens") { Description = "Prompt length", DefaultValueFactory = _ => 128 };
        var generate = new Option<int>("--generate") { Description = "Tokens to generate", DefaultValueFactory = _ => 64 };
        var repetitions = new Option<int>("--repetitions") { Description = "Runs per path (median reported)", DefaultValueFactory = _ => 3 };
        var command = new Command("bench", "Benchmark the runtime against a raw llama.cpp decode loop") { name, threads, promptTokens, generate, repetitions };
        HearthCli.SetAction(command, env, async (parse, ct) =>
        {
            var model = ModelName.Parse(parse.GetValue(name)!);
            var path = StoreAccess.Open(env).GetModelPath(model);
            var options = new RuntimeBenchmarkOptions
            {
                Threads = parse.GetValue(threads),
                PromptTokens = parse.GetValue(promptTokens),
                GeneratedTokens = parse.GetValue(generate),
                Repetitions = parse.GetValue(repetitions),
            };
            options.Validate();
            var result = await RuntimeBenchmark.RunAsync(path, options, new Relay(line => env.Error.WriteLine(line)), ct);
            if (Output.IsJson(parse))
                Output.WriteJson(env, new
                {
                    model = model.ToString(),
                    description = result.ModelDescription,
                    threads = result.Threads,
                    prompt_tokens = result.PromptTokens,
                    generated_tokens = result.GeneratedTokens,
                    hearth = Path(result.Hearth),
                    raw = Path(result.Raw),
                    decode_ratio = result.DecodeRatio,
                    prefill_ratio = result.PrefillRatio,
                    peak_rss_bytes = result.PeakResidentBytes,
                });
            else
                Render(env, model, result);
            return 0;
        });
        return command;
    }

    private static object Path(BenchmarkPath p) => new
    {
        prefill_tokens_per_second = p.PrefillTokensPerSecond,
        decode_tokens_per_second = p.DecodeTokensPerSecond,
        time_to_first_token_ms = p.TimeToFirstToken.TotalMilliseconds,
        runs = p.Runs.Count,
    };

    private static void Render(CliEnvironment env, ModelName model, RuntimeBenchmarkResult r)
    {
        var table = new Table().Border(TableBorder.Markdown)
            .AddColumns("path", "prefill tok/s", "decode tok/s", "time to first token")
            .Title(Markup.Escape($"{model} — {r.ModelDescription}; {r.Threads} threads, {r.PromptTokens}-token prompt, {r.GeneratedTokens} generated"));
        foreach (var p in new[] { r.Hearth, r.Raw })
            table.AddRow(Markup.Escape(p.Name), $"{p.PrefillTokensPerSecond:0.0}", $"{p.DecodeTokensPerSecond:0.00}", $"{p.TimeToFirstToken.TotalMilliseconds:0.0} ms");
        table.AddRow("Hearth / raw", $"{r.PrefillRatio:0.000}×", $"{r.DecodeRatio:0.000}×", "");
        env.Console.Write(table);
        env.Console.WriteLine();
        env.Out.WriteLine($"peak RSS: {Format.Bytes(r.PeakResidentBytes)}");
    }

    private sealed class Relay(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
