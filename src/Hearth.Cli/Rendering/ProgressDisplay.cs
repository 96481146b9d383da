using Spectre.Console;

namespace Hearth.Cli.Rendering;

/// <summary>
/// Shows long-running work: a live Spectre.Console progress bar on a terminal, or a plain line every 10% when
/// stderr is redirected (logs and CI stay readable). Progress always goes to stderr so stdout stays scriptable.
/// </summary>
public static class ProgressDisplay
{
    /// <summary>Runs <paramref name="work"/>, which reports (completed, total) in any unit; <paramref name="bytes"/> picks the column style.</summary>
    public static async Task<T> RunAsync<T>(CliEnvironment env, string description, bool bytes,
        Func<IProgress<(double Done, double Total, string? Status)>, Task<T>> work)
    {
        if (env.OutputRedirected || !env.ErrorConsole.Profile.Capabilities.Interactive)
            return await work(new PlainLines(env.Error, description)).ConfigureAwait(false);

        T result = default!;
        var columns = new List<ProgressColumn> { new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn() };
        if (bytes)
            columns.AddRange([new DownloadedColumn(), new TransferSpeedColumn()]);
        columns.Add(new RemainingTimeColumn());
        await env.ErrorConsole.Progress().AutoClear(false).Columns(columns.ToArray()).StartAsync(async ctx =>
        {
            var task = ctx.AddTask(Markup.Escape(description), maxValue: 1);
            var progress = new SynchronousProgress(p =>
            {
                if (p.Total > 0)
                    task.MaxValue = p.Total;
                task.Value = Math.Min(p.Done, task.MaxValue);
                if (p.Status is { } s)
                    task.Description = Markup.Escape($"{description}: {s}");
            });
            result = await work(progress).ConfigureAwait(false);
            task.Value = task.MaxValue;
        }).ConfigureAwait(false);
        return result;
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool and reorder updates).</summary>
    private sealed class SynchronousProgress(Action<(double Done, double Total, string? Status)> report) : IProgress<(double Done, double Total, string? Status)>
    {
        public void Report((double Done, double Total, string? Status) value) => report(value);
    }

    private sealed class PlainLines(TextWriter error, string description) : IProgress<(double Done, double Total, string? Status)>
    {
        private int _lastDecile = -1;
        private string? _lastStatus;

        public void Report((double Done, double Total, string? Status) value)
        {
            lock (this)
            {
                if (value.Status is { } s && s != _lastStatus)
                {
                    _lastStatus = s;
                    error.WriteLine($"{description}: {s}");
                }
                if (value.Total <= 0)
                    return;
                var decile = (int)Math.Floor(10 * Math.Clamp(value.Done / value.Total, 0, 1));
                if (decile > _lastDecile)
                {
                    _lastDecile = decile;
                    error.WriteLine($"{description}: {decile * 10}%");
                }
            }
        }
    }
}
