namespace Hearth.Models.Factory;

/// <summary>
/// Deterministic normal samples: xoshiro256** (Blackman &amp; Vigna 2018) seeded through SplitMix64, Box–Muller transform.
/// Own implementation so a seed gives the same model on every .NET version and machine.
/// </summary>
internal struct GaussianSampler
{
    private ulong _s0, _s1, _s2, _s3;

    public GaussianSampler(ulong seed)
    {
        var sm = seed;
        _s0 = SplitMix64(ref sm);
        _s1 = SplitMix64(ref sm);
        _s2 = SplitMix64(ref sm);
        _s3 = SplitMix64(ref sm);
    }

    /// <summary>Mixes several values into one seed (used to give each tensor chunk its own stream).</summary>
    public static ulong Mix(ulong a, ulong b)
    {
        var x = a ^ (b + 0x9E3779B97F4A7C15UL + (a << 6) + (a >> 2));
        return SplitMix64(ref x);
    }

    public static ulong Hash(string s)
    {
        var h = 14695981039346656037UL; // FNV-1a
        foreach (var c in s)
            h = (h ^ c) * 1099511628211UL;
        return h;
    }

    public void Fill(Span<float> dst, float std)
    {
        var i = 0;
        for (; i + 1 < dst.Length; i += 2)
        {
            var (a, b) = NextPair();
            dst[i] = a * std;
            dst[i + 1] = b * std;
        }
        if (i < dst.Length)
            dst[i] = NextPair().Item1 * std;
    }

    private (float, float) NextPair()
    {
        // u1 in (0, 1] so Log never sees zero.
        var u1 = ((NextUInt64() >> 11) + 1) * (1.0 / 9007199254740992.0);
        var u2 = (NextUInt64() >> 11) * (1.0 / 9007199254740992.0);
        var r = Math.Sqrt(-2.0 * Math.Log(u1));
        var (sin, cos) = Math.SinCos(2 * Math.PI * u2);
        return ((float)(r * cos), (float)(r * sin));
    }

    private ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    private static ulong SplitMix64(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
