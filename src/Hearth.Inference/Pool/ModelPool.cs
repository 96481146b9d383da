using Hearth.Inference.Runtime;

namespace Hearth.Inference.Pool;

/// <summary>
/// Loads models on demand and shares them: callers <see cref="AcquireAsync"/> a lease, and a model stays loaded while
/// leased and for <see cref="ModelPoolOptions.KeepAlive"/> after (Ollama's scheduler, in-process). Loaded models are
/// kept within a memory budget: idle ones are unloaded least-recently-used first to make room, a load that would only
/// fit once busy models go idle waits for that, and a model bigger than the whole budget is refused with
/// <see cref="ModelBudgetExceededException"/>. The same file with the same <see cref="ModelLoadOptions"/> is one
/// loaded instance. Thread-safe; <see cref="Dispose"/> unloads everything.
/// </summary>
public sealed class ModelPool : IDisposable
{
    private readonly ModelPoolOptions _options;
    private readonly Lock _lock = new();
    private readonly Dictionary<ModelKey, Entry> _entries = new();
    private readonly List<TaskCompletionSource> _waiters = new();
    private long _clock;
    private bool _disposed;

    public ModelPool(ModelPoolOptions? options = null)
    {
        _options = options ?? new ModelPoolOptions();
        _options.Validate();
    }

    public ModelPoolOptions Options => _options;

    /// <summary>Memory counted against the budget by the models loaded or loading now.</summary>
    public long UsedBytes
    {
        get
        {
            lock (_lock)
                return _entries.Values.Sum(e => e.Bytes);
        }
    }

    /// <summary>The models loaded now, most recently used first (what <c>ollama ps</c> shows).</summary>
    public IReadOnlyList<PooledModelInfo> Loaded
    {
        get
        {
            lock (_lock)
                return _entries.Values.Where(e => e.Model is not null).OrderByDescending(e => e.LastUsed)
                    .Select(e => new PooledModelInfo(e.Key.Path, e.Bytes, e.Leases, e.ExpiresAt,
                        e.Model!.ContextSize, e.Model.QueueDepth, e.Model.ActiveSequences)).ToList();
        }
    }

    /// <summary>
    /// Leases the model at <paramref name="path"/>, loading it first if needed. <paramref name="keepAlive"/> overrides
    /// the pool's keep-alive for when this lease is the last to end.
    /// </summary>
    /// <exception cref="ModelLoadException">The file cannot be loaded.</exception>
    /// <exception cref="ModelBudgetExceededException">The model alone needs more than the whole budget.</exception>
    public async Task<ModelLease> AcquireAsync(string path, ModelLoadOptions? options = null, TimeSpan? keepAlive = null,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new ModelLoadOptions();
        options.Validate();
        var key = new ModelKey(Path.GetFullPath(path), options);
        ModelMemoryEstimate? estimate = null;

        while (true)
        {
            Entry? entry = null;
            TaskCompletionSource? waiter = null;
            var evicted = new List<Entry>();
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_entries.TryGetValue(key, out entry))
                {
                    entry.Leases++;
                    entry.LastUsed = ++_clock;
                    StopTimer(entry);
                }
                else if (estimate is not null)
                {
                    if (TryMakeRoom(estimate.TotalBytes, evicted))
                    {
                        entry = new Entry(key, estimate.TotalBytes) { Leases = 1, LastUsed = ++_clock };
                        _entries.Add(key, entry);
                        entry.Loading = LoadAsync(entry, progress);
                    }
                    else
                    {
                        waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                        _waiters.Add(waiter);
                    }
                }
            }
            Unload(evicted);

            if (entry is not null)
            {
                try
                {
                    var model = await entry.Loading.WaitAsync(cancellationToken).ConfigureAwait(false);
                    return new ModelLease(model, keepAlive, entry, Release);
                }
                catch
                {
                    ReleaseEntry(entry, keepAlive);
                    throw;
                }
            }

            if (waiter is not null)
            {
                try
                {
                    // Woken whenever a lease ends or a model unloads; then try again.
                    await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    lock (_lock)
                        _waiters.Remove(waiter);
                }
                continue;
            }

