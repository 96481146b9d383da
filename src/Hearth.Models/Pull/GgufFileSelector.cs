using System.Text.RegularExpressions;
using Hearth.Models.Naming;

namespace Hearth.Models.Pull;

/// <summary>
/// Picks the GGUF file a reference means from a repo's file list, the way Ollama resolves <c>hf.co/OWNER/REPO:QUANT</c>:
/// the file whose name carries the quantization label, default Q4_K_M, or the repo's only GGUF when none is named.
/// </summary>
public static partial class GgufFileSelector
{
    // Split GGUFs ("model-00001-of-00003.gguf", llama.cpp's gguf-split naming) need every shard; not supported yet.
    [GeneratedRegex(@"-\d{5}-of-\d{5}\.gguf$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SplitShardPattern();

    public static HuggingFaceRepoFile Select(IReadOnlyList<HuggingFaceRepoFile> files, HuggingFaceRepoReference reference)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(reference);
        var models = ModelFiles(files);
        if (models.Count == 0)
            throw NoGguf(files, reference.RepoId);

        var quant = reference.Quantization ?? HuggingFaceRepoReference.DefaultQuantization;
        var matches = models.Where(f => QuantizationLabel.Matches(f.Path, quant)).ToList();
        if (matches.Count == 1)
            return matches[0];
        if (matches.Count > 1)
            throw new FileSelectionException(
                $"several GGUF files match {quant} in {reference.RepoId}: {string.Join(", ", matches.Select(m => m.Path))}; name one with 'hf:{reference.RepoId}/FILE.gguf'",
                matches.Select(m => m.Path).ToList());
        if (reference.Quantization is null && models.Count == 1)
            return models[0];

        var available = models.Select(f => QuantizationLabel.Find(f.Path) ?? f.Path).Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.OrdinalIgnoreCase).ToList();
        throw new FileSelectionException(
            $"no GGUF file matching {quant} in {reference.RepoId}; available: {string.Join(", ", available)} (use 'hf.co/{reference.RepoId}:QUANT')",
            available);
    }

    public static HuggingFaceRepoFile Select(IReadOnlyList<HuggingFaceRepoFile> files, HuggingFaceFileReference reference)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(reference);
        // Hub paths are case-sensitive (they are git paths).
        if (files.FirstOrDefault(f => f.Path == reference.FilePath) is { } exact)
            return exact;
        var models = ModelFiles(files);
        if (models.Count == 0)
            throw NoGguf(files, reference.RepoId);
        var paths = models.Select(f => f.Path).ToList();
        throw new FileSelectionException(
            $"file '{reference.FilePath}' not found in {reference.RepoId} at revision '{reference.Revision}'; GGUF files there: {string.Join(", ", paths)}",
            paths);
    }

    /// <summary>Model GGUFs: not vision projectors (<c>mmproj</c>) and not shards of a split model.</summary>
    private static List<HuggingFaceRepoFile> ModelFiles(IReadOnlyList<HuggingFaceRepoFile> files) =>
        files.Where(f => f.Path.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase)
                         && !f.FileName.Contains("mmproj", StringComparison.OrdinalIgnoreCase)
                         && !SplitShardPattern().IsMatch(f.Path))
            .OrderBy(f => f.Path, StringComparer.Ordinal).ToList();

    private static FileSelectionException NoGguf(IReadOnlyList<HuggingFaceRepoFile> files, string repoId)
    {
        var shards = files.Where(f => SplitShardPattern().IsMatch(f.Path)).Select(f => f.Path).ToList();
        return shards.Count > 0
            ? new FileSelectionException($"{repoId} only has split GGUF files ({shards[0]}, …), which hearth cannot pull yet", shards)
            : new FileSelectionException($"{repoId} has no GGUF files; hearth runs GGUF models (look for a repo with GGUF in its name)", []);
    }
}
