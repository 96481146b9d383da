using System.Globalization;
using System.Text;

namespace Hearth.Server.Observability;

/// <summary>A Prometheus histogram with fixed upper bounds (seconds); thread-safe, lock-free observations.</summary>
public sealed class Histogram(string name, string help, double[] bounds)
{
    private readonly long[] _counts = new long[bounds.Length + 1];
    private long _sumMicros;
    private long _count;

    public string Name { get; } = name;

    public long Count => Interlocked.Read(ref _count);

    public void Observe(double seconds)
    {
        var i = 0;
        while (i < bounds.Length && seconds > bounds[i])
            i++;
        Interlocked.Increment(ref _counts[i]);
        Interlocked.Add(ref _sumMicros, (long)(seconds * 1e6));
        Interlocked.Increment(ref _count);
    }

    public void Render(StringBuilder text, string labels = "")
    {
        text.Append(CultureInfo.InvariantCulture, $"# HELP {Name} {help}\n# TYPE {Name} histogram\n");
        long cumulative = 0;
        var sep = labels.Length > 0 ? labels + "," : "";
        for (var i = 0; i < bounds.Length; i++)
        {
            cumulative += Interlocked.Read(ref _counts[i]);
            text.Append(CultureInfo.InvariantCulture, $"{Name}_bucket{{{sep}le=\"{bounds[i]}\"}} {cumulative}\n");
        }
        cumulative += Interlocked.Read(ref _counts[^1]);
        text.Append(CultureInfo.InvariantCulture, $"{Name}_bucket{{{sep}le=\"+Inf\"}} {cumulative}\n");
        var braces = labels.Length > 0 ? "{" + labels + "}" : "";
        text.Append(CultureInfo.InvariantCulture, $"{Name}_sum{braces} {Interlocked.Read(ref _sumMicros) / 1e6}\n");
        text.Append(CultureInfo.InvariantCulture, $"{Name}_count{braces} {cumulative}\n");
    }
}
