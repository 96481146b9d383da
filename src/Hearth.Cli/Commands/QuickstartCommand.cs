using System.CommandLine;
using Hearth.Cli.Chat;
using Hearth.Cli.Rendering;
using Hearth.Inference.Pool;
using Hearth.Models.Quickstart;

namespace Hearth.Cli.Commands;

/// <summary>
/// <c>hearth quickstart</c>: the README's main command. Gets a small chat model (pulled online, created locally and
/// plainly untrained offline), then opens the chat. Running it again reuses the model.
/// </summary>
public static class QuickstartCommand
{
    public static Command Create(CliEnvironment env)
    {
        var offline = new Option<bool>("--offline") { Description = "Do not try the network: create a local (untrained) model" };
        var noChat = new Option<bool>("--no-chat") { Description = "Get the model but do not open the chat" };
        var options = new RunOptions();
        var command = new Command("quickstart", "Get a small chat model and start chatting (works offline)") { offline, noChat };
        options.AddTo(command);
        HearthCli.SetAction(command, env, async (parse, ct) =>
        {
            var store = StoreAccess.Open(env);
            using var http = StoreAccess.CreateHttpClient();
            var quickstart = new QuickstartModel(store, StoreAccess.Puller(env, store, http));
            var result = await ProgressDisplay.RunAsync(env, "getting the quickstart model", bytes: true, progress =>
                quickstart.EnsureAsync(parse.GetValue(offline), StoreProgressAdapter.FromPull(progress), StoreProgressAdapter.From(progress), ct));
            env.Error.WriteLine(Describe(result));

            if (parse.GetValue(noChat))
            {
                env.Out.WriteLine($"ready: hearth run {result.Name.ShortText}");
                return 0;
            }
            var piped = env.InputRedirected ? (await env.In.ReadToEndAsync(ct)).Trim() : null;
            using var pool = new ModelPool(new ModelPoolOptions { KeepAlive = TimeSpan.Zero });
            using var session = await RunCommand.OpenAsync(env, pool, result.Name.ToString(), options, parse, ct);
            if (piped is null)
            {
                await new ChatRepl(env, session).RunAsync(ct);
                return 0;
            }
            if (piped.Length == 0)
                throw new CliException("no prompt: stdin was empty (pipe a question in, or run quickstart in a terminal to chat)");
            session.AddUser(piped);
            await session.ReplyAsync(piece =>
            {
                env.Out.Write(piece);
                env.Out.Flush();
            }, ct);
            env.Out.WriteLine();
            return 0;
        });
        return command;
    }

    private static string Describe(QuickstartResult r) => r.Origin switch
    {
        QuickstartOrigin.Pulled => $"pulled {r.Name} — {r.Description}, licence {r.License ?? "see the model card"}",
        QuickstartOrigin.CreatedOffline =>
            $"offline: Hugging Face cannot be reached, so Hearth created {r.Name} — {r.Description}.\n" +
            "It is UNTRAINED: its replies are random text. It shows the whole path (store → llama.cpp → chat) working.\n" +
            $"Online, quickstart pulls {QuickstartModel.OnlineReference} (licence {QuickstartModel.OnlineLicense}) instead.",
        _ => $"using {r.Name} — {r.Description}{(r.Untrained ? ", untrained (random weights)" : "")} (already in the store)",
    };
}
