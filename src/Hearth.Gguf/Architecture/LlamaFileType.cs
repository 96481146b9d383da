namespace Hearth.Gguf.Architecture;

/// <summary>
/// The predominant tensor type of a model file, as <c>general.file_type</c> stores it: llama.cpp's <c>enum llama_ftype</c>
/// (include/llama.h). Gaps are numbers llama.cpp retired (4–6 Q4_1_SOME_F16/Q4_2/Q4_3, 33–35 the Q4_0_N_M repacks).
/// </summary>
public enum LlamaFileType : uint
{
    AllF32 = 0,
    MostlyF16 = 1,
    MostlyQ4_0 = 2,
    MostlyQ4_1 = 3,
    MostlyQ8_0 = 7,
    MostlyQ5_0 = 8,
    MostlyQ5_1 = 9,
    MostlyQ2_K = 10,
    MostlyQ3_K_S = 11,
    MostlyQ3_K_M = 12,
    MostlyQ3_K_L = 13,
    MostlyQ4_K_S = 14,
    MostlyQ4_K_M = 15,
    MostlyQ5_K_S = 16,
    MostlyQ5_K_M = 17,
    MostlyQ6_K = 18,
    MostlyIQ2_XXS = 19,
    MostlyIQ2_XS = 20,
    MostlyQ2_K_S = 21,
    MostlyIQ3_XS = 22,
    MostlyIQ3_XXS = 23,
    MostlyIQ1_S = 24,
    MostlyIQ4_NL = 25,
    MostlyIQ3_S = 26,
    MostlyIQ3_M = 27,
    MostlyIQ2_S = 28,
    MostlyIQ2_M = 29,
    MostlyIQ4_XS = 30,
    MostlyIQ1_M = 31,
    MostlyBF16 = 32,
    MostlyTQ1_0 = 36,
    MostlyTQ2_0 = 37,
    MostlyMXFP4_MoE = 38,
}

public static class LlamaFileTypes
{
    /// <summary>
    /// The short name users know from file names and <c>llama-quantize</c>: "F32", "F16", "Q4_0", "Q4_K_M", "MXFP4_MOE";
    /// <c>unknown (N)</c> for a number this table does not know.
    /// </summary>
    public static string Name(this LlamaFileType type) => type switch
    {
        LlamaFileType.AllF32 => "F32",
        LlamaFileType.MostlyF16 => "F16",
        LlamaFileType.MostlyBF16 => "BF16",
        LlamaFileType.MostlyMXFP4_MoE => "MXFP4_MOE",
        _ when Enum.IsDefined(type) => type.ToString()["Mostly".Length..],
        _ => $"unknown ({(uint)type})",
    };
}
