using Hearth.Models.Pull;
using Hearth.Models.Store;

namespace Hearth.Cli.Rendering;

/// <summary>Maps the libraries' progress records onto <see cref="ProgressDisplay"/>'s (done, total, status).</summary>
internal static class StoreProgressAdapter
{
    public static IProgress<StoreProgress> From(IProgress<(double, double, string?)> target) =>
        new Relay<StoreProgress>(p => target.Report((p.Completed, p.Total, p.Status)));

    public static IProgress<PullProgress> FromPull(IProgress<(double, double, string?)> target) =>
        new Relay<PullProgress>(p => target.Report((p.Completed, p.Total, p.Status)));

    private sealed class Relay<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
