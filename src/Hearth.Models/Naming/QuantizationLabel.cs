using System.Text.RegularExpressions;

namespace Hearth.Models.Naming;

/// <summary>
/// Finds the quantization label in a GGUF file name the way GGUF repos on Hugging Face spell them
/// (<c>model.Q4_K_M.gguf</c>, <c>model-q8_0.gguf</c>, <c>model-IQ3_XXS.gguf</c>, <c>model-f16.gguf</c>).
/// </summary>
public static partial class QuantizationLabel
{
    // A label is a whole token: not preceded or followed by a letter, digit or '_' ('_' is part of labels like Q4_K_M,
    // so Q4_K must not match inside Q4_K_M).
    [GeneratedRegex(@"(?<![A-Za-z0-9_])(I?Q[0-9](?:_[A-Z0-9]+)*|BF16|F16|F32|TQ[12]_0|MXFP4)(?![A-Za-z0-9_])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LabelPattern();

    /// <summary>The label in upper case (e.g. <c>Q4_K_M</c>), or null when the name has none.</summary>
    public static string? Find(string fileName)
    {
        var stem = Path.GetFileNameWithoutExtension(fileName.Replace('\\', '/').Split('/')[^1]);
        var matches = LabelPattern().Matches(stem);
        // The label is conventionally last ("Llama-3-8B-Q4_K_M"), after any "Q" that belongs to the model's name.
        return matches.Count == 0 ? null : matches[^1].Value.ToUpperInvariant();
    }

    /// <summary>True when <paramref name="fileName"/> carries exactly the label <paramref name="label"/> (case-insensitive).</summary>
    public static bool Matches(string fileName, string label) =>
        string.Equals(Find(fileName), label, StringComparison.OrdinalIgnoreCase);
}
