using System.CommandLine;
using Hearth.Cli.Rendering;
using Spectre.Console;

namespace Hearth.Cli.Commands;

/// <summary><c>hearth list</c> (alias <c>ls</c>): the models in the store, newest first, as <c>ollama list</c> shows them.</summary>
public static class ListCommand
{
    public static Command Create(CliEnvironment env)
    {
        var command = new Command("list", "List the models in the store");
        command.Aliases.Add("ls");
        HearthCli.SetAction(command, env, (parse, _) =>
        {
            var entries = StoreAccess.Open(env).List().OrderByDescending(e => e.Modified).ToList();
            if (Output.IsJson(parse))
            {
                Output.WriteJson(env, new
                {
                    models = entries.Select(e => new { name = e.Name.ToString(), digest = e.Digest, size = e.Size, modified_at = e.Modified, problem = e.Problem }),
                });
                return Task.FromResult(0);
            }
            var table = new Table().Border(TableBorder.None).AddColumns("NAME", "ID", "SIZE", "MODIFIED");
            table.Columns[0].PadLeft(0);
            var now = DateTimeOffset.UtcNow;
            foreach (var e in entries)
            {
                table.AddRow(
                    Markup.Escape(e.Name.ToString()),
                    e.Problem is null ? Markup.Escape(ShortId(e.Digest)) : "[red]damaged[/]",
                    e.Problem is null ? Format.Bytes(e.Size) : Markup.Escape(e.Problem),
                    Format.Ago(e.Modified, now));
            }
            env.Console.Write(table);
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>The first 12 hex digits, like Ollama's ID column.</summary>
    public static string ShortId(string digest)
    {
        var hex = digest.StartsWith("sha256:", StringComparison.Ordinal) ? digest[7..] : digest;
        return hex.Length > 12 ? hex[..12] : hex;
    }
}
