using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hearth.Server.Errors;

namespace Hearth.Server.Ollama;

/// <summary>
/// Ollama's <c>keep_alive</c> (api/types.go <c>Duration</c>): a number of seconds, or a Go duration string such as
/// <c>"5m"</c>, <c>"1h30m"</c>, <c>"300ms"</c>, <c>"0"</c>. Zero unloads the model once the request ends; any negative
/// value keeps it loaded until evicted. Hearth also accepts a number in a string (<c>"-1"</c>, <c>"3600"</c>) as seconds.
/// </summary>
internal static partial class KeepAlive
{
    // System.Threading.Timer's longest due time: 2^32 - 2 milliseconds.
    private static readonly TimeSpan LongestTimer = TimeSpan.FromMilliseconds(uint.MaxValue - 1.0);

    public static TimeSpan Parse(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => Seconds(value.GetDouble(), value.GetRawText()),
        JsonValueKind.String => Parse(value.GetString()!),
        _ => throw Invalid(value.GetRawText()),
    };

    public static TimeSpan Parse(string text)
    {
        var trimmed = text.Trim();
        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            return Seconds(seconds, text);
        var match = GoDuration().Match(trimmed);
        if (!match.Success || trimmed.Length == 0)
            throw Invalid(text);
        var total = 0.0;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unitAt = part.Value.IndexOfAny(['n', 'u', 'µ', 'm', 's', 'h']);
            var number = double.Parse(part.Value[..unitAt], CultureInfo.InvariantCulture);
            total += part.Value[unitAt..] switch
            {
                "ns" => number / 1e9,
                "us" or "µs" => number / 1e6,
                "ms" => number / 1e3,
                "s" => number,
                "m" => number * 60,
                "h" => number * 3600,
                _ => throw Invalid(text),
            };
        }
        return Seconds(match.Groups["sign"].Value == "-" ? -total : total, text);
    }

    private static TimeSpan Seconds(double seconds, string text)
    {
        if (!double.IsFinite(seconds))
            throw Invalid(text);
        // Negative: keep loaded (the pool's "forever"). So are spans past what a timer can wait (~49.7 days).
        if (seconds < 0 || seconds >= LongestTimer.TotalSeconds)
            return Timeout.InfiniteTimeSpan;
        return TimeSpan.FromSeconds(seconds);
    }

    private static ApiException Invalid(string text) =>
        new(400, $"invalid keep_alive '{text}': use a duration such as \"5m\", \"1h\" or \"0\", seconds as a number, or a negative value to keep the model loaded", "keep_alive");

    // Go's time.ParseDuration: an optional sign, then one or more decimal numbers each with a unit.
    [GeneratedRegex(@"^(?<sign>[+-]?)(?<part>(\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$", RegexOptions.CultureInvariant)]
    private static partial Regex GoDuration();
}
