namespace Hearth.Models.Store;

/// <summary>
/// A cross-process exclusive lock: a file opened with <see cref="FileShare.None"/>. On Unix .NET backs that with
/// <c>flock(LOCK_EX)</c>, which also excludes other handles in the same process, so one mechanism serves threads,
/// separate <see cref="ModelStore"/> instances and separate processes. The OS drops the lock if the process dies.
/// </summary>
public sealed class FileLock : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(15);
    private FileStream? _stream;

    private FileLock(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
    }

    public string Path { get; }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for the lock (<see cref="Timeout.InfiniteTimeSpan"/> waits until cancelled).
    /// <paramref name="onWaiting"/> runs once if the lock is busy at first, so callers can say what they wait for.
    /// </summary>
    /// <exception cref="StoreLockTimeoutException">The lock stayed busy for the whole timeout.</exception>
    public static async Task<FileLock> AcquireAsync(string path, TimeSpan timeout, CancellationToken cancellationToken = default, Action? onWaiting = null)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var started = Environment.TickCount64;
        var waited = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            IOException busy;
            try
            {
                var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                return new FileLock(path, stream);
            }
            catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException and not PathTooLongException)
            {
                busy = e;
            }
            if (!waited)
            {
                waited = true;
                onWaiting?.Invoke();
            }
            if (timeout != Timeout.InfiniteTimeSpan && Environment.TickCount64 - started > timeout.TotalMilliseconds)
                throw new StoreLockTimeoutException(path, timeout, busy);
            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _stream?.Dispose();
        _stream = null;
    }
}
