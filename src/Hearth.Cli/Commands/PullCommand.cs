using System.CommandLine;
using Hearth.Cli.Rendering;
using Hearth.Models.Naming;

namespace Hearth.Cli.Commands;

/// <summary><c>hearth pull hf.co/OWNER/REPO:QUANT</c> or <c>hf:OWNER/REPO/FILE.gguf</c>: resumable, sha256-verified download.</summary>
public static class PullCommand
{
    public static Command Create(CliEnvironment env)
    {
        var reference = new Argument<string>("MODEL") { Description = "hf.co/OWNER/REPO[:QUANT] or hf:OWNER/REPO/FILE.gguf" };
        var name = new Option<string?>("--name", "-n") { Description = "Name in the store (default: derived from the reference)" };
        var command = new Command("pull", "Download a GGUF model from Hugging Face (resumes interrupted downloads)") { reference, name };
        HearthCli.SetAction(command, env, async (parse, ct) =>
        {
            var parsed = ModelReference.Parse(parse.GetValue(reference)!);
            if (parsed is not (HuggingFaceRepoReference or HuggingFaceFileReference))
                throw new CliException($"'{parsed.Text}' is not a Hugging Face reference; pull takes 'hf.co/OWNER/REPO[:QUANT]' or 'hf:OWNER/REPO/FILE.gguf'");
            var target = parse.GetValue(name) is { } n ? ModelName.Parse(n) : null;
            var store = StoreAccess.Open(env);
            using var http = StoreAccess.CreateHttpClient();
            var puller = StoreAccess.Puller(env, store, http);
            var manifest = await ProgressDisplay.RunAsync(env, $"pulling {parsed.Text}", bytes: true, progress =>
                puller.PullAsync(parsed, target, StoreProgressAdapter.FromPull(progress), ct));
            Output.Result(env, parse, new { name = manifest.Name.ToString(), digest = manifest.Model.Digest, size = manifest.Model.Size, license = manifest.License },
                $"pulled {manifest.Name} ({Format.Bytes(manifest.Model.Size)}, verified {manifest.Model.Digest[..19]}){(manifest.License is { } l ? $", licence: {l}" : "")}");
            return 0;
        });
        return command;
    }
}
