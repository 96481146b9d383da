using Hearth.Inference.Generation;
using Hearth.Inference.Tools;

namespace Hearth.Server.OpenAi;

/// <summary>
/// Streams a chat completion as OpenAI does: a first chunk with the role, content deltas (or, with tools, the
/// <c>tool_calls</c> deltas of <see cref="ToolCallStreamParser"/>: index, id and name first, then argument fragments),
/// a chunk with the finish reason, an optional usage chunk with no choices (<c>stream_options.include_usage</c>),
/// and <c>[DONE]</c>. With <c>logprobs</c>, each delta carries the entries of the tokens whose text it holds.
/// </summary>
internal static class ChatCompletionStream
{
    public static async Task WriteAsync(SseWriter writer, PrimedGeneration generation, ChatCompletionRequest request, ChunkHeader header,
        GenerationMetrics timing, CancellationToken cancellationToken)
    {
        var type = OpenAiJsonContext.Relaxed.ChatCompletionChunk;
        // Log-probability entries wait here until a delta goes out, which carries them: with tools, a piece of text
        // may produce no delta (the parser holds it) and the entries go with the next one.
        var carried = new List<TokenLogprob>();
        Task Send(ChatDelta delta, string? finish = null)
        {
            ChatLogprobs? logprobs = null;
            if (carried.Count > 0)
            {
                logprobs = ChatLogprobs.From(carried);
                carried.Clear();
            }
            return writer.WriteAsync(new ChatCompletionChunk(header.Id, header.Created, header.Model, [new ChunkChoice(0, delta, finish, logprobs)]),
                type, cancellationToken);
        }

        await Send(new ChatDelta(Role: "assistant", Content: "")).ConfigureAwait(false);
        var parser = request.UsesTools ? new ToolCallStreamParser(request.Tools) : null;
        var sawToolCall = false;
        GenerationResult? result = null;
        await foreach (var chunk in generation.ReadAllAsync().ConfigureAwait(false))
        {
            if (chunk.Logprobs is { Count: > 0 } entries)
                carried.AddRange(entries);
            if (chunk.Text.Length > 0)
            {
                timing.Piece();
                if (parser is null)
                    await Send(new ChatDelta(Content: chunk.Text)).ConfigureAwait(false);
                else
                    foreach (var e in parser.Push(chunk.Text))
                        sawToolCall |= await SendEventAsync(e, request.ParallelToolCalls, Send).ConfigureAwait(false);
            }
            // Entries of tokens that added no text (a character cut by the token limit) still go out, with no content.
            else if (parser is null && carried.Count > 0)
                await Send(new ChatDelta(Content: "")).ConfigureAwait(false);
            result = chunk.Result ?? result;
        }
        if (parser is not null)
            foreach (var e in parser.Complete())
                sawToolCall |= await SendEventAsync(e, request.ParallelToolCalls, Send).ConfigureAwait(false);
        if (carried.Count > 0)
            await Send(new ChatDelta()).ConfigureAwait(false);

        if (result is null)
            throw new InvalidOperationException("the generation stream ended without its result");
        GenerationOutcome.ThrowIfInterrupted(result, cancellationToken);
        timing.Completed(result);
        await Send(new ChatDelta(), GenerationOutcome.FinishReason(result, sawToolCall)).ConfigureAwait(false);
        if (request.Generation.IncludeUsage)
            await writer.WriteAsync(new ChatCompletionChunk(header.Id, header.Created, header.Model, [], GenerationOutcome.Usage(result)), type,
                cancellationToken).ConfigureAwait(false);
        await writer.WriteDoneAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <param name="parallel">False: calls after the first are dropped (<c>parallel_tool_calls: false</c>).</param>
    /// <returns>True when the event belongs to a tool call.</returns>
    private static async Task<bool> SendEventAsync(ToolStreamEvent e, bool parallel, Func<ChatDelta, string?, Task> send)
    {
        switch (e)
        {
            case ToolCallStarted { Index: > 0 } or ToolCallArgumentsDelta { Index: > 0 } when !parallel:
                return true;
            case ContentDelta content:
                if (content.Text.Length > 0)
                    await send(new ChatDelta(Content: content.Text), null).ConfigureAwait(false);
                return false;
            case ToolCallStarted started:
                await send(new ChatDelta(ToolCalls: [new ToolCallDelta(started.Index, started.Id, "function", new FunctionDelta(started.Name, ""))]), null)
                    .ConfigureAwait(false);
                return true;
            case ToolCallArgumentsDelta arguments:
                await send(new ChatDelta(ToolCalls: [new ToolCallDelta(arguments.Index, null, null, new FunctionDelta(null, arguments.Fragment))]), null)
                    .ConfigureAwait(false);
                return true;
            default:
                throw new InvalidOperationException($"unexpected tool stream event {e.GetType().Name}");
        }
    }
}
