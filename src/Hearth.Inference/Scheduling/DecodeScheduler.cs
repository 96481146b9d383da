using Hearth.Inference.Generation;
using Hearth.Inference.Runtime;
using LLama.Native;

namespace Hearth.Inference.Scheduling;

/// <summary>
/// The one decode loop of a loaded model. LLamaSharp serialises every native decode in the process, so concurrent
/// requests are served by batching instead: requests wait in a bounded queue, are admitted into free sequence slots
/// (<c>seq_id</c>s of the model's single context), and every step is one <c>llama_decode</c> of a batch holding the next
/// token of each generating sequence plus prompt chunks of the ones still prefilling (continuous batching, as
/// llama-server's <c>update_slots</c>). A new request takes the free slot whose KV cache shares the longest prefix with
/// its prompt and evaluates only the rest; a longer prefix held by a busy slot is copied over first.
/// <para>
/// A LoRA adapter applies to a whole llama.cpp context, so requests with different adapter sets cannot share a batch:
/// the <see cref="Pool.ModelPool"/> keys loaded models by their <see cref="ModelLoadOptions"/> (adapters included), and
/// each <see cref="LoadedModel"/> has its own scheduler — requests with the same adapters share one.
/// </para>
/// Thread-safe; the loop runs on a dedicated thread, started with the model and stopped by <see cref="Dispose"/>.
/// </summary>
internal sealed partial class DecodeScheduler : IDisposable
{
    private readonly LoadedModel _model;
    private readonly SafeLLamaContextHandle _context;
    private readonly SequenceSlot[] _slots;
    private readonly int _maxQueued;
    private readonly object _gate = new();
    private readonly List<GenerationRequest> _queue = new();
    private readonly List<ControlItem> _control = new();
    private readonly Thread _thread;
    private int _active;
    private bool _stopping;
    private double _averageRequestSeconds;

    public DecodeScheduler(LoadedModel model, SafeLLamaContextHandle context, int parallelSequences, int batchSize, int maxQueued)
    {
        _model = model;
        _context = context;
        _batchSize = batchSize;
        _maxQueued = maxQueued;
        _slots = new SequenceSlot[parallelSequences];
        for (var i = 0; i < _slots.Length; i++)
            _slots[i] = new SequenceSlot(i);
        _stepTokens = new int[parallelSequences];
        _thread = new Thread(Run) { IsBackground = true, Name = "hearth decode " + System.IO.Path.GetFileName(model.Path) };
        _thread.Start();
    }

    /// <summary>Requests waiting for a sequence slot.</summary>
    public int QueueDepth
    {
        get
        {
            lock (_gate)
                return _queue.Count;
        }
    }

    /// <summary>Requests holding a sequence slot (prefilling or generating).</summary>
    public int ActiveSequences => Volatile.Read(ref _active);

    public int ParallelSequences => _slots.Length;

    /// <summary>
    /// Queues <paramref name="request"/> for a slot. Its <see cref="GenerationRequest.Completion"/> then completes with
    /// the result, or faults with <see cref="OperationCanceledException"/> if cancelled while still queued, or with
    /// <see cref="ObjectDisposedException"/> if the model is unloaded first.
    /// </summary>
    /// <exception cref="SchedulerQueueFullException">Every slot is busy and the queue is at its limit.</exception>
    /// <exception cref="ObjectDisposedException">The model is being unloaded.</exception>
    public void Submit(GenerationRequest request)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping, _model);
            // Requests in the queue beyond the free slots are the ones that will really wait.
            var free = _slots.Length - _active;
            if (_queue.Count - free >= _maxQueued)
                throw new SchedulerQueueFullException(Math.Max(0, _queue.Count - free), _slots.Length, SuggestRetryAfter());
            _queue.Add(request);
            Monitor.PulseAll(_gate);
        }
        if (request.CancellationToken.CanBeCanceled)
        {
            var registration = request.CancellationToken.UnsafeRegister(static (state, _) =>
            {
                var (scheduler, queued) = ((DecodeScheduler, GenerationRequest))state!;
                scheduler.CancelQueued(queued);
            }, (this, request));
            request.Completion.ContinueWith(static (_, state) => ((CancellationTokenRegistration)state!).Dispose(), registration,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the loop thread once no sequence is active (admission pauses meanwhile), with the
    /// context to itself. The prompt cache is forgotten afterwards, since the work may have used any sequence.
    /// </summary>
    public Task<T> RunExclusiveAsync<T>(Func<SafeLLamaContextHandle, T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(new ControlItem(exclusive: true, () => done.TrySetResult(work(_context)), ex => done.TrySetException(ex)));
        return done.Task;
    }

    /// <summary>Drops the cached KV entries of every free slot, so the next requests evaluate their prompts in full.</summary>
    public Task ClearPromptCacheAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(new ControlItem(exclusive: false, () =>
        {
            foreach (var slot in _slots)
                if (slot.IsFree)
                    Forget(slot);
            done.TrySetResult();
        }, ex => done.TrySetException(ex)));
        return done.Task;
    }

    private void Enqueue(ControlItem item)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping, _model);
            _control.Add(item);
            Monitor.PulseAll(_gate);
        }
    }

    private void CancelQueued(GenerationRequest request)
    {
        lock (_gate)
        {
            if (!_queue.Remove(request))
                return; // already admitted: the loop sees the token at its next step
        }
        request.Fail(new OperationCanceledException("the request was cancelled while waiting for the model", request.CancellationToken));
        request.Dispose();
    }

    // From how long recent requests took: the queue drains about ParallelSequences requests per average duration.
    private TimeSpan SuggestRetryAfter()
    {
        var rounds = (double)(_queue.Count + 1) / _slots.Length;
        var seconds = Math.Ceiling(Math.Max(_averageRequestSeconds, 1) * Math.Max(rounds, 1));
        return TimeSpan.FromSeconds(Math.Clamp(seconds, 1, 60));
    }

    /// <summary>
    /// Stops the loop: requests in slots end with <see cref="FinishReason.Cancelled"/> and their text so far, queued ones
    /// fault with <see cref="ObjectDisposedException"/>. Returns once the loop thread has exited, so no decode is running.
    /// </summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopping)
                return;
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
        if (Thread.CurrentThread != _thread)
            _thread.Join();
    }

    /// <summary>Work for the loop thread between steps (benchmark loops, cache maintenance).</summary>
    private sealed class ControlItem(bool exclusive, Action run, Action<Exception> fail)
    {
        /// <summary>Needs the context to itself: waits for every active sequence to finish.</summary>
        public bool Exclusive { get; } = exclusive;

        public Action Run { get; } = run;

        public Action<Exception> Fail { get; } = fail;
    }
}
