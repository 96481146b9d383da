namespace Hearth.Gguf.Blocks;

/// <summary>
/// The 12-byte packing of eight 6-bit scales and eight 6-bit mins shared by Q4_K and Q5_K
/// (<c>get_scale_min_k4</c> in ggml/src/ggml-quants.c): sub-blocks 0–3 keep scale and min in the low 6 bits of
/// bytes j and j+4; sub-blocks 4–7 keep their low 4 bits in byte j+4 and their top 2 bits in the top bits of bytes j-4 and j.
/// </summary>
internal static class KQuantScales
{
    /// <summary>Super-block size shared by all K-quants (<c>QK_K</c> in ggml/src/ggml-common.h).</summary>
    public const int SuperBlockSize = 256;

    /// <summary>Length of the packed <c>scales[K_SCALE_SIZE]</c> array of Q4_K and Q5_K.</summary>
    public const int PackedSize = 12;

    public static void GetScaleMin(int j, ReadOnlySpan<byte> q, out int scale, out int min)
    {
        if (j < 4)
        {
            scale = q[j] & 63;
            min = q[j + 4] & 63;
        }
        else
        {
            scale = (q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4);
            min = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
        }
    }
}
