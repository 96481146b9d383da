using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Hearth.Models.Naming;

/// <summary>
/// What a user can name a model by: a store name (<c>name:tag</c>), a GGUF file in a Hugging Face repo
/// (<c>hf:OWNER/REPO/path/FILE.gguf[@revision]</c>), Ollama's Hugging Face form (<c>hf.co/OWNER/REPO[:QUANT]</c>,
/// also <c>huggingface.co/…</c>), or a registry alias (<c>models:/NAME@ALIAS</c>).
/// </summary>
public abstract partial record ModelReference
{
    public const string DefaultRevision = "main";

    private const string FormsText =
        "use 'name[:tag]', 'hf:OWNER/REPO/FILE.gguf[@revision]', 'hf.co/OWNER/REPO[:QUANT]' or 'models:/NAME@ALIAS'";

    /// <summary>The text this reference was parsed from.</summary>
    public required string Text { get; init; }

    public static ModelReference Parse(string text) =>
        TryParse(text, out var reference, out var error) ? reference : throw new InvalidModelNameException(text ?? "", error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out ModelReference? reference, out string error)
    {
        reference = null;
        error = "";
        if (string.IsNullOrEmpty(text))
        {
            error = $"model reference is empty; {FormsText}";
            return false;
        }
        if (text.StartsWith("hf:", StringComparison.OrdinalIgnoreCase))
            return HuggingFaceFileReference.TryParseBody(text, text[3..], out reference, out error);
        foreach (var host in (ReadOnlySpan<string>)["hf.co/", "huggingface.co/"])
            if (text.StartsWith(host, StringComparison.OrdinalIgnoreCase))
                return HuggingFaceRepoReference.TryParseBody(text, text[host.Length..], out reference, out error);
        if (text.StartsWith("models:/", StringComparison.OrdinalIgnoreCase))
            return RegistryReference.TryParseBody(text, text["models:/".Length..], out reference, out error);
        if (text.Contains("://", StringComparison.Ordinal) || (text.Contains(':') && text.IndexOf(':') < text.IndexOf('/')))
        {
            error = $"unknown model reference '{ModelName.Quote(text)}'; {FormsText}";
            return false;
        }
        if (!ModelName.TryParse(text, out var name, out error))
            return false;
        reference = new StoreModelReference(name) { Text = text };
        return true;
    }

    // Hugging Face repo ids: letters, digits, '-', '_', '.'; no leading/trailing '-' or '.', no '--' or '..', at most 96.
    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9_])?$", RegexOptions.CultureInvariant)]
    private static partial Regex RepoPartPattern();

    internal static string? CheckRepoPart(string part, string what) =>
        part.Length == 0 ? $"the {what} is empty"
        : !RepoPartPattern().IsMatch(part) || part.Contains("..") || part.Contains("--")
            ? $"the {what} '{ModelName.Quote(part)}' is not a valid Hugging Face name (letters, digits, '-', '_', '.'; at most 96)"
            : null;

    internal static string? CheckRevision(string revision) =>
        revision.Length is 0 or > 255 || revision.Contains("..") || revision.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '\\' or '?' or '#' or '%')
            ? $"the revision '{ModelName.Quote(revision)}' is not a valid branch, tag or commit"
            : null;
}

/// <summary>A model already in (or to be looked up in) the local store.</summary>
public sealed record StoreModelReference(ModelName Name) : ModelReference;

/// <summary>
/// A registry alias (<c>models:/NAME@ALIAS</c>, MLflow's form). The registry does not exist yet; resolving one fails
/// with a clear error rather than guessing.
/// </summary>
public sealed record RegistryReference(string Name, string Alias) : ModelReference
{
    internal static bool TryParseBody(string text, string body, out ModelReference? reference, out string error)
    {
        reference = null;
        var at = body.IndexOf('@');
        var name = at < 0 ? body : body[..at];
        var alias = at < 0 ? "" : body[(at + 1)..];
        if (name.Length == 0 || alias.Length == 0 || alias.Contains('@') || name.Contains('/'))
        {
            error = $"invalid registry reference '{ModelName.Quote(text)}'; registry references look like 'models:/NAME@ALIAS'";
            return false;
        }
        error = "";
        reference = new RegistryReference(name, alias) { Text = text };
        return true;
    }
}
