using LLama.Native;

namespace Hearth.Inference.Quantization;

/// <summary>
/// The quantization types <see cref="GgufQuantizer"/> accepts, by the names llama.cpp's <c>llama-quantize</c> and
/// Ollama use (<c>q4_0</c>, <c>q4_k_m</c>, …), mapped to llama.cpp's <c>llama_ftype</c>. Names are case-insensitive.
/// </summary>
public static class QuantizationTypes
{
    private static readonly (string Name, LLamaFtype Type)[] Table =
    [
        ("f32", LLamaFtype.ALL_F32),
        ("f16", LLamaFtype.MOSTLY_F16),
        ("bf16", LLamaFtype.MOSTLY_BF16),
        ("q8_0", LLamaFtype.MOSTLY_Q8_0),
        ("q6_k", LLamaFtype.MOSTLY_Q6_K),
        ("q5_k_m", LLamaFtype.MOSTLY_Q5_K_M),
        ("q5_k_s", LLamaFtype.MOSTLY_Q5_K_S),
        ("q5_1", LLamaFtype.MOSTLY_Q5_1),
        ("q5_0", LLamaFtype.MOSTLY_Q5_0),
        ("q4_k_m", LLamaFtype.MOSTLY_Q4_K_M),
        ("q4_k_s", LLamaFtype.MOSTLY_Q4_K_S),
        ("q4_1", LLamaFtype.MOSTLY_Q4_1),
        ("q4_0", LLamaFtype.MOSTLY_Q4_0),
        ("q3_k_l", LLamaFtype.MOSTLY_Q3_K_L),
        ("q3_k_m", LLamaFtype.MOSTLY_Q3_K_M),
        ("q3_k_s", LLamaFtype.MOSTLY_Q3_K_S),
        ("q2_k", LLamaFtype.MOSTLY_Q2_K),
        ("q2_k_s", LLamaFtype.MOSTLY_Q2_K_S),
        ("iq4_nl", LLamaFtype.MOSTLY_IQ4_NL),
        ("iq4_xs", LLamaFtype.MOSTLY_IQ4_XS),
    ];

    /// <summary>Every accepted name, largest (most precise) first.</summary>
    public static IReadOnlyList<string> Names { get; } = Table.Select(t => t.Name).ToArray();

    /// <summary>The canonical spelling of a type name (<c>Q4_K_M</c> → <c>q4_k_m</c>); throws with the valid names when unknown.</summary>
    public static string Normalize(string name)
    {
        var type = Parse(name);
        return Table.First(t => t.Type == type).Name;
    }

    /// <summary>The llama.cpp file type for <paramref name="name"/>; throws with the list of valid names when unknown.</summary>
    internal static LLamaFtype Parse(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        foreach (var (n, type) in Table)
            if (string.Equals(n, name.Trim(), StringComparison.OrdinalIgnoreCase))
                return type;
        throw new ArgumentException($"unknown quantization type '{name}'; valid types: {string.Join(", ", Names)}", nameof(name));
    }
}
