using System.CommandLine;
using Hearth.Bench;

// hearth-bench serve: concurrent streaming clients against an in-process `hearth serve`, next to the raw engine.
var home = new Option<string>("--home") { Description = "HEARTH_HOME holding the model", Required = true };
var model = new Option<string>("--model") { Description = "Model name in that store", Required = true };
var clients = new Option<string>("--clients") { Description = "Concurrency levels", DefaultValueFactory = _ => "1,4,8,16" };
var tokens = new Option<int>("--tokens") { Description = "Tokens generated per request", DefaultValueFactory = _ => 64 };
var parallel = new Option<int>("--parallel") { Description = "Server decode slots per model", DefaultValueFactory = _ => 8 };
var threads = new Option<int>("--threads") { Description = "CPU threads", DefaultValueFactory = _ => Environment.ProcessorCount };
var prefix = new Option<int>("--prefix-tokens") { Description = "Shared system prompt length for the prefix scenario", DefaultValueFactory = _ => 1000 };
var soak = new Option<int>("--soak") { Description = "Concurrent connections in the soak scenario (0 = skip)", DefaultValueFactory = _ => 200 };
var root = new RootCommand("Hearth serving benchmark") { home, model, clients, tokens, parallel, threads, prefix, soak };
root.SetAction(async (parse, ct) =>
{
    var settings = new ServeBenchmarkSettings(
        parse.GetValue(home)!, parse.GetValue(model)!,
        parse.GetValue(clients)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray(),
        parse.GetValue(tokens), parse.GetValue(parallel), parse.GetValue(threads), parse.GetValue(prefix), parse.GetValue(soak));
    await ServeBenchmark.RunAsync(settings, Console.Out, ct);
    return 0;
});
return await root.Parse(args).InvokeAsync();
