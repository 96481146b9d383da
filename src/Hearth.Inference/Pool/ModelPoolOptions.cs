namespace Hearth.Inference.Pool;

/// <summary>Settings of a <see cref="ModelPool"/>, validated when the pool is created.</summary>
public sealed record ModelPoolOptions
{
    /// <summary>Ollama's default <c>OLLAMA_KEEP_ALIVE</c>.</summary>
    public static readonly TimeSpan DefaultKeepAlive = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long an idle model stays loaded after its last lease ends. Default 5 minutes (as Ollama);
    /// <see cref="TimeSpan.Zero"/> unloads at once; a negative value keeps models loaded until evicted or disposed.
    /// </summary>
    public TimeSpan KeepAlive { get; init; } = DefaultKeepAlive;

    /// <summary>
    /// Memory that loaded models may use together, by <see cref="Runtime.ModelMemoryEstimate"/>. Idle models are
    /// unloaded least-recently-used first to make room. Default: three quarters of the memory available to the process,
    /// leaving the rest to the OS, the runtime and the caller.
    /// </summary>
    public long MemoryBudgetBytes { get; init; } = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4 * 3;

    /// <summary>Clock for keep-alive timers (a fake one in tests). Default: the system clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public void Validate()
    {
        if (MemoryBudgetBytes <= 0)
            throw new ArgumentException($"memory budget must be positive, got {MemoryBudgetBytes} bytes", nameof(MemoryBudgetBytes));
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
