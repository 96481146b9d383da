using System.Diagnostics;
using System.Threading.Channels;
using Hearth.Models.Naming;
using Hearth.Models.Pull;
using Hearth.Server.Errors;
using Hearth.Server.Hosting;
using Hearth.Server.Observability;
using Hearth.Server.Serving;
using Microsoft.AspNetCore.Http;

namespace Hearth.Server.Ollama;

/// <summary>
/// <c>POST /api/pull</c> (Ollama docs/api.md "Pull a Model") for Hugging Face references (<c>hf.co/OWNER/REPO[:QUANT]</c>,
/// <c>hf:OWNER/REPO/FILE.gguf</c>): streamed NDJSON progress <c>{"status", "digest", "total", "completed"}</c> ending in
/// <c>{"status": "success"}</c>, or one final object with <c>stream: false</c>. The response starts only once the repo
/// has been listed, so an unknown repo or quantization is a real 404 (Hub trouble a 502; <see cref="ErrorMapping"/>);
/// later failures end the stream with an <c>{"error": …}</c> line. A client that disconnects cancels the pull (a later
/// pull resumes the partial download).
/// </summary>
internal static class PullEndpoint
{
    private const string ListingStatus = "pulling manifest";

    // Download progress arrives per buffer; clients need a few lines a second, not thousands.
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(100);

    public static async Task HandleAsync(HttpContext context, ServedModels models, HearthServerOptions options, ServerMetrics metrics)
    {
        var body = await OllamaRequestBody.ReadAsync(context.Request).ConfigureAwait(false);
        var text = body.Model();
        var stream = body.Bool("stream") ?? true;
        var reference = ModelReference.Parse(text);
        if (reference is not (HuggingFaceRepoReference or HuggingFaceFileReference))
            throw new ApiException(400,
                $"cannot pull '{text}': Hearth pulls from Hugging Face; use 'hf.co/OWNER/REPO[:QUANT]' or 'hf:OWNER/REPO/FILE.gguf'", "model");
        var hub = options.HuggingFace ?? HuggingFaceOptions.FromEnvironment();
        var aborted = context.RequestAborted;

        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan }; // the downloader has its own idle timeout
        var puller = new HuggingFacePuller(models.Store, http, hub);
        var events = Channel.CreateUnbounded<PullProgress>(new UnboundedChannelOptions { SingleReader = true });
        var pull = Task.Run(async () =>
        {
            try
            {
                await puller.PullAsync(reference, null, new ChannelProgress(events.Writer), aborted).ConfigureAwait(false);
            }
            finally
            {
                events.Writer.TryComplete();
            }
        }, CancellationToken.None);

        if (!stream)
        {
            await foreach (var _ in events.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
            }
            await pull.ConfigureAwait(false);
            await context.Response.WriteAsJsonAsync(new PullStatus("success"), OllamaJson.Options, aborted).ConfigureAwait(false);
            return;
        }

        var started = false;
        PullProgress? held = null;
        string? lastStatus = null;
        var lastWrite = 0L;
        try
        {
            await foreach (var p in events.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                if (!started && p.Status == ListingStatus)
                {
                    held = p;
                    continue;
                }
                if (p.Status == lastStatus && Stopwatch.GetElapsedTime(lastWrite) < ProgressInterval && p.Completed < p.Total)
                    continue;
                if (!started)
                {
                    await OllamaJson.BeginStreamAsync(context.Response).ConfigureAwait(false);
                    started = true;
                    if (held is { } first)
                        await WriteAsync(context, first).ConfigureAwait(false);
                }
                await WriteAsync(context, p).ConfigureAwait(false);
                (lastStatus, lastWrite) = (p.Status, Stopwatch.GetTimestamp());
            }
            await pull.ConfigureAwait(false);
        }
        catch (Exception ex) when (started && !aborted.IsCancellationRequested)
        {
            var mapped = ErrorMapping.Map(ex);
            metrics.Error(mapped.Kind);
            await OllamaJson.WriteErrorLineAsync(context.Response, mapped.Message).ConfigureAwait(false);
        }
    }

    private static Task WriteAsync(HttpContext context, PullProgress p) =>
        OllamaJson.WriteLineAsync(context.Response, new PullStatus(p.Status)
        {
            Digest = p.Digest,
            Total = p.Total > 0 ? p.Total : null,
            Completed = p.Total > 0 ? p.Completed : null,
        }, context.RequestAborted);

    /// <summary>Reports go straight into the channel, in order, on the puller's thread (<see cref="Progress{T}"/> would post them out of order).</summary>
    private sealed class ChannelProgress(ChannelWriter<PullProgress> writer) : IProgress<PullProgress>
    {
        public void Report(PullProgress value) => writer.TryWrite(value);
    }
}
