namespace Hearth.Bench;

public static class Percentiles
{
    /// <summary>Nearest-rank percentile (p in 0..100) of <paramref name="values"/>; 0 when empty.</summary>
    public static double Of(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
            return 0;
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
