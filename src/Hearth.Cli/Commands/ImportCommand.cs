using System.CommandLine;
using Hearth.Cli.Rendering;
using Hearth.Models.Naming;
using Hearth.Models.Store;

namespace Hearth.Cli.Commands;

/// <summary><c>hearth import FILE.gguf --name NAME</c>: copy a GGUF you already have into the store.</summary>
public static class ImportCommand
{
    public static Command Create(CliEnvironment env)
    {
        var file = new Argument<string>("FILE") { Description = "A .gguf file" };
        var name = new Option<string?>("--name", "-n") { Description = "Name in the store (name[:tag]); default: the file name" };
        var move = new Option<bool>("--move") { Description = "Move the file into the store instead of copying it" };
        var command = new Command("import", "Import a local GGUF file into the store") { file, name, move };
        HearthCli.SetAction(command, env, async (parse, ct) =>
        {
            var path = Path.GetFullPath(parse.GetValue(file)!);
            if (!File.Exists(path))
                throw new CliException($"file '{parse.GetValue(file)}' not found");
            var modelName = ModelName.Parse(parse.GetValue(name) ?? DefaultName(path));
            var store = StoreAccess.Open(env);
            var manifest = await ProgressDisplay.RunAsync(env, $"importing {modelName}", bytes: true, progress =>
                store.ImportAsync(path, modelName, new ImportOptions { MoveSource = parse.GetValue(move) }, StoreProgressAdapter.From(progress), ct));
            Output.Result(env, parse, new { name = manifest.Name.ToString(), digest = manifest.Model.Digest, size = manifest.Model.Size },
                $"imported {manifest.Name} ({Format.Bytes(manifest.Model.Size)}, {manifest.Model.Digest[..19]})");
            return 0;
        });
        return command;
    }

    /// <summary>"TinyLlama-1.1B-Q4_0.gguf" → "tinyllama-1.1b-q4_0": lower case, characters a name may not hold become '-'.</summary>
    private static string DefaultName(string path)
    {
        var stem = Path.GetFileNameWithoutExtension(path).ToLowerInvariant();
        var chars = stem.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-').ToArray();
        var text = new string(chars).Trim('-', '.', '_');
        return text.Length == 0 ? "imported" : text;
    }
}
