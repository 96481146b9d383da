namespace Hearth.Gguf.Architecture;

/// <summary>
/// How RoPE positions are stretched beyond the trained context: llama.cpp's <c>llama_rope_scaling_type</c>, stored in
/// <c>{arch}.rope.scaling.type</c> as the lowercase names "none", "linear", "yarn" and "longrope".
/// </summary>
public enum RopeScalingType
{
    None,
    Linear,
    Yarn,
    LongRope,
}

public static class RopeScalingTypes
{
    /// <summary>The metadata spelling, e.g. <c>"longrope"</c>.</summary>
    public static string ToMetadataName(this RopeScalingType type) => type switch
    {
        RopeScalingType.None => "none",
        RopeScalingType.Linear => "linear",
        RopeScalingType.Yarn => "yarn",
        RopeScalingType.LongRope => "longrope",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown rope scaling type"),
    };

    public static bool TryParse(string name, out RopeScalingType type)
    {
        foreach (var candidate in Enum.GetValues<RopeScalingType>())
        {
            if (candidate.ToMetadataName() == name)
            {
                type = candidate;
                return true;
            }
        }
        type = RopeScalingType.None;
        return false;
    }
}
