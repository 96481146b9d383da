using System.CommandLine;
using Hearth.Cli.Rendering;
using Hearth.Models.Info;
using Hearth.Models.Naming;
using Spectre.Console;

namespace Hearth.Cli.Commands;

/// <summary><c>hearth show NAME</c>: what a model is, read from its manifest and GGUF metadata only (fast on multi-GB files).</summary>
public static class ShowCommand
{
    public static Command Create(CliEnvironment env)
    {
        var name = new Argument<string>("NAME") { Description = "Model name (name[:tag])" };
        var license = new Option<bool>("--license") { Description = "Show only the licence" };
        var template = new Option<bool>("--template") { Description = "Show only the chat template" };
        var parameters = new Option<bool>("--parameters") { Description = "Show only the default parameters" };
        var system = new Option<bool>("--system") { Description = "Show only the system prompt" };
        var command = new Command("show", "Show information about a model") { name, license, template, parameters, system };
        HearthCli.SetAction(command, env, (parse, _) =>
        {
            var info = ModelInfo.Load(StoreAccess.Open(env), ModelName.Parse(parse.GetValue(name)!));
            if (Output.IsJson(parse))
                Output.WriteJson(env, ToJson(info));
            else if (parse.GetValue(license))
                env.Out.WriteLine(info.License ?? "(no licence recorded)");
            else if (parse.GetValue(template))
                env.Out.WriteLine(info.ChatTemplate ?? "(no chat template)");
            else if (parse.GetValue(system))
                env.Out.WriteLine(info.System ?? "(no system prompt)");
            else if (parse.GetValue(parameters))
                foreach (var (k, v) in info.Parameters)
                    env.Out.WriteLine($"{k,-20} {v}");
            else
                Render(env, info);
            return Task.FromResult(0);
        });
        return command;
    }

    private static object ToJson(ModelInfo i) => new
    {
        name = i.Name.ToString(),
        digest = i.Digest,
        size = i.Size,
        architecture = i.Architecture,
        parameters = i.ParameterCount,
        quantization = i.Quantization,
        context_length = i.ContextLength,
        embedding_length = i.EmbeddingLength,
        block_count = i.BlockCount,
        head_count = i.HeadCount,
        head_count_kv = i.HeadCountKv,
        chat_template = i.ChatTemplate,
        chat_template_origin = i.ChatTemplateOrigin,
        chat_template_family = i.ChatTemplateFamilyName,
        license = i.License,
        system = i.System,
        source = i.Source,
        gguf_version = i.GgufVersion,
        adapters = i.Adapters.Select(a => new { digest = a.Digest, size = a.Size, scale = a.Scale }),
        default_parameters = i.Parameters,
    };

    private static void Render(CliEnvironment env, ModelInfo i)
    {
        var model = new Grid().AddColumn().AddColumn();
        void Row(string key, object? value)
        {
            if (value is not null)
                model.AddRow(Markup.Escape(key), Markup.Escape(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? ""));
        }
        Row("architecture", i.Architecture);
        Row("parameters", $"{Format.Count(i.ParameterCount)} ({i.ParameterCount:N0})");
        Row("quantization", i.Quantization);
        Row("context length", i.ContextLength);
        Row("embedding length", i.EmbeddingLength);
        Row("layers", i.BlockCount);
        Row("attention heads", i.HeadCountKv is { } kv && kv != i.HeadCount ? $"{i.HeadCount} (kv {kv})" : i.HeadCount);
        Row("chat template", i.ChatTemplate is null ? "none" : $"{i.ChatTemplateFamilyName ?? "custom"} (from {i.ChatTemplateOrigin})");
        Row("licence", i.License ?? "not recorded");
        Row("size on disk", Format.Bytes(i.Size));
        Row("digest", i.Digest);
        Row("source", i.Source);
        Row("system prompt", i.System);
        if (i.Adapters.Count > 0)
            Row("adapters", string.Join(", ", i.Adapters.Select(a => $"{ListCommand.ShortId(a.Digest)} ×{a.Scale}")));
        foreach (var (k, v) in i.Parameters)
            Row($"parameter {k}", v.ToString());
        env.Console.Write(new Panel(model).Header(Markup.Escape(i.Name.ToString())).Border(BoxBorder.Rounded));
        env.Console.WriteLine();
    }
}
