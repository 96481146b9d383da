using System.Diagnostics;
using Hearth.Inference.Generation;
using Hearth.Inference.Sampling;
using Hearth.Server.Errors;
using Hearth.Server.Observability;
using Hearth.Server.Serving;
using Microsoft.AspNetCore.Http;

namespace Hearth.Server.Ollama;

/// <summary>
/// Runs one generation for <c>/api/chat</c> or <c>/api/generate</c> and writes it in Ollama's shape: NDJSON lines while
/// streaming (the default), or one object. A failure before the first byte gets a real status code (the first chunk is
/// awaited before the response starts, so prompt errors such as a context overflow are a 400); after it, a final
/// <c>{"error": …}</c> line. A client that disconnects cancels the generation through <c>RequestAborted</c>.
/// </summary>
internal sealed class OllamaGeneration(HttpContext context, ServerMetrics metrics, long startedAt, TimeSpan loadDuration)
{
    private readonly CancellationToken _aborted = context.RequestAborted;

    public async Task RunAsync(ServedModel served, Prompt prompt, SamplingOptions sampling, OllamaReply reply, bool stream)
    {
        if (stream)
            await StreamAsync(served, prompt, sampling, reply).ConfigureAwait(false);
        else
            await WholeAsync(served, prompt, sampling, reply).ConfigureAwait(false);
    }

    private async Task WholeAsync(ServedModel served, Prompt prompt, SamplingOptions sampling, OllamaReply reply)
    {
        var generateAt = Stopwatch.GetElapsedTime(startedAt);
        var result = await served.Model.GenerateAsync(prompt, sampling, _aborted).ConfigureAwait(false);
        if (result.FinishReason == FinishReason.Cancelled)
        {
            _aborted.ThrowIfCancellationRequested();
            throw new ApiException(503, "generation was cancelled because the model was unloaded; try again", code: "model_unloaded");
        }
        Record(result.Stats, generateAt + result.Stats.TimeToFirstToken);
        // Without per-token timestamps, each gap of a whole reply counts as the reply's mean gap.
        if (result.Stats.CompletionTokens > 1)
        {
            var mean = result.Stats.EvalDuration.TotalSeconds / (result.Stats.CompletionTokens - 1);
            for (var i = 1; i < result.Stats.CompletionTokens; i++)
                metrics.InterTokenLatency.Observe(mean);
        }
        var final = reply.Final(result, Stats(result.Stats), streamed: false);
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsJsonAsync(final, final.GetType(), OllamaJson.Options, _aborted).ConfigureAwait(false);
    }

    private async Task StreamAsync(ServedModel served, Prompt prompt, SamplingOptions sampling, OllamaReply reply)
    {
        var chunks = served.Model.GenerateStreamAsync(prompt, sampling, _aborted).GetAsyncEnumerator(_aborted);
        try
        {
            // Before any byte is sent: errors in the prompt or options surface here with their own status.
            if (!await chunks.MoveNextAsync().ConfigureAwait(false))
                throw new InvalidOperationException("the generation ended without a final chunk");
            await OllamaJson.BeginStreamAsync(context.Response).ConfigureAwait(false);
            try
            {
                await WriteChunksAsync(chunks, reply).ConfigureAwait(false);
            }
            catch (Exception ex) when (!_aborted.IsCancellationRequested)
            {
                var mapped = ErrorMapping.Map(ex);
                metrics.Error(mapped.Kind);
                await OllamaJson.WriteErrorLineAsync(context.Response, mapped.Message).ConfigureAwait(false);
            }
            catch (Exception) when (_aborted.IsCancellationRequested)
            {
                metrics.Error("client_disconnected");
            }
        }
        finally
        {
            await chunks.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task WriteChunksAsync(IAsyncEnumerator<GenerationChunk> chunks, OllamaReply reply)
    {
        long? lastTokenAt = null;
        do
        {
            var chunk = chunks.Current;
            if (chunk.Text.Length > 0)
            {
                var now = Stopwatch.GetTimestamp();
                if (lastTokenAt is { } last)
                    metrics.InterTokenLatency.Observe(Stopwatch.GetElapsedTime(last, now).TotalSeconds);
                else
                    metrics.TimeToFirstToken.Observe(Stopwatch.GetElapsedTime(startedAt, now).TotalSeconds);
                lastTokenAt = now;
                foreach (var line in reply.Piece(chunk.Text))
                    await OllamaJson.WriteLineAsync(context.Response, line, _aborted).ConfigureAwait(false);
            }
            if (chunk.Result is { } result)
            {
                if (result.FinishReason == FinishReason.Cancelled)
                {
                    _aborted.ThrowIfCancellationRequested();
                    throw new ApiException(503, "generation was cancelled because the model was unloaded; try again", code: "model_unloaded");
                }
                metrics.Tokens(result.Stats.PromptTokens, result.Stats.CompletionTokens);
                foreach (var line in reply.Complete())
                    await OllamaJson.WriteLineAsync(context.Response, line, _aborted).ConfigureAwait(false);
                await OllamaJson.WriteLineAsync(context.Response, reply.Final(result, Stats(result.Stats), streamed: true), _aborted).ConfigureAwait(false);
                return;
            }
        }
        while (await chunks.MoveNextAsync().ConfigureAwait(false));
        throw new InvalidOperationException("the generation ended without a final chunk");
    }

    private void Record(GenerationStats stats, TimeSpan timeToFirstToken)
    {
        metrics.Tokens(stats.PromptTokens, stats.CompletionTokens);
        if (stats.CompletionTokens > 0)
            metrics.TimeToFirstToken.Observe(timeToFirstToken.TotalSeconds);
    }

    private OllamaDoneStats Stats(GenerationStats stats) => new(
        OllamaJson.Nanoseconds(Stopwatch.GetElapsedTime(startedAt)),
        OllamaJson.Nanoseconds(loadDuration),
        stats.PromptTokens,
        OllamaJson.Nanoseconds(stats.PromptEvalDuration),
        stats.CompletionTokens,
        OllamaJson.Nanoseconds(stats.EvalDuration));
}
