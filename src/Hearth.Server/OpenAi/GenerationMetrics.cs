using System.Diagnostics;
using Hearth.Inference.Generation;
using Hearth.Server.Observability;

namespace Hearth.Server.OpenAi;

/// <summary>
/// Records one generation in the server's metrics: time to first token from the start of the request (body parsing,
/// model loading and queueing included, as a client sees it), the gaps between streamed pieces, and the token counts.
/// A streamed piece is one token except where UTF-8 joins or a held-back stop sequence merge several.
/// </summary>
internal sealed class GenerationMetrics(ServerMetrics metrics, long requestStarted)
{
    private long _lastPiece;

    /// <summary>A streamed piece of text has just been produced.</summary>
    public void Piece()
    {
        var now = Stopwatch.GetTimestamp();
        if (_lastPiece == 0)
            metrics.TimeToFirstToken.Observe(Stopwatch.GetElapsedTime(requestStarted, now).TotalSeconds);
        else
            metrics.InterTokenLatency.Observe(Stopwatch.GetElapsedTime(_lastPiece, now).TotalSeconds);
        _lastPiece = now;
    }

    /// <summary>A generation ended; for one that was not streamed, <paramref name="generationStarted"/> dates its call.</summary>
    public void Completed(GenerationResult result, long? generationStarted = null)
    {
        var stats = result.Stats;
        metrics.Tokens(stats.PromptTokens, stats.CompletionTokens);
        if (generationStarted is not { } callStart || stats.CompletionTokens == 0)
            return;
        metrics.TimeToFirstToken.Observe((Stopwatch.GetElapsedTime(requestStarted, callStart) + stats.TimeToFirstToken).TotalSeconds);
        // Unstreamed, only the average gap is known: observe it once per gap so the histogram's sum and count stay right.
        var gaps = stats.CompletionTokens - 1;
        if (gaps > 0)
        {
            var mean = stats.EvalDuration.TotalSeconds / gaps;
            for (var i = 0; i < gaps; i++)
                metrics.InterTokenLatency.Observe(mean);
        }
    }
}
