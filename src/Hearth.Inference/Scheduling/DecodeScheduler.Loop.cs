using Hearth.Inference.Generation;

namespace Hearth.Inference.Scheduling;

internal sealed partial class DecodeScheduler
{
    // Reused by the loop thread only.
    private readonly List<GenerationRequest> _admitting = new();
    private readonly List<ControlItem> _running = new();

    private void Run()
    {
        try
        {
            while (WaitForWork())
            {
                try
                {
                    foreach (var item in _running)
                        RunControl(item);
                    foreach (var request in _admitting)
                        Admit(request);
                    if (Volatile.Read(ref _active) > 0)
                        Step();
                }
                catch (Exception ex)
                {
                    // A bug or a native failure outside one request's sampling: end what was running and keep serving.
                    foreach (var slot in _slots)
                        if (slot.Request is { } request)
                            Fail(slot, request, ex);
                }
            }
        }
        finally
        {
            Shutdown();
        }
    }

    /// <summary>
    /// Blocks until there is something to do, then moves the runnable control items and the requests that fit the
    /// free slots out of the queues. Returns false when the scheduler is stopping.
    /// </summary>
    private bool WaitForWork()
    {
        _admitting.Clear();
        _running.Clear();
        lock (_gate)
        {
            while (true)
            {
                if (_stopping)
                    return false;
                var active = _active;
                var exclusiveWaiting = false;
                for (var i = 0; i < _control.Count; i++)
                {
                    // Exclusive work runs once the slots drain; later control items keep their order behind it.
                    if (_control[i].Exclusive && (active > 0 || exclusiveWaiting))
                    {
                        exclusiveWaiting = true;
                        continue;
                    }
                    if (exclusiveWaiting)
                        continue;
                    _running.Add(_control[i]);
                    _control.RemoveAt(i--);
                }
                // New requests wait while exclusive work does, so it is not starved.
                while (!exclusiveWaiting && _queue.Count > 0 && active < _slots.Length)
                {
                    _admitting.Add(_queue[0]);
                    _queue.RemoveAt(0);
                    active++;
                }
                _active = active;
                if (_running.Count > 0 || active > 0)
                    return true;
                Monitor.Wait(_gate);
            }
        }
    }

    private void RunControl(ControlItem item)
    {
        try
        {
            item.Run();
        }
        catch (Exception ex)
        {
            item.Fail(ex);
        }
        finally
        {
            // Exclusive work may have used any sequence: trust no slot's record of its cache after it.
            if (item.Exclusive)
            {
                _context.MemoryClear(false);
                foreach (var slot in _slots)
                    slot.Cached.Clear();
            }
        }
    }

    /// <summary>Puts a request into the best free slot (prompt cache), or ends it if it was cancelled while queued.</summary>
    private void Admit(GenerationRequest request)
    {
        if (request.CancellationToken.IsCancellationRequested)
        {
            request.Fail(new OperationCanceledException("the request was cancelled while waiting for the model", request.CancellationToken));
            request.Dispose();
            Interlocked.Decrement(ref _active);
            return;
        }
        try
        {
            var (slot, cached) = ClaimSlot(request.Tokens);
            slot.Request = request;
            request.Admit(slot, cached);
        }
        catch (Exception ex)
        {
            request.Fail(ex);
            request.Dispose();
            Interlocked.Decrement(ref _active);
        }
    }

    /// <summary>Ends a request normally: completes it, frees its slot (its KV entries stay, for the prompt cache).</summary>
    private void Complete(SequenceSlot slot, GenerationRequest request, FinishReason reason)
    {
        slot.Request = null;
        var seconds = request.Finish(reason).Stats.TotalDuration.TotalSeconds;
        request.Dispose();
        // Exponential moving average over roughly the last ten requests, for Retry-After.
        _averageRequestSeconds = _averageRequestSeconds == 0 ? seconds : 0.9 * _averageRequestSeconds + 0.1 * seconds;
        Interlocked.Decrement(ref _active);
    }

    /// <summary>Ends a request with an error and forgets its sequence, whose cache state is no longer known.</summary>
    private void Fail(SequenceSlot slot, GenerationRequest request, Exception error)
    {
        slot.Request = null;
        Forget(slot);
        request.Fail(error);
        request.Dispose();
        Interlocked.Decrement(ref _active);
    }

    private void Shutdown()
    {
        List<GenerationRequest> queued;
        List<ControlItem> control;
        lock (_gate)
        {
            _stopping = true;
            queued = [.. _queue, .. _admitting.Where(r => r.Slot is null)];
            _queue.Clear();
            control = [.. _control];
            _control.Clear();
        }
        foreach (var slot in _slots)
            if (slot.Request is { } request)
                Complete(slot, request, FinishReason.Cancelled);
        var disposed = new ObjectDisposedException(_model.ToString(), "the model was unloaded before the request got to run");
        foreach (var request in queued)
        {
            request.Fail(disposed);
            request.Dispose();
        }
        foreach (var item in control)
            item.Fail(disposed);
    }
}
