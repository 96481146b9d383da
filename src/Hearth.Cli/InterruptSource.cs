namespace Hearth.Cli;

/// <summary>
/// What Ctrl-C means right now. While a chat reply is streaming it stops that reply and the chat goes on (as in
/// <c>ollama run</c>); otherwise the first Ctrl-C cancels the command gracefully (temp files removed, partial
/// downloads kept for resuming, exit code 130) and a second one ends the process at once.
/// </summary>
public sealed class InterruptSource : IDisposable
{
    private readonly CancellationTokenSource _command = new();
    private readonly object _gate = new();
    private InterruptScope? _scope;

    /// <summary>Cancelled by Ctrl-C when no narrower scope is active.</summary>
    public CancellationToken CommandToken => _command.Token;

    /// <summary>
    /// Starts a scope that the next Ctrl-C cancels instead of the command (e.g. one chat reply); its token is also
    /// cancelled with <paramref name="outer"/>. Dispose it when the scope ends.
    /// </summary>
    public InterruptScope BeginScope(CancellationToken outer)
    {
        var scope = new InterruptScope(this, CancellationTokenSource.CreateLinkedTokenSource(outer));
        lock (_gate)
            _scope = scope;
        return scope;
    }

    /// <summary>Handles one Ctrl-C; returns true when the process should keep running.</summary>
    public bool Interrupt()
    {
        lock (_gate)
        {
            if (_scope is { } scope && !scope.Source.IsCancellationRequested)
            {
                scope.Source.Cancel();
                return true;
            }
            if (!_command.IsCancellationRequested)
            {
                _command.Cancel();
                return true;
            }
            return false;
        }
    }

    /// <summary>Routes the console's Ctrl-C (SIGINT) here. Call once, from <c>Main</c>.</summary>
    public void AttachToConsole() => Console.CancelKeyPress += (_, e) => e.Cancel = Interrupt();

    internal void End(InterruptScope scope)
    {
        lock (_gate)
            if (ReferenceEquals(_scope, scope))
                _scope = null;
    }

    public void Dispose() => _command.Dispose();
}

/// <summary>A stretch of work that Ctrl-C cancels on its own (see <see cref="InterruptSource.BeginScope"/>).</summary>
public sealed class InterruptScope : IDisposable
{
    private readonly InterruptSource _owner;

    internal InterruptScope(InterruptSource owner, CancellationTokenSource source)
    {
        _owner = owner;
        Source = source;
    }

    internal CancellationTokenSource Source { get; }

    public CancellationToken Token => Source.Token;

    /// <summary>True when this scope was interrupted (rather than the whole command).</summary>
    public bool Interrupted => Source.IsCancellationRequested;

    public void Dispose()
    {
        _owner.End(this);
        Source.Dispose();
    }
}
