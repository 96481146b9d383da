using System.CommandLine;
using System.Net;
using Hearth.Models.Paths;
using Hearth.Server.Hosting;
using Microsoft.Extensions.Logging;

namespace Hearth.Cli.Commands;

/// <summary><c>hearth serve</c>: the OpenAI- and Ollama-compatible HTTP server, on 127.0.0.1:11435 unless told otherwise.</summary>
public static class ServeCommand
{
    public static Command Create(CliEnvironment env)
    {
        var host = new Option<string>("--host") { Description = "Address to bind (use 0.0.0.0 to accept other machines; set API keys then)", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port", DefaultValueFactory = _ => HearthServerOptions.DefaultPort };
        var apiKey = new Option<string[]>("--api-key") { Description = "Accepted API key (repeatable); clients send 'Authorization: Bearer KEY'" };
        var apiKeysFile = new Option<string?>("--api-keys-file") { Description = "File with one accepted API key per line" };
        var modelsDir = new Option<string?>("--models-dir") { Description = "Model store folder (default $HEARTH_MODELS or $HEARTH_HOME/models)" };
        var ctx = new Option<int>("--ctx") { Description = "Default context window of loaded models", DefaultValueFactory = _ => 2048 };
        var threads = new Option<int>("--threads") { Description = "CPU threads per model", DefaultValueFactory = _ => Environment.ProcessorCount };
        var parallel = new Option<int>("--parallel") { Description = "Requests decoded together per model", DefaultValueFactory = _ => 4 };
        var queue = new Option<int>("--max-queue") { Description = "Requests that may wait per model before 429", DefaultValueFactory = _ => 64 };
        var keepAlive = new Option<int>("--keep-alive") { Description = "Seconds an idle model stays loaded (0 = unload at once, -1 = forever)", DefaultValueFactory = _ => 300 };
        var maxBody = new Option<long>("--max-body") { Description = "Largest request body in bytes", DefaultValueFactory = _ => 8 * 1024 * 1024 };
        var command = new Command("serve", "Serve models over OpenAI- and Ollama-compatible HTTP APIs, with a web playground at /")
        {
            host, port, apiKey, apiKeysFile, modelsDir, ctx, threads, parallel, queue, keepAlive, maxBody,
        };
        HearthCli.SetAction(command, env, async (parse, ct) =>
        {
            if (!IPAddress.TryParse(parse.GetValue(host), out var address))
                throw new CliException($"--host '{parse.GetValue(host)}' is not an IP address (e.g. 127.0.0.1 or 0.0.0.0)");
            var keys = new HashSet<string>(parse.GetValue(apiKey) ?? [], StringComparer.Ordinal);
            if (parse.GetValue(apiKeysFile) is { } file)
            {
                if (!File.Exists(file))
                    throw new CliException($"API keys file '{file}' not found");
                foreach (var line in await File.ReadAllLinesAsync(file, ct))
                    if (line.Trim() is { Length: > 0 } key && !key.StartsWith('#'))
                        keys.Add(key);
            }
            var paths = env.Paths;
            if (parse.GetValue(modelsDir) is { } dir)
                paths = new HearthPaths(paths.Home, dir);
            var seconds = parse.GetValue(keepAlive);
            var options = new HearthServerOptions
            {
                Host = address.ToString(),
                Port = parse.GetValue(port),
                Paths = paths,
                ApiKeys = keys,
                ContextSize = parse.GetValue(ctx),
                Threads = parse.GetValue(threads),
                ParallelSequences = parse.GetValue(parallel),
                MaxQueuedRequests = parse.GetValue(queue),
                KeepAlive = seconds < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(seconds),
                MaxRequestBodyBytes = parse.GetValue(maxBody),
            };
            if (!IPAddress.IsLoopback(address) && keys.Count == 0)
                env.Error.WriteLine($"warning: listening on {address} without API keys: anyone who can reach this machine can use it (add --api-key)");
            await using var server = HearthServer.Create(options, logging => logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            }).SetMinimumLevel(LogLevel.Information).AddFilter("Microsoft", LogLevel.Warning));
            await server.StartAsync(ct);
            env.Error.WriteLine($"hearth serving {paths.ModelsDirectory} on {server.BaseAddress} (OpenAI: {server.BaseAddress}v1, Ollama: {server.BaseAddress}api, playground: {server.BaseAddress}); Ctrl-C stops");
            await server.RunUntilCancelledAsync(ct);
            return 0;
        });
        return command;
    }
}
