namespace Hearth.Models.Naming;

/// <summary>One GGUF file in a Hugging Face repo: <c>hf:OWNER/REPO/path/FILE.gguf[@revision]</c>.</summary>
public sealed record HuggingFaceFileReference(string Owner, string Repository, string FilePath, string Revision) : ModelReference
{
    private const string Form = "'hf:OWNER/REPO/FILE.gguf' (optionally 'hf:OWNER/REPO/sub/dir/FILE.gguf@revision')";

    public string RepoId => $"{Owner}/{Repository}";

    /// <summary>The store name a pull gives it when the caller names none: <c>owner/repo:&lt;quant or file stem&gt;</c>.</summary>
    public ModelName DefaultStoreName()
    {
        var tag = QuantizationLabel.Find(FilePath)?.ToLowerInvariant() ?? SanitizeTag(Path.GetFileNameWithoutExtension(FilePath));
        return ModelName.Create(Owner.ToLowerInvariant(), Repository.ToLowerInvariant(), tag);
    }

    private static string SanitizeTag(string stem)
    {
        var chars = stem.ToLowerInvariant().Select(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-' or '.' ? c : '-').ToArray();
        var tag = new string(chars).Replace("..", ".").Trim('.', '-', '_');
        if (tag.Length > ModelName.MaxPartLength)
            tag = tag[..ModelName.MaxPartLength].TrimEnd('.', '-', '_');
        return tag.Length == 0 ? ModelName.DefaultTag : tag;
    }

    internal static bool TryParseBody(string text, string body, out ModelReference? reference, out string error)
    {
        reference = null;
        var revision = DefaultRevision;
        var at = body.LastIndexOf('@');
        if (at >= 0)
        {
            revision = body[(at + 1)..];
            body = body[..at];
            if (CheckRevision(revision) is { } badRevision)
                return Fail(text, badRevision, out error);
        }
        var parts = body.Split('/');
        if (parts.Length < 3)
            return Fail(text, "it needs an owner, a repo and a file path", out error);
        if ((CheckRepoPart(parts[0], "owner") ?? CheckRepoPart(parts[1], "repo")) is { } badRepo)
            return Fail(text, badRepo, out error);
        foreach (var segment in parts.Skip(2))
        {
            if (segment.Length == 0 || segment is "." or ".." || segment.Any(c => char.IsControl(c) || c is '\\' or '?' or '#' or '%'))
                return Fail(text, $"the file path has an invalid segment '{ModelName.Quote(segment)}'", out error);
        }
        var filePath = string.Join('/', parts.Skip(2));
        if (!filePath.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase))
            return Fail(text, $"'{ModelName.Quote(filePath)}' is not a .gguf file", out error);
        error = "";
        reference = new HuggingFaceFileReference(parts[0], parts[1], filePath, revision) { Text = text };
        return true;
    }

    private static bool Fail(string text, string problem, out string error)
    {
        error = $"invalid Hugging Face reference '{ModelName.Quote(text)}': {problem}; use {Form}";
        return false;
    }
}
