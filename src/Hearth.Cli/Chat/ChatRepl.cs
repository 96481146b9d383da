using System.Text;
using Hearth.Inference.Generation;
using Hearth.Inference.Runtime;
using Hearth.Inference.Store;

namespace Hearth.Cli.Chat;

/// <summary>
/// The interactive chat of <c>hearth run</c>, with Ollama's commands: <c>/bye</c>, <c>/clear</c>,
/// <c>/set parameter NAME VALUE</c> (or <c>/set NAME VALUE</c>), <c>/set system …</c>, <c>/show</c>, <c>/?</c>;
/// <c>"""</c> opens and closes a multi-line message. Ctrl-D (end of input) leaves too.
/// </summary>
internal sealed class ChatRepl(CliEnvironment env, ChatSession session)
{
    private const string Help = """
        Available commands:
          /set parameter NAME VALUE   set a parameter (temperature, top_k, top_p, min_p, repeat_penalty, seed, num_predict, stop)
          /set NAME VALUE             the same, shorter
          /set system TEXT            set the system prompt
          /set verbose | quiet        show or hide token counts and speeds
          /show                       show the model and the parameters in force
          /clear                      forget the conversation so far
          /bye                        leave (Ctrl-D too)
          /?                          this help

        Use \"\"\" to begin and end a multi-line message.
        """;

    public async Task RunAsync(CancellationToken ct)
    {
        env.Out.WriteLine($"Chatting with {session.Name} ({session.Lease.Model.Template.Name} template). Type /? for help, /bye to leave.");
        if (session.Lease.Model.Template.FallbackReason is { } why)
            env.Error.WriteLine($"note: {why}");
        while (!ct.IsCancellationRequested)
        {
            env.Out.Write(">>> ");
            env.Out.Flush();
            var input = await ReadMessageAsync(ct);
            if (input is null)
            {
                env.Out.WriteLine();
                return;
            }
            if (input.Trim().Length == 0)
                continue;
            if (input.StartsWith('/') && !HandleCommand(input.Trim()))
                return;
            if (input.StartsWith('/'))
                continue;

            session.AddUser(input);
            // Ctrl-C during the reply stops the reply; the chat goes on.
            using var reply = env.Interrupts.BeginScope(ct);
            var result = await session.ReplyAsync(piece =>
            {
                env.Out.Write(piece);
                env.Out.Flush();
            }, reply.Token, Truncation.DropOldestMessages);
            env.Out.WriteLine();
            if (reply.Interrupted && !ct.IsCancellationRequested)
                env.Error.WriteLine("(stopped)");
            env.Out.WriteLine();
            if (result.Stats.DroppedMessages > 0)
                env.Error.WriteLine($"note: dropped the {result.Stats.DroppedMessages} oldest message(s) to fit the {session.Lease.Model.ContextSize}-token context");
            if (result.FinishReason == FinishReason.Length)
                env.Error.WriteLine("note: the reply was cut at the token limit (num_predict or the context size)");
            if (session.Verbose)
                WriteStats(env, result);
        }
    }

    /// <summary>One message: a line, or everything between two <c>"""</c> markers. Null at end of input.</summary>
    private async Task<string?> ReadMessageAsync(CancellationToken ct)
    {
        var line = await ReadLineAsync(ct);
        if (line is null || !line.TrimStart().StartsWith("\"\"\"", StringComparison.Ordinal))
            return line;
        var text = new StringBuilder(line.TrimStart()[3..]);
        if (text.ToString().EndsWith("\"\"\"", StringComparison.Ordinal))
            return text.ToString()[..^3];
        while (await ReadLineAsync(ct) is { } next)
        {
            if (next.TrimEnd().EndsWith("\"\"\"", StringComparison.Ordinal))
            {
                text.Append('\n').Append(next.TrimEnd()[..^3]);
                return text.ToString().Trim('\n');
            }
            text.Append('\n').Append(next);
        }
        return text.ToString();
    }

    /// <summary>
    /// Console reads block and ignore cancellation, so the read runs on the pool and the wait is what gets cancelled:
    /// Ctrl-C at the prompt then ends the chat at once instead of waiting for Enter.
    /// </summary>
    private Task<string?> ReadLineAsync(CancellationToken ct) => Task.Run(env.In.ReadLine, CancellationToken.None).WaitAsync(ct);

