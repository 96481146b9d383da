namespace Hearth.Models.Naming;

/// <summary>
/// Ollama's Hugging Face form, <c>hf.co/OWNER/REPO[:QUANT]</c>: the GGUF in the repo whose file name carries
/// <see cref="Quantization"/> (default <see cref="DefaultQuantization"/>, or the repo's only GGUF when it has one).
/// </summary>
public sealed record HuggingFaceRepoReference(string Owner, string Repository, string? Quantization) : ModelReference
{
    /// <summary>Ollama's default when no quantization is named.</summary>
    public const string DefaultQuantization = "Q4_K_M";

    private const string Form = "'hf.co/OWNER/REPO' or 'hf.co/OWNER/REPO:QUANT' (e.g. Q4_K_M)";

    public string RepoId => $"{Owner}/{Repository}";

    public string Revision => DefaultRevision;

    /// <summary>The store name a pull gives it when the caller names none: <c>owner/repo:&lt;quant or latest&gt;</c>.</summary>
    public ModelName DefaultStoreName() =>
        ModelName.Create(Owner.ToLowerInvariant(), Repository.ToLowerInvariant(), Quantization?.ToLowerInvariant() ?? ModelName.DefaultTag);

    internal static bool TryParseBody(string text, string body, out ModelReference? reference, out string error)
    {
        reference = null;
        string? quant = null;
        var colon = body.IndexOf(':');
        if (colon >= 0)
        {
            quant = body[(colon + 1)..];
            body = body[..colon];
            if (quant.Equals(ModelName.DefaultTag, StringComparison.OrdinalIgnoreCase))
                quant = null; // Ollama treats ':latest' as "no quantization named"
            else if (quant.Length == 0 || quant.Length > 32 || !quant.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
                return Fail(text, $"'{ModelName.Quote(quant)}' is not a quantization label", out error);
            else
                quant = quant.ToUpperInvariant();
        }
        var parts = body.Split('/');
        if (parts.Length != 2)
            return Fail(text, "it needs exactly an owner and a repo", out error);
        if ((CheckRepoPart(parts[0], "owner") ?? CheckRepoPart(parts[1], "repo")) is { } badRepo)
            return Fail(text, badRepo, out error);
        error = "";
        reference = new HuggingFaceRepoReference(parts[0], parts[1], quant) { Text = text };
        return true;
    }

    private static bool Fail(string text, string problem, out string error)
    {
        error = $"invalid Hugging Face reference '{ModelName.Quote(text)}': {problem}; use {Form}";
        return false;
    }
}
