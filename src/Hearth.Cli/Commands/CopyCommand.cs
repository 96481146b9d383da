using System.CommandLine;
using Hearth.Cli.Rendering;
using Hearth.Models.Naming;

namespace Hearth.Cli.Commands;

/// <summary><c>hearth cp SOURCE DESTINATION</c>: a new name for the same blobs (no data copied).</summary>
public static class CopyCommand
{
    public static Command Create(CliEnvironment env)
    {
        var source = new Argument<string>("SOURCE") { Description = "Existing model" };
        var destination = new Argument<string>("DESTINATION") { Description = "New name" };
        var command = new Command("cp", "Copy a model to a new name") { source, destination };
        HearthCli.SetAction(command, env, async (parse, ct) =>
        {
            var from = ModelName.Parse(parse.GetValue(source)!);
            var to = ModelName.Parse(parse.GetValue(destination)!);
            var manifest = await StoreAccess.Open(env).CopyAsync(from, to, ct);
            Output.Result(env, parse, new { source = from.ToString(), destination = manifest.Name.ToString() }, $"copied '{from}' to '{manifest.Name}'");
            return 0;
        });
        return command;
    }
}