    /// <summary>Runs a slash command; false means leave the chat.</summary>
    private bool HandleCommand(string command)
    {
        var parts = command.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        switch (parts[0])
        {
            case "/bye" or "/exit":
                return false;
            case "/clear":
                session.Clear();
                env.Out.WriteLine("Cleared session context");
                return true;
            case "/?" or "/help":
                env.Out.WriteLine(Help);
                return true;
            case "/show":
                Show();
                return true;
            case "/set" when parts.Length >= 2:
                Set(parts);
                return true;
            default:
                env.Out.WriteLine($"Unknown command '{parts[0]}'. Type /? for help");
                return true;
        }
    }

    private void Set(string[] parts)
    {
        switch (parts[1])
        {
            case "verbose":
                session.Verbose = true;
                env.Out.WriteLine("Set 'verbose' mode.");
                return;
            case "quiet":
                session.Verbose = false;
                env.Out.WriteLine("Set 'quiet' mode.");
                return;
            case "system":
                session.System = parts.Length > 2 ? parts[2] : null;
                env.Out.WriteLine("Set system message.");
                return;
        }
        // "/set parameter NAME VALUE" or "/set NAME VALUE"
        var rest = parts[1] == "parameter" && parts.Length > 2 ? parts[2].Split(' ', 2, StringSplitOptions.TrimEntries) : parts.Skip(1).ToArray();
        if (rest.Length < 2)
        {
            env.Out.WriteLine("Usage: /set parameter NAME VALUE");
            return;
        }
        try
        {
            var (sampling, _) = ModelParameters.Set(rest[0], rest[1], session.Sampling, session.Lease.Model.Options);
            if (rest[0] is "num_ctx" or "num_thread" or "num_batch")
                throw new ArgumentException($"'{rest[0]}' applies when the model loads; pass it to 'hearth run' instead (e.g. --ctx)");
            sampling.Validate();
            session.Sampling = sampling;
            env.Out.WriteLine($"Set parameter '{rest[0]}' to '{rest[1]}'");
        }
        catch (ArgumentException ex)
        {
            env.Out.WriteLine($"Error: {ex.Message}");
        }
    }

    private void Show()
    {
        var s = session.Sampling;
        var m = session.Lease.Model;
        env.Out.WriteLine($"model        {session.Name} ({m.Description})");
        env.Out.WriteLine($"template     {m.Template.Name}");
        env.Out.WriteLine($"num_ctx      {m.ContextSize}");
        env.Out.WriteLine($"temperature  {s.Temperature}");
        env.Out.WriteLine($"top_k        {s.TopK}");
        env.Out.WriteLine($"top_p        {s.TopP}");
        env.Out.WriteLine($"min_p        {s.MinP}");
        env.Out.WriteLine($"repeat_penalty {s.RepeatPenalty}");
        env.Out.WriteLine($"seed         {(s.Seed is { } seed ? seed.ToString(System.Globalization.CultureInfo.InvariantCulture) : "random")}");
        env.Out.WriteLine($"num_predict  {s.MaxTokens}");
        if (s.Stop.Count > 0)
            env.Out.WriteLine($"stop         {string.Join(", ", s.Stop.Select(x => $"\"{x}\""))}");
        if (session.System is { } sys)
            env.Out.WriteLine($"system       {sys}");
    }

    /// <summary>Ollama's <c>--verbose</c> block, on stderr.</summary>
    public static void WriteStats(CliEnvironment env, GenerationResult result)
    {
        var s = result.Stats;
        env.Error.WriteLine($"total duration:       {s.TotalDuration.TotalMilliseconds:0.0} ms");
        env.Error.WriteLine($"time to first token:  {s.TimeToFirstToken.TotalMilliseconds:0.0} ms");
        env.Error.WriteLine($"prompt eval count:    {s.PromptTokens} token(s)");
        env.Error.WriteLine($"prompt eval rate:     {s.PromptTokensPerSecond:0.00} tokens/s");
        env.Error.WriteLine($"eval count:           {s.CompletionTokens} token(s)");
        env.Error.WriteLine($"eval rate:            {s.CompletionTokensPerSecond:0.00} tokens/s");
        env.Error.WriteLine($"finish reason:        {result.FinishReason.ToString().ToLowerInvariant()}");
    }
}
