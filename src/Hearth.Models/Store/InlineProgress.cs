namespace Hearth.Models.Store;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls back on the reporting thread. <see cref="Progress{T}"/> posts to the thread
/// pool instead, so its reports can arrive out of order or after the operation has returned.
/// </summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
