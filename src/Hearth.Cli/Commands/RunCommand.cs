using System.CommandLine;
using Hearth.Cli.Chat;
using Hearth.Cli.Rendering;
using Hearth.Inference.Chat;
using Hearth.Inference.Generation;
using Hearth.Inference.Pool;
using Hearth.Inference.Runtime;
using Hearth.Inference.Sampling;
using Hearth.Inference.Store;
using Hearth.Models.Naming;
using Hearth.Models.Pull;

namespace Hearth.Cli.Commands;

/// <summary>
/// <c>hearth run MODEL [PROMPT]</c>: one reply to a prompt (from the arguments and/or piped stdin), or an interactive
/// chat when neither is given. A Hugging Face reference is pulled first, as <c>ollama run hf.co/…</c> does.
/// </summary>
public static class RunCommand
{
    public static Command Create(CliEnvironment env)
    {
        var model = new Argument<string>("MODEL") { Description = "Model name, or hf.co/OWNER/REPO[:QUANT] / hf:OWNER/REPO/FILE.gguf" };
        var prompt = new Argument<string[]>("PROMPT") { Description = "Prompt (omit for an interactive chat)", Arity = ArgumentArity.ZeroOrMore };
        var options = new RunOptions();
        var command = new Command("run", "Run a model: answer a prompt, or chat interactively") { model, prompt };
        options.AddTo(command);
        HearthCli.SetAction(command, env, async (parse, ct) =>
        {
            var text = await ReadPromptAsync(env, parse.GetValue(prompt) ?? []);
            using var pool = new ModelPool(new ModelPoolOptions { KeepAlive = TimeSpan.Zero });
            using var session = await OpenAsync(env, pool, parse.GetValue(model)!, options, parse, ct);
            if (text is null)
            {
                await new ChatRepl(env, session).RunAsync(ct);
                return 0;
            }
            await OneShotAsync(env, session, text, Output.IsJson(parse), parse.GetValue(options.Verbose), ct);
            return 0;
        });
        return command;
    }

    /// <summary>Resolves the reference (pulling if needed), applies manifest defaults then command-line options, and loads the model.</summary>
    internal static async Task<ChatSession> OpenAsync(CliEnvironment env, ModelPool pool, string reference, RunOptions options,
        ParseResult parse, CancellationToken ct)
    {
        var store = StoreAccess.Open(env);
        var parsed = ModelReference.Parse(reference);
        ModelName name;
        if (parsed is HuggingFaceRepoReference or HuggingFaceFileReference)
        {
            using var http = StoreAccess.CreateHttpClient();
            var resolver = new ModelResolver(store, StoreAccess.Puller(env, store, http));
            name = await ProgressDisplay.RunAsync(env, $"pulling {parsed.Text}", bytes: true,
                progress => resolver.ResolveAsync(parsed, StoreProgressAdapter.FromPull(progress), ct));
        }
        else
        {
            name = await new ModelResolver(store).ResolveAsync(parsed, null, ct);
        }

        var stored = StoredModel.From(store, name);
        var (sampling, load) = options.Apply(parse, stored.Sampling, stored.LoadOptions);
        sampling.Validate();
        // A progress bar while the weights load, on a terminal only: scripts get a clean stderr.
        var lease = env.OutputRedirected
            ? await pool.AcquireAsync(stored.Path, load, cancellationToken: ct)
            : await ProgressDisplay.RunAsync(env, $"loading {name}", bytes: false, progress =>
                pool.AcquireAsync(stored.Path, load, progress: new FractionRelay(f => progress.Report((f, 1, null))), cancellationToken: ct));
        var system = parse.GetValue(options.System) ?? stored.Manifest.System;
        return new ChatSession(name, lease, sampling, system, parse.GetValue(options.Verbose), options.TruncationFrom(parse));
    }

    private sealed class FractionRelay(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }

    private static async Task<string?> ReadPromptAsync(CliEnvironment env, string[] words)
    {
        // As ollama run does: piped input first, then the words on the command line.
        var parts = new List<string>();
        if (env.InputRedirected)
        {
            var piped = await env.In.ReadToEndAsync();
            if (!string.IsNullOrWhiteSpace(piped))
                parts.Add(piped.TrimEnd());
        }
        if (words.Length > 0)
            parts.Add(string.Join(' ', words));
        return parts.Count == 0 ? (env.InputRedirected ? throw new CliException("no prompt: stdin was empty and no PROMPT was given") : null)
            : string.Join(' ', parts);
    }

    private static async Task OneShotAsync(CliEnvironment env, ChatSession session, string prompt, bool json, bool verbose, CancellationToken ct)
    {
        session.AddUser(prompt);
        if (json)
        {
            var result = await session.ReplyAsync(_ => { }, ct);
            Output.WriteJson(env, new
            {
                model = session.Name.ToString(),
                response = result.Text,
                done_reason = result.FinishReason,
                prompt_eval_count = result.Stats.PromptTokens,
                eval_count = result.Stats.CompletionTokens,
                prompt_eval_duration_ms = result.Stats.PromptEvalDuration.TotalMilliseconds,
                eval_duration_ms = result.Stats.EvalDuration.TotalMilliseconds,
                seed = result.Stats.Seed,
                template = result.Template?.Name,
            });
            return;
        }
        var reply = await session.ReplyAsync(piece =>
        {
            env.Out.Write(piece);
            env.Out.Flush();
        }, ct);
        env.Out.WriteLine();
        if (verbose)
            ChatRepl.WriteStats(env, reply);
    }
}
