namespace Hearth.Gguf.Tests.Blocks;

/// <summary>Seeded weight distributions that push quantizers into their different branches.</summary>
internal static class TestWeights
{
    /// <summary>3 rows of 512: a multiple of every block size (32 and 256), and more than one row for ggml's row loop.</summary>
    public const int Rows = 3;
    public const int PerRow = 512;

    public static readonly string[] Distributions =
        ["gaussian", "uniform", "zeros", "outliers", "tiny", "positive", "sparse", "large", "constant"];

    public static float[] Make(string distribution, int count = Rows * PerRow, int seed = 1234)
    {
        // string.GetHashCode is randomized per process; the distribution's position keeps runs reproducible.
        var random = new Random(seed + 7919 * Array.IndexOf(Distributions, distribution));
        var x = new float[count];
        for (int i = 0; i < count; i++)
        {
            x[i] = distribution switch
            {
                "gaussian" => Gaussian(random),
                "uniform" => (float)(random.NextDouble() * 2 - 1),
                "zeros" => 0f,
                // Typical trained weights: small spread with rare large values that dominate a block's scale.
                "outliers" => random.NextDouble() < 0.01 ? (random.Next(2) == 0 ? -50f : 50f) * (float)random.NextDouble() : 0.02f * Gaussian(random),
                // Scales end up fp16-subnormal or zero.
                "tiny" => 1e-6f * Gaussian(random),
                // All-positive blocks exercise the min terms of Q4_1/Q5_1/K-quants.
                "positive" => 0.5f + 1.5f * (float)random.NextDouble(),
                // Mostly exact zeros, so many blocks are entirely zero next to ones that are not.
                "sparse" => random.NextDouble() < 0.9 ? 0f : Gaussian(random),
                "large" => 1000f * Gaussian(random),
                "constant" => 0.75f,
                _ => throw new ArgumentOutOfRangeException(nameof(distribution), distribution, "unknown distribution"),
            };
        }
        return x;
    }

    /// <summary>Positive importance weights, one per column, to drive ggml's imatrix quantizers.</summary>
    public static float[] Importance(int perRow = PerRow, int seed = 99)
    {
        var random = new Random(seed);
        var w = new float[perRow];
        for (int i = 0; i < perRow; i++)
            w[i] = 0.05f + (float)random.NextDouble() * 3f;
        return w;
    }

    private static float Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }
}
