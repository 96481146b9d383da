using System.Text;

namespace Hearth.Cli.Tests;

/// <summary>Ctrl-C: stops a chat reply but not the chat; otherwise cancels the command; twice lets the process die.</summary>
public sealed class InterruptTests : IAsyncLifetime
{
    private readonly CliHarness _cli = new();

    public async Task InitializeAsync() => Assert.Equal(0, (await _cli.RunAsync("create", "talker", "--seed", "4")).ExitCode);

    public Task DisposeAsync()
    {
        _cli.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void OneInterruptCancelsTheInnermostScopeThenTheCommandThenGivesUp()
    {
        using var source = new InterruptSource();
        using (var scope = source.BeginScope(CancellationToken.None))
        {
            Assert.True(source.Interrupt());
            Assert.True(scope.Interrupted);
            Assert.False(source.CommandToken.IsCancellationRequested);
        }
        Assert.True(source.Interrupt());
        Assert.True(source.CommandToken.IsCancellationRequested);
        Assert.False(source.Interrupt()); // a second Ctrl-C: the process may end
    }

    [Fact]
    public void AScopeEndsWithItsOuterToken()
    {
        using var source = new InterruptSource();
        using var outer = new CancellationTokenSource();
        using var scope = source.BeginScope(outer.Token);
        outer.Cancel();
        Assert.True(scope.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task CtrlCDuringAReplyStopsItAndTheChatGoesOn()
    {
        var interrupts = new InterruptSource();
        var output = new InterruptOnFirstReplyWriter(interrupts);
        var error = new StringWriter();
        var env = new CliEnvironment
        {
            Out = output,
            Error = error,
            In = new StringReader("tell me a long story\n/show\n/bye\n"),
            InputRedirected = false,
            OutputRedirected = true,
            Interrupts = interrupts,
            GetVariable = name => _cli.Variables.TryGetValue(name, out var v) ? v : Environment.GetEnvironmentVariable(name),
        };
        var code = await HearthCli.InvokeAsync(["run", "talker", "--max-tokens", "400", "--seed", "8"], env);
        Assert.True(code == 0, output + "\n" + error);
        Assert.True(output.Fired, "the reply produced no text to interrupt");
        Assert.Contains("(stopped)", error.ToString());
        Assert.Contains("num_predict  400", output.ToString()); // /show ran after the interrupted reply
        Assert.False(interrupts.CommandToken.IsCancellationRequested);
    }

    [Fact]
    public async Task CtrlCOutsideAReplyCancelsTheCommandWithExitCode130()
    {
        var interrupts = new InterruptSource();
        interrupts.Interrupt(); // pressed before the command got anywhere
        var error = new StringWriter();
        var env = new CliEnvironment
        {
            Out = new StringWriter(),
            Error = error,
            In = new StringReader(""),
            OutputRedirected = true,
            Interrupts = interrupts,
            GetVariable = name => _cli.Variables.TryGetValue(name, out var v) ? v : Environment.GetEnvironmentVariable(name),
        };
        var code = await HearthCli.InvokeAsync(["create", "never", "--preset", "small"], env);
        Assert.Equal(130, code);
        Assert.Contains("cancelled", error.ToString());
        Assert.DoesNotContain("never", (await _cli.RunAsync("list")).Out);
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(_cli.Home, "models", "tmp")), f => f.Contains("create-", StringComparison.Ordinal));
    }

    /// <summary>Presses Ctrl-C (in effect) as soon as the model's reply starts to appear.</summary>
    private sealed class InterruptOnFirstReplyWriter(InterruptSource interrupts) : StringWriter
    {
        private bool _prompted;

        public bool Fired { get; private set; }

        public override void Write(string? value)
        {
            base.Write(value);
            if (value == ">>> ")
                _prompted = true;
            else if (_prompted && !Fired && !string.IsNullOrEmpty(value))
            {
                Fired = true;
                interrupts.Interrupt();
            }
        }

        public override Encoding Encoding => Encoding.UTF8;
    }
}
