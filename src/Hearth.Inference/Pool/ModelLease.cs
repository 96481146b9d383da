using Hearth.Inference.Runtime;

namespace Hearth.Inference.Pool;

/// <summary>
/// A caller's share of a pooled model. Use <see cref="Model"/> until disposing the lease; the last lease to end starts
/// the model's keep-alive timer. Do not dispose <see cref="Model"/> itself: the pool owns it.
/// </summary>
public sealed class ModelLease : IDisposable
{
    private readonly Action<ModelLease> _release;
    private int _released;

    internal ModelLease(LoadedModel model, TimeSpan? keepAlive, object entry, Action<ModelLease> release)
    {
        Model = model;
        Entry = entry;
        KeepAlive = keepAlive;
        _release = release;
    }

    public LoadedModel Model { get; }

    /// <summary>This caller's keep-alive (Ollama's per-request <c>keep_alive</c>); null = the pool's.</summary>
    public TimeSpan? KeepAlive { get; }

    /// <summary>The pool's record of the model, so releasing needs no search.</summary>
    internal object Entry { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
            _release(this);
    }
}
