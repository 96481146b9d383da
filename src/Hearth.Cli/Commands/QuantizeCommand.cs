using System.CommandLine;
using Hearth.Cli.Rendering;
using Hearth.Inference.Quantization;
using Hearth.Inference.Store;
using Hearth.Models.Naming;

namespace Hearth.Cli.Commands;

/// <summary><c>hearth quantize NAME --to q4_k_m</c>: a smaller copy of a model through llama.cpp's quantizer.</summary>
public static class QuantizeCommand
{
    public static Command Create(CliEnvironment env)
    {
        var name = new Argument<string>("NAME") { Description = "Model to quantize" };
        var to = new Option<string>("--to") { Description = $"Target type: {string.Join(", ", QuantizationTypes.Names)}", Required = true };
        var output = new Option<string?>("--name", "-n") { Description = "Name of the result (default NAME:TYPE)" };
        var command = new Command("quantize", "Quantize a model into a new model in the store") { name, to, output };
        HearthCli.SetAction(command, env, async (parse, ct) =>
        {
            var source = ModelName.Parse(parse.GetValue(name)!);
            // Unknown types fail here, before any work, listing the valid ones.
            var type = QuantizationTypes.Normalize(parse.GetValue(to)!);
            var destination = parse.GetValue(output) is { } n ? ModelName.Parse(n) : StoreQuantizer.DefaultName(source, type);
            var store = StoreAccess.Open(env);
            store.Get(source);
            var manifest = await ProgressDisplay.RunAsync(env, $"quantizing {source} to {type}", bytes: false, progress =>
                StoreQuantizer.QuantizeAsync(store, source, destination, type, new Relay(f => progress.Report((f, 1, null))), ct));
            var before = store.Get(source).Model.Size;
            Output.Result(env, parse, new { name = manifest.Name.ToString(), type, size = manifest.Model.Size, source_size = before },
                $"quantized {source} → {manifest.Name} ({Format.Bytes(before)} → {Format.Bytes(manifest.Model.Size)})");
            return 0;
        });
        return command;
    }

    private sealed class Relay(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
