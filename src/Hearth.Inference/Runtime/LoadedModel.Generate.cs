using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Hearth.Inference.Generation;
using Hearth.Inference.Sampling;
using Hearth.Inference.Scheduling;
using LLama.Native;

namespace Hearth.Inference.Runtime;

public sealed partial class LoadedModel
{
    private static readonly SamplingOptions DefaultSampling = new();

    /// <summary>
    /// Generates a reply to <paramref name="prompt"/> and returns it whole, with counts, timings and the finish reason.
    /// Cancellation while waiting for a sequence slot throws <see cref="OperationCanceledException"/>; once generation
    /// has started it ends it at the next decode step with <see cref="FinishReason.Cancelled"/> and the text so far.
    /// </summary>
    /// <exception cref="ContextOverflowException">The prompt does not fit and its <see cref="Prompt.Truncation"/> is <see cref="Truncation.None"/>.</exception>
    /// <exception cref="InvalidSamplingOptionException">An option is out of range.</exception>
    /// <exception cref="SchedulerQueueFullException">Every sequence slot is busy and the queue is full.</exception>
    public async Task<GenerationResult> GenerateAsync(Prompt prompt, SamplingOptions? options = null, CancellationToken cancellationToken = default)
    {
        var startedAt = Stopwatch.GetTimestamp();
        // Unloading needs no token of its own here: the scheduler ends running requests and fails queued ones.
        var request = CreateRequest(prompt, options, null, startedAt, cancellationToken);
        Submit(request);
        return await request.Completion.ConfigureAwait(false);
    }

    /// <summary>
    /// Streams a reply to <paramref name="prompt"/> as it is generated. Errors in the prompt or options, and a full
    /// queue, are thrown by the first <c>MoveNextAsync</c>, before any chunk; the last chunk carries the
    /// <see cref="GenerationResult"/>. Leaving the loop early stops generation and frees the sequence slot.
    /// </summary>
    public async IAsyncEnumerable<GenerationChunk> GenerateStreamAsync(Prompt prompt, SamplingOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var startedAt = Stopwatch.GetTimestamp();
        // Linked so leaving the loop early can stop the request without touching the caller's token.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateUnbounded<GenerationChunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var request = CreateRequest(prompt, options, c => channel.Writer.TryWrite(c), startedAt, stop.Token);
        Submit(request);
        // Text chunks are written by the decode loop before it completes the request, so the final chunk comes last.
        _ = request.Completion.ContinueWith(static (task, state) =>
        {
            var writer = (ChannelWriter<GenerationChunk>)state!;
            if (task.IsCompletedSuccessfully)
            {
                writer.TryWrite(new GenerationChunk("") { Result = task.Result });
                writer.TryComplete();
            }
            else
            {
                writer.TryComplete(task.Exception?.InnerException ?? new OperationCanceledException());
            }
        }, channel.Writer, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        try
        {
            // Not cancelled through the reader: cancellation reaches the decode loop, which still sends the final chunk.
            await foreach (var chunk in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
                yield return chunk;
        }
        finally
        {
            // The consumer may have left early: stop the sequence and wait until its slot is free again.
            await stop.CancelAsync().ConfigureAwait(false);
            await ((Task)request.Completion).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// Drops the prompt cache: the KV entries that finished requests left in free sequence slots, so the next requests
    /// evaluate their prompts in full (benchmarks; or to give the memory's contents up). Requests running now keep theirs.
    /// </summary>
    public Task ClearPromptCacheAsync()
    {
        ThrowIfDisposed();
        return _scheduler.ClearPromptCacheAsync();
    }

    private GenerationRequest CreateRequest(Prompt prompt, SamplingOptions? options, Action<GenerationChunk>? onChunk, long startedAt,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ThrowIfDisposed();
        options ??= DefaultSampling;
        options.Validate();
        var prepared = PromptPreparer.Prepare(this, prompt, options);
        // LLAMA_DEFAULT_SEED (0xFFFFFFFF) asks llama.cpp for a random seed it would not report; pick one here instead.
        var seed = options.Seed ?? (uint)Random.Shared.NextInt64(0, uint.MaxValue);
        return new GenerationRequest(this, prepared, options, seed, onChunk, startedAt, cancellationToken);
    }

    private void Submit(GenerationRequest request)
    {
        try
        {
            _scheduler.Submit(request);
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the decode loop's thread once no request is in a slot, with the context to
    /// itself (the benchmark's raw loop). The prompt cache is dropped afterwards.
    /// </summary>
    internal Task<T> RunExclusiveAsync<T>(Func<SafeLLamaContextHandle, T> work)
    {
        ThrowIfDisposed();
        return _scheduler.RunExclusiveAsync(work);
    }
}
