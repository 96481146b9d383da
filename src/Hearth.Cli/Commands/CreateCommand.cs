using System.CommandLine;
using Hearth.Cli.Rendering;
using Hearth.Gguf;
using Hearth.Models.Factory;
using Hearth.Models.Naming;

namespace Hearth.Cli.Commands;

/// <summary><c>hearth create NAME --preset tiny</c>: a real llama GGUF with random weights, straight into the store.</summary>
public static class CreateCommand
{
    public static Command Create(CliEnvironment env)
    {
        var name = new Argument<string>("NAME") { Description = "Name for the new model (name[:tag])" };
        var arch = new Option<string>("--arch") { Description = "Architecture", DefaultValueFactory = _ => "llama" };
        var preset = new Option<string>("--preset") { Description = "Starting shape: tiny, small or tinyllama-1.1b", DefaultValueFactory = _ => "tiny" };
        var layers = new Option<int?>("--layers") { Description = "Transformer blocks" };
        var dim = new Option<int?>("--dim") { Description = "Embedding width" };
        var heads = new Option<int?>("--heads") { Description = "Attention heads" };
        var kvHeads = new Option<int?>("--kv-heads") { Description = "Key/value heads (grouped-query attention)" };
        var ffn = new Option<int?>("--ffn") { Description = "Feed-forward width" };
        var vocab = new Option<int?>("--vocab") { Description = $"Vocabulary size (at least {SpmVocabulary.MinimumSize})" };
        var ctx = new Option<int?>("--ctx") { Description = "Context length" };
        var seed = new Option<ulong>("--seed") { Description = "Random seed (same seed, same model)", DefaultValueFactory = _ => 0 };
        var type = new Option<string?>("--type") { Description = "Weight type: f32, f16 (default for small and larger) or bf16" };

        var command = new Command("create", "Create a model with random weights (untrained) in the store, for tests and benchmarks")
        {
            name, arch, preset, layers, dim, heads, kvHeads, ffn, vocab, ctx, seed, type,
        };
        HearthCli.SetAction(command, env, async (parse, ct) =>
        {
            var modelName = ModelName.Parse(parse.GetValue(name)!);
            var spec = ModelSpec.Preset(parse.GetValue(preset)!) with
            {
                Architecture = parse.GetValue(arch)!,
                Name = modelName.Model,
                Seed = parse.GetValue(seed),
            };
            spec = spec with
            {
                Layers = parse.GetValue(layers) ?? spec.Layers,
                Dim = parse.GetValue(dim) ?? spec.Dim,
                Heads = parse.GetValue(heads) ?? spec.Heads,
                KvHeads = parse.GetValue(kvHeads) ?? spec.KvHeads,
                FeedForward = parse.GetValue(ffn) ?? spec.FeedForward,
                Vocab = parse.GetValue(vocab) ?? spec.Vocab,
                Context = parse.GetValue(ctx) ?? spec.Context,
                WeightType = parse.GetValue(type) is { } t ? ParseWeightType(t) : spec.WeightType,
            };
            spec.Validate();
            var store = StoreAccess.Open(env);
            var manifest = await ProgressDisplay.RunAsync(env, $"creating {modelName}", bytes: false, progress =>
                ModelFactory.CreateInStoreAsync(store, spec, modelName, $"create:{parse.GetValue(preset)} seed={spec.Seed}",
                    StoreProgressAdapter.From(progress), ct));
            Output.Result(env, parse, new { name = modelName.ToString(), digest = manifest.Model.Digest, parameters = spec.ParameterCount, size = manifest.Model.Size },
                $"created {modelName} ({spec.ParameterCount:N0} parameters, {Format.Bytes(manifest.Model.Size)}, random weights — untrained)");
            return 0;
        });
        return command;
    }

    private static GgmlType ParseWeightType(string text) => text.ToLowerInvariant() switch
    {
        "f32" => GgmlType.F32,
        "f16" => GgmlType.F16,
        "bf16" => GgmlType.BF16,
        "q8_0" => GgmlType.Q8_0,
        _ => throw new CliException($"weight type '{text}' is not supported by create; use f32, f16, bf16 or q8_0 (then 'hearth quantize' for others)"),
    };
}
