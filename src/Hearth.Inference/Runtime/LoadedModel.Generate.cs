using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Hearth.Inference.Generation;
using Hearth.Inference.Sampling;

namespace Hearth.Inference.Runtime;

public sealed partial class LoadedModel
{
    private static readonly SamplingOptions DefaultSampling = new();

    /// <summary>
    /// Generates a reply to <paramref name="prompt"/> and returns it whole, with counts, timings and the finish reason.
    /// Cancellation while waiting for the model throws <see cref="OperationCanceledException"/>; once generation has
    /// started it ends it promptly with <see cref="FinishReason.Cancelled"/> and the text so far.
    /// </summary>
    /// <exception cref="ContextOverflowException">The prompt does not fit and its <see cref="Prompt.Truncation"/> is <see cref="Truncation.None"/>.</exception>
    /// <exception cref="InvalidSamplingOptionException">An option is out of range.</exception>
    public async Task<GenerationResult> GenerateAsync(Prompt prompt, SamplingOptions? options = null, CancellationToken cancellationToken = default)
    {
        var startedAt = Stopwatch.GetTimestamp();
        var (prepared, sampling, seed) = Prepare(prompt, options);
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
            return await Task.Factory.StartNew(() => GenerationLoop.Run(this, prepared, sampling, seed, null, startedAt, stop.Token),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
        }
        finally
        {
            _decodeGate.Release();
        }
    }

    /// <summary>
    /// Streams a reply to <paramref name="prompt"/> as it is generated. Errors in the prompt or options are thrown by the
    /// first <c>MoveNextAsync</c>, before any chunk; the last chunk carries the <see cref="GenerationResult"/>.
    /// Leaving the loop early stops generation.
    /// </summary>
    public async IAsyncEnumerable<GenerationChunk> GenerateStreamAsync(Prompt prompt, SamplingOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var startedAt = Stopwatch.GetTimestamp();
        var (prepared, sampling, seed) = Prepare(prompt, options);
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        var channel = Channel.CreateUnbounded<GenerationChunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        Task producer;
        try
        {
            producer = Task.Factory.StartNew(() =>
            {
                try
                {
                    var result = GenerationLoop.Run(this, prepared, sampling, seed, c => channel.Writer.TryWrite(c), startedAt, stop.Token);
                    channel.Writer.TryWrite(new GenerationChunk("") { Result = result });
                    channel.Writer.TryComplete();
                }
                catch (Exception ex)
                {
                    channel.Writer.TryComplete(ex);
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        catch
        {
            _decodeGate.Release();
            throw;
        }

        try
        {
            // Not cancelled through the reader: cancellation reaches the loop, which still sends its final chunk.
            await foreach (var chunk in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
                yield return chunk;
        }
        finally
        {
            // The consumer may have left early: stop the loop and wait it out before the next generation may start.
            await stop.CancelAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(false);
            _decodeGate.Release();
        }
    }

    private (PreparedPrompt Prompt, SamplingOptions Options, uint Seed) Prepare(Prompt prompt, SamplingOptions? options)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ThrowIfDisposed();
        options ??= DefaultSampling;
        options.Validate();
        var prepared = PromptPreparer.Prepare(this, prompt, options);
        // LLAMA_DEFAULT_SEED (0xFFFFFFFF) asks llama.cpp for a random seed it would not report; pick one here instead.
        var seed = options.Seed ?? (uint)Random.Shared.NextInt64(0, uint.MaxValue);
        return (prepared, options, seed);
    }

    /// <summary>Runs <paramref name="work"/> on a worker thread while holding the decode gate (the benchmark's raw loop).</summary>
    internal async Task<T> RunExclusiveAsync<T>(Func<T> work)
    {
        await EnterAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            return await Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
                .ConfigureAwait(false);
        }
        finally
        {
            _decodeGate.Release();
        }
    }

    private async Task EnterAsync(CancellationToken cancellationToken)
    {
        await _decodeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (Volatile.Read(ref _disposed) != 0)
        {
            _decodeGate.Release();
            ThrowIfDisposed();
        }
    }
}
