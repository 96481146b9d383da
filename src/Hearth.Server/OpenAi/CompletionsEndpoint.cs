using System.Diagnostics;
using Hearth.Inference.Generation;
using Hearth.Server.Observability;
using Hearth.Server.Serving;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Server.OpenAi;

/// <summary>
/// <c>POST /v1/completions</c>: raw-prompt generation through the same path as chat, whole or streamed as
/// <c>text_completion</c> chunks (then a finish chunk, an optional usage chunk, and <c>[DONE]</c>).
/// </summary>
internal static class CompletionsEndpoint
{
    public static async Task<Results<JsonHttpResult<TextCompletion>, ServerSentEventsResult>> HandleAsync(HttpContext http,
        ServedModels models, ServerMetrics metrics)
    {
        var started = Stopwatch.GetTimestamp();
        var aborted = http.RequestAborted;
        var request = CompletionRequest.Parse(await JsonFields.ReadBodyAsync(http.Request, aborted).ConfigureAwait(false));
        var served = await models.AcquireAsync(request.Model, cancellationToken: aborted).ConfigureAwait(false);
        var leaseHandedOver = false;
        try
        {
            var sampling = request.Generation.Apply(served.Sampling);
            var timing = new GenerationMetrics(metrics, started);
            var header = new ChunkHeader(OpenAiIds.New("cmpl-"), OpenAiIds.Now(), served.Name.ToString());
            if (request.Generation.Stream)
            {
                var generation = await PrimedGeneration.StartAsync(served.Model.GenerateStreamAsync(request.Prompt, sampling, aborted), served)
                    .ConfigureAwait(false);
                leaseHandedOver = true;
                return new ServerSentEventsResult(generation, (writer, ct) => StreamAsync(writer, generation, request, header, timing, ct));
            }

            var call = Stopwatch.GetTimestamp();
            var result = await served.Model.GenerateAsync(request.Prompt, sampling, aborted).ConfigureAwait(false);
            GenerationOutcome.ThrowIfInterrupted(result, aborted);
            timing.Completed(result, call);
            var choice = new TextChoice(result.Text, 0, GenerationOutcome.FinishReason(result, toolCalls: false),
                CompletionLogprobs.From(result.Logprobs));
            return TypedResults.Json(new TextCompletion(header.Id, header.Created, header.Model, [choice], GenerationOutcome.Usage(result)),
                OpenAiJsonContext.Relaxed.TextCompletion);
        }
        finally
        {
            if (!leaseHandedOver)
                served.Dispose();
        }
    }

    private static async Task StreamAsync(SseWriter writer, PrimedGeneration generation, CompletionRequest request, ChunkHeader header,
        GenerationMetrics timing, CancellationToken cancellationToken)
    {
        var type = OpenAiJsonContext.Relaxed.TextCompletion;
        TextCompletion Chunk(string text, string? finish, CompletionLogprobs? logprobs = null) =>
            new(header.Id, header.Created, header.Model, [new TextChoice(text, 0, finish, logprobs)], null);

        GenerationResult? result = null;
        await foreach (var chunk in generation.ReadAllAsync().ConfigureAwait(false))
        {
            // A chunk may carry log probabilities without text: tokens that added none (a character cut by the limit).
            if (chunk.Text.Length > 0 || chunk.Logprobs is { Count: > 0 })
            {
                if (chunk.Text.Length > 0)
                    timing.Piece();
                await writer.WriteAsync(Chunk(chunk.Text, null, CompletionLogprobs.From(chunk.Logprobs)), type, cancellationToken)
                    .ConfigureAwait(false);
            }
            result = chunk.Result ?? result;
        }
        if (result is null)
            throw new InvalidOperationException("the generation stream ended without its result");
        GenerationOutcome.ThrowIfInterrupted(result, cancellationToken);
        timing.Completed(result);
        await writer.WriteAsync(Chunk("", GenerationOutcome.FinishReason(result, toolCalls: false)), type, cancellationToken).ConfigureAwait(false);
        if (request.Generation.IncludeUsage)
            await writer.WriteAsync(new TextCompletion(header.Id, header.Created, header.Model, [], GenerationOutcome.Usage(result)), type,
                cancellationToken).ConfigureAwait(false);
        await writer.WriteDoneAsync(cancellationToken).ConfigureAwait(false);
    }
}
