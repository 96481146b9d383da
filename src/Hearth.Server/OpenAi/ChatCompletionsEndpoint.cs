using System.Diagnostics;
using Hearth.Inference.Chat;
using Hearth.Inference.Generation;
using Hearth.Inference.Tools;
using Hearth.Models.Store;
using Hearth.Server.Observability;
using Hearth.Server.Serving;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Server.OpenAi;

/// <summary>
/// <c>POST /v1/chat/completions</c>: the request is read and checked, the model leased through
/// <see cref="ServedModels"/>, and the conversation (tool definitions and results folded in by
/// <see cref="ToolPrompting"/>) generated with the model's one inference path; the reply is returned whole or streamed
/// (<see cref="ChatCompletionStream"/>). Structured output and tool calls are grammar-constrained.
/// </summary>
internal static class ChatCompletionsEndpoint
{
    public static async Task<Results<JsonHttpResult<ChatCompletion>, ServerSentEventsResult>> HandleAsync(HttpContext http,
        ServedModels models, ServerMetrics metrics)
    {
        var started = Stopwatch.GetTimestamp();
        var aborted = http.RequestAborted;
        var request = ChatCompletionRequest.Parse(await JsonFields.ReadBodyAsync(http.Request, aborted).ConfigureAwait(false));
        var served = await models.AcquireAsync(request.Model, cancellationToken: aborted).ConfigureAwait(false);
        var leaseHandedOver = false;
        try
        {
            var prompt = Prompt.Chat(Conversation(request, served.Manifest), request.Truncation);
            var sampling = request.Generation.Apply(served.Sampling) with
            {
                // parallel_tool_calls: false → the grammar itself stops after one call.
                Grammar = request.FormatGrammar ?? (request.UsesTools
                    ? ToolPrompting.Grammar(request.Tools, request.ToolChoice, request.ParallelToolCalls ? null : 1)
                    : null),
            };
            var timing = new GenerationMetrics(metrics, started);
            var header = new ChunkHeader(OpenAiIds.New("chatcmpl-"), OpenAiIds.Now(), served.Name.ToString());

            if (request.Generation.Stream)
            {
                var generation = await PrimedGeneration.StartAsync(served.Model.GenerateStreamAsync(prompt, sampling, aborted), served)
                    .ConfigureAwait(false);
                leaseHandedOver = true;
                return new ServerSentEventsResult(generation,
                    (writer, ct) => ChatCompletionStream.WriteAsync(writer, generation, request, header, timing, ct));
            }

            var call = Stopwatch.GetTimestamp();
            var result = await served.Model.GenerateAsync(prompt, sampling, aborted).ConfigureAwait(false);
            GenerationOutcome.ThrowIfInterrupted(result, aborted);
            timing.Completed(result, call);
            return TypedResults.Json(Reply(request, header, result), OpenAiJsonContext.Relaxed.ChatCompletion);
        }
        finally
        {
            if (!leaseHandedOver)
                served.Dispose();
        }
    }

    /// <summary>
    /// The messages the model sees: the manifest's system prompt when the request has none (as Ollama does with a
    /// Modelfile's SYSTEM), and tool definitions, calls and results rendered as plain turns any chat template handles.
    /// </summary>
    private static IReadOnlyList<ChatMessage> Conversation(ChatCompletionRequest request, ModelManifest manifest)
    {
        IReadOnlyList<ChatMessage> messages = request.Messages;
        if (manifest.System is { Length: > 0 } system && messages.All(m => m.Role != ChatRole.System))
            messages = [ChatMessage.System(system), .. messages];
        var toolTurns = messages.Any(m => m.Role == ChatRole.Tool || m.ToolCalls is { Count: > 0 });
        return request.Tools.Count > 0 || toolTurns ? ToolPrompting.Prepare(messages, request.Tools, request.ToolChoice) : messages;
    }

    private static ChatCompletion Reply(ChatCompletionRequest request, ChunkHeader header, GenerationResult result)
    {
        var message = new ChatReplyMessage(result.Text, null);
        var calls = false;
        if (request.UsesTools)
        {
            var parsed = ToolCallParser.Parse(result.Text, request.Tools);
            if (parsed.Calls.Count > 0)
            {
                calls = true;
                var kept = request.ParallelToolCalls ? parsed.Calls : parsed.Calls.Take(1);
                message = new ChatReplyMessage(parsed.Content.Length > 0 ? parsed.Content : null,
                    kept.Select(c => new ToolCallObject(c.Id, new FunctionCall(c.Name, c.Arguments))).ToArray());
            }
        }
        var choice = new ChatChoice(0, message, GenerationOutcome.FinishReason(result, calls), ChatLogprobs.From(result.Logprobs));
        return new ChatCompletion(header.Id, header.Created, header.Model, [choice], GenerationOutcome.Usage(result));
    }
}

/// <summary>What every chunk of one response repeats.</summary>
internal sealed record ChunkHeader(string Id, long Created, string Model);
