using System.Text;

namespace Hearth.Inference.Generation;

/// <summary>
/// Keeps stop sequences out of streamed text. Text that could still be the start of a stop sequence is held back until
/// the next piece decides it, so a stop split across several tokens is caught and never leaks.
/// Invariant: every suffix of the text seen so far that is a proper prefix of a stop sequence lies in the held part.
/// </summary>
internal sealed class StopSequenceMatcher
{
    private readonly IReadOnlyList<string> _stops;
    private readonly StringBuilder _held = new();

    public StopSequenceMatcher(IReadOnlyList<string> stops) => _stops = stops;

    /// <summary>True once a stop sequence has been seen; later pushes return nothing.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Adds generated text; returns the part that is safe to emit now.</summary>
    public string Push(string text)
    {
        if (Stopped)
            return "";
        if (_stops.Count == 0)
            return text;

        _held.Append(text);
        var window = _held.ToString();
        var first = -1;
        foreach (var stop in _stops)
        {
            var at = window.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (first < 0 || at < first))
                first = at;
        }
        if (first >= 0)
        {
            Stopped = true;
            _held.Clear();
            return window[..first];
        }

        var hold = 0;
        foreach (var stop in _stops)
            hold = Math.Max(hold, LongestSuffixThatStarts(window, stop));
        _held.Clear().Append(window, window.Length - hold, hold);
        return window[..^hold];
    }

    /// <summary>At the end of generation: text held back for a stop sequence that never completed.</summary>
    public string Flush()
    {
        if (Stopped)
            return "";
        var rest = _held.ToString();
        _held.Clear();
        return rest;
    }

    // Length of the longest suffix of text that is a proper prefix of stop.
    private static int LongestSuffixThatStarts(string text, string stop)
    {
        for (var n = Math.Min(stop.Length - 1, text.Length); n > 0; n--)
            if (text.AsSpan(text.Length - n).SequenceEqual(stop.AsSpan(0, n)))
                return n;
        return 0;
    }
}
