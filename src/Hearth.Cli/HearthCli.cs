using System.CommandLine;
using Hearth.Cli.Commands;

namespace Hearth.Cli;

/// <summary>The <c>hearth</c> command tree. Parsing and rendering only: every verb calls a library.</summary>
public static class HearthCli
{
    /// <summary><c>--json</c> on any verb: machine-readable output on stdout, nothing else there.</summary>
    public static readonly Option<bool> Json = new("--json") { Description = "Print machine-readable JSON", Recursive = true };

    public static async Task<int> InvokeAsync(string[] args, CliEnvironment env, CancellationToken cancellationToken = default)
    {
        var root = Build(env);
        var parse = root.Parse(args);
        // Ctrl-C is ours (InterruptSource), not System.CommandLine's: it must be able to stop one chat reply only.
        var config = new InvocationConfiguration { Output = env.Out, Error = env.Error, ProcessTerminationTimeout = null };
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, env.Interrupts.CommandToken);
        return await parse.InvokeAsync(config, linked.Token).ConfigureAwait(false);
    }

    public static RootCommand Build(CliEnvironment env)
    {
        var root = new RootCommand(
            "Hearth: run, fine-tune and operate open models on your own machine.\n\n" +
            "Environment:\n  HEARTH_HOME         where Hearth keeps its files (default ~/.hearth)\n" +
            "  HEARTH_MODELS       the model store folder (default $HEARTH_HOME/models)\n" +
            "  HEARTH_HF_ENDPOINT  Hugging Face base URL for pull (default https://huggingface.co)\n" +
            "  HF_TOKEN            Hugging Face token for gated or private repositories\n" +
            "  HEARTH_DEBUG=1      show stack traces on errors");
        root.Add(Json);
        root.Add(QuickstartCommand.Create(env));
        root.Add(RunCommand.Create(env));
        root.Add(ServeCommand.Create(env));
        root.Add(CreateCommand.Create(env));
        root.Add(ImportCommand.Create(env));
        root.Add(PullCommand.Create(env));
        root.Add(ListCommand.Create(env));
        root.Add(ShowCommand.Create(env));
        root.Add(CopyCommand.Create(env));
        root.Add(RemoveCommand.Create(env));
        root.Add(QuantizeCommand.Create(env));
        root.Add(BenchCommand.Create(env));
        return root;
    }

    /// <summary>
    /// Gives a verb its action, turning every failure into one <c>Error: …</c> line on stderr and exit code 1
    /// (130 when cancelled) — never a stack dump unless <c>HEARTH_DEBUG=1</c>.
    /// </summary>
    public static void SetAction(Command command, CliEnvironment env, Func<ParseResult, CancellationToken, Task<int>> action)
    {
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                return await action(parse, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await env.Error.WriteLineAsync("cancelled").ConfigureAwait(false);
                return 130;
            }
            catch (Exception ex)
            {
                await env.Error.WriteLineAsync($"Error: {Describe(ex)}").ConfigureAwait(false);
                if (env.Debug)
                    await env.Error.WriteLineAsync(ex.ToString()).ConfigureAwait(false);
                return ex is CliException cli ? cli.ExitCode : 1;
            }
        });
    }

    private static string Describe(Exception ex)
    {
        // Aggregate/target-invocation wrappers add nothing for the user: show what is inside.
        while (ex is AggregateException { InnerExceptions.Count: 1 } or System.Reflection.TargetInvocationException && ex.InnerException is not null)
            ex = ex.InnerException!;
        // ArgumentException appends " (Parameter 'x')": a detail for developers, noise on a command line.
        return ex is ArgumentException { ParamName: { } p } && ex.Message.EndsWith($" (Parameter '{p}')", StringComparison.Ordinal)
            ? ex.Message[..^$" (Parameter '{p}')".Length]
            : ex.Message;
    }
}