            // Not loaded: size it up (this also checks the file) before making room for it.
            estimate = await Task.Run(() => ModelMemoryEstimate.Probe(key.Path, options), cancellationToken).ConfigureAwait(false);
            if (estimate.TotalBytes > _options.MemoryBudgetBytes)
                throw new ModelBudgetExceededException(key.Path, estimate.TotalBytes, _options.MemoryBudgetBytes);
        }
    }

    /// <summary>
    /// Unloads every idle instance of the model at <paramref name="path"/> now; leased ones unload when their last lease
    /// ends (Ollama's <c>keep_alive: 0</c>). Returns true when something was unloaded now.
    /// </summary>
    public bool Unload(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        var unloaded = new List<Entry>();
        lock (_lock)
        {
            foreach (var entry in _entries.Values.Where(e => e.Key.Path == fullPath).ToList())
            {
                if (entry.Leases == 0 && entry.Model is not null)
                {
                    Remove(entry);
                    unloaded.Add(entry);
                }
                else
                    entry.UnloadWhenIdle = true;
            }
        }
        Unload(unloaded);
        return unloaded.Count > 0;
    }

    private async Task<LoadedModel> LoadAsync(Entry entry, IProgress<double>? progress)
    {
        // Yield first: AcquireAsync calls this under its lock.
        await Task.Yield();
        LoadedModel model;
        try
        {
            model = await LoadedModel.LoadAsync(entry.Key.Path, entry.Key.Options, progress).ConfigureAwait(false);
        }
        catch
        {
            lock (_lock)
                if (_entries.TryGetValue(entry.Key, out var current) && current == entry)
                    _entries.Remove(entry.Key);
            WakeWaiters();
            throw;
        }

        var orphaned = false;
        List<Entry> idle = [];
        lock (_lock)
        {
            if (_disposed || !_entries.TryGetValue(entry.Key, out var current) || current != entry)
                orphaned = true;
            else
            {
                entry.Model = model;
                entry.Bytes = model.MemoryEstimate.TotalBytes;
                // Everyone who wanted it gave up while it loaded.
                if (entry.Leases == 0)
                    BecomeIdle(entry, null, idle);
            }
        }
        if (orphaned)
        {
            model.Dispose();
            throw new ObjectDisposedException(nameof(ModelPool), "the model pool was disposed while the model was loading");
        }
        Unload(idle);
        return model;
    }

    private void Release(ModelLease lease) => ReleaseEntry((Entry)lease.Entry, lease.KeepAlive);

    private void ReleaseEntry(Entry entry, TimeSpan? keepAlive)
    {
        var unloaded = new List<Entry>();
        lock (_lock)
        {
            if (_disposed || !_entries.TryGetValue(entry.Key, out var current) || current != entry)
                return;
            entry.Leases--;
            entry.LastUsed = ++_clock;
            if (entry.Leases == 0 && entry.Model is not null)
                BecomeIdle(entry, keepAlive, unloaded);
        }
        Unload(unloaded);
        WakeWaiters();
    }

    // Called under the lock when the last lease ends (or a load finishes with none).
    private void BecomeIdle(Entry entry, TimeSpan? keepAlive, List<Entry> unloadNow)
    {
        var duration = entry.UnloadWhenIdle ? TimeSpan.Zero : keepAlive ?? _options.KeepAlive;
        if (duration == TimeSpan.Zero)
        {
            Remove(entry);
            unloadNow.Add(entry);
        }
        else if (duration > TimeSpan.Zero)
        {
            entry.ExpiresAt = _options.TimeProvider.GetUtcNow() + duration;
            entry.Timer = _options.TimeProvider.CreateTimer(static state => ((Expiry)state!).Fire(), new Expiry(this, entry),
                duration, Timeout.InfiniteTimeSpan);
        }
    }

    private void Expire(Entry entry)
    {
        lock (_lock)
        {
            if (_disposed || entry.Leases > 0 || entry.Model is null || !_entries.TryGetValue(entry.Key, out var current) || current != entry)
                return;
            Remove(entry);
        }
        Unload([entry]);
        WakeWaiters();
    }

    // Under the lock: frees room by removing idle loaded models, least recently used first, until bytes fit.
    private bool TryMakeRoom(long bytes, List<Entry> evicted)
    {
        var used = _entries.Values.Sum(e => e.Bytes);
        if (used + bytes <= _options.MemoryBudgetBytes)
            return true;
        foreach (var idle in _entries.Values.Where(e => e.Leases == 0 && e.Model is not null).OrderBy(e => e.LastUsed).ToList())
        {
            Remove(idle);
            evicted.Add(idle);
            used -= idle.Bytes;
            if (used + bytes <= _options.MemoryBudgetBytes)
                return true;
        }
        return false;
    }

    private void Remove(Entry entry)
    {
        _entries.Remove(entry.Key);
        StopTimer(entry);
    }

    private static void StopTimer(Entry entry)
    {
        entry.Timer?.Dispose();
        entry.Timer = null;
        entry.ExpiresAt = null;
    }

    private static void Unload(IEnumerable<Entry> entries)
    {
        foreach (var e in entries)
            e.Model?.Dispose();
    }

    private void WakeWaiters()
    {
        TaskCompletionSource[] waiting;
        lock (_lock)
        {
            waiting = _waiters.ToArray();
            _waiters.Clear();
        }
        foreach (var w in waiting)
            w.TrySetResult();
    }

    /// <summary>Unloads every model, leased or not (a generation in progress ends as cancelled); later acquires throw.</summary>
    public void Dispose()
    {
        List<Entry> all;
        TaskCompletionSource[] waiting;
        lock (_lock)
        {
            if (_disposed)
                return;
            _disposed = true;
            all = _entries.Values.ToList();
            foreach (var e in all)
                StopTimer(e);
            _entries.Clear();
            waiting = _waiters.ToArray();
            _waiters.Clear();
        }
        foreach (var w in waiting)
            w.TrySetException(new ObjectDisposedException(nameof(ModelPool)));
        Unload(all);
    }

    private sealed record ModelKey(string Path, ModelLoadOptions Options);

    private sealed class Entry(ModelKey key, long bytes)
    {
        public ModelKey Key { get; } = key;
        public long Bytes { get; set; } = bytes;
        public Task<LoadedModel> Loading { get; set; } = null!;
        public LoadedModel? Model { get; set; }
        public int Leases { get; set; }
        public long LastUsed { get; set; }
        public ITimer? Timer { get; set; }
        public DateTimeOffset? ExpiresAt { get; set; }
        public bool UnloadWhenIdle { get; set; }
    }

    // The timer's state: a plain pair, so the timer holds no closure over the pool's lock-protected fields.
    private sealed class Expiry(ModelPool pool, Entry entry)
    {
        public void Fire() => pool.Expire(entry);
    }
}
