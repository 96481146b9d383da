using System.Globalization;
using System.Text.Json;
using Hearth.Inference.Runtime;
using Hearth.Inference.Sampling;

namespace Hearth.Inference.Store;

/// <summary>
/// Ollama's named parameters (<c>temperature</c>, <c>num_ctx</c>, <c>stop</c>, …) applied to sampling and load options:
/// from a manifest's defaults, a <c>/set</c> in the chat, or a request's <c>options</c>. One table, so every surface
/// accepts the same names with the same meaning.
/// </summary>
public static class ModelParameters
{
    public static IReadOnlyList<string> Names { get; } =
    [
        "temperature", "top_k", "top_p", "min_p", "repeat_penalty", "repeat_last_n", "presence_penalty", "frequency_penalty",
        "seed", "num_predict", "stop", "num_ctx", "num_thread", "num_batch",
    ];

    /// <summary>Applies every parameter of a manifest or request; unknown names are an error naming them.</summary>
    public static (SamplingOptions Sampling, ModelLoadOptions Load) Apply(IReadOnlyDictionary<string, JsonElement> parameters,
        SamplingOptions sampling, ModelLoadOptions load)
    {
        foreach (var (name, value) in parameters)
            (sampling, load) = Set(name, value, sampling, load);
        return (sampling, load);
    }

    /// <summary>Sets one parameter from text, as typed after <c>/set</c> (<c>stop</c> may be given several times).</summary>
    public static (SamplingOptions Sampling, ModelLoadOptions Load) Set(string name, string text, SamplingOptions sampling, ModelLoadOptions load)
    {
        var json = name == "stop"
            ? JsonSerializer.SerializeToElement(sampling.Stop.Append(text).ToArray())
            : ParseScalar(name, text);
        return Set(name, json, sampling, load);
    }

    public static (SamplingOptions Sampling, ModelLoadOptions Load) Set(string name, JsonElement value, SamplingOptions sampling, ModelLoadOptions load)
    {
        try
        {
            return name switch
            {
                "temperature" => (sampling with { Temperature = value.GetSingle() }, load),
                "top_k" => (sampling with { TopK = value.GetInt32() }, load),
                "top_p" => (sampling with { TopP = value.GetSingle() }, load),
                "min_p" => (sampling with { MinP = value.GetSingle() }, load),
                "repeat_penalty" => (sampling with { RepeatPenalty = value.GetSingle() }, load),
                "repeat_last_n" => (sampling with { RepeatLastN = value.GetInt32() }, load),
                "presence_penalty" => (sampling with { PresencePenalty = value.GetSingle() }, load),
                "frequency_penalty" => (sampling with { FrequencyPenalty = value.GetSingle() }, load),
                "seed" => (sampling with { Seed = value.GetInt64() < 0 ? null : (uint)value.GetInt64() }, load),
                "num_predict" => (sampling with { MaxTokens = value.GetInt32() }, load),
                "stop" => (sampling with { Stop = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(v => v.GetString()!).ToArray() : [value.GetString()!] }, load),
                "num_ctx" => (sampling, load with { ContextSize = value.GetInt32() }),
                "num_thread" => (sampling, load with { Threads = value.GetInt32() }),
                "num_batch" => (sampling, load with { BatchSize = value.GetInt32() }),
                _ => throw new ArgumentException($"unknown parameter '{name}'; known parameters: {string.Join(", ", Names)}"),
            };
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or OverflowException)
        {
            throw new ArgumentException($"parameter '{name}' has the wrong type of value ({value.ValueKind}: {value.GetRawText()})", ex);
        }
    }

    private static JsonElement ParseScalar(string name, string text)
    {
        if (!Names.Contains(name))
            throw new ArgumentException($"unknown parameter '{name}'; known parameters: {string.Join(", ", Names)}");
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            throw new ArgumentException($"parameter '{name}' needs a number, got '{text}'");
        var integer = name is "top_k" or "repeat_last_n" or "seed" or "num_predict" or "num_ctx" or "num_thread" or "num_batch";
        if (integer && number != Math.Floor(number))
            throw new ArgumentException($"parameter '{name}' needs a whole number, got '{text}'");
        return integer ? JsonSerializer.SerializeToElement((long)number) : JsonSerializer.SerializeToElement(number);
    }
}
