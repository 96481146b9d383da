using System.CommandLine;
using Hearth.Cli.Rendering;
using Hearth.Models.Naming;

namespace Hearth.Cli.Commands;

/// <summary><c>hearth rm NAME...</c>: deletes manifests, then every blob no other model uses.</summary>
public static class RemoveCommand
{
    public static Command Create(CliEnvironment env)
    {
        var names = new Argument<string[]>("NAME") { Description = "Models to remove", Arity = ArgumentArity.OneOrMore };
        var command = new Command("rm", "Remove models from the store") { names };
        HearthCli.SetAction(command, env, async (parse, ct) =>
        {
            var store = StoreAccess.Open(env);
            // Parse and check every name first, so a typo in the third name does not leave the first two half-done.
            var parsed = parse.GetValue(names)!.Select(ModelName.Parse).ToList();
            foreach (var n in parsed)
                store.Get(n);
            var removed = new List<object>();
            foreach (var n in parsed)
            {
                var gc = await store.RemoveAsync(n, ct);
                removed.Add(new { name = n.ToString(), freed_bytes = gc.FreedBytes });
                if (!Output.IsJson(parse))
                    env.Out.WriteLine($"deleted '{n}'{(gc.FreedBytes > 0 ? $" (freed {Format.Bytes(gc.FreedBytes)})" : "")}");
            }
            if (Output.IsJson(parse))
                Output.WriteJson(env, new { removed });
            return 0;
        });
        return command;
    }
}
