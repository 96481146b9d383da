using System.Globalization;
using Hearth.Models.Info;

namespace Hearth.Server.Ollama;

/// <summary>The <c>details</c> object of <c>/api/tags</c>, <c>/api/show</c> and <c>/api/ps</c>, from a model's GGUF header.</summary>
internal static class ModelDetails
{
    public static OllamaModelDetails From(ModelInfo info) =>
        new("", "gguf", info.Architecture, [info.Architecture], ParameterSize(info.ParameterCount), info.Quantization);

    /// <summary>When the header cannot be read (a damaged entry): what is known without it.</summary>
    public static OllamaModelDetails Unknown { get; } = new("", "gguf", "unknown", [], "unknown", "unknown");

    /// <summary>Ollama's human parameter count (format.HumanNumber): "7.6B", "494.03M", "4K".</summary>
    public static string ParameterSize(long count) => count switch
    {
        >= 1_000_000_000 => Trim(count / 1e9, "0.0") + "B",
        >= 1_000_000 => Trim(count / 1e6, "0.00") + "M",
        >= 1_000 => Trim(count / 1e3, "0") + "K",
        _ => count.ToString(CultureInfo.InvariantCulture),
    };

    private static string Trim(double value, string format)
    {
        var text = value.ToString(format, CultureInfo.InvariantCulture);
        return text.Contains('.') ? text.TrimEnd('0').TrimEnd('.') : text;
    }

    /// <summary>Ollama lists digests as bare hex; the store keeps <c>sha256:hex</c>.</summary>
    public static string BareDigest(string digest) =>
        digest.StartsWith("sha256:", StringComparison.Ordinal) ? digest["sha256:".Length..] : digest;
}
