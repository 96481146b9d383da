using System.Diagnostics;
using System.Text;

namespace Hearth.Cli.Tests;

/// <summary>The outcome of one <c>hearth</c> invocation.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Out}\n--- stderr ---\n{Error}";
}

/// <summary>
/// Runs the real <c>hearth</c> entry point against a private <c>HEARTH_HOME</c>: in-process through
/// <see cref="HearthCli.InvokeAsync"/> (fast), or as a real child process through <c>Program.Main</c> (for exit codes, pipes).
/// </summary>
public sealed class CliHarness : IDisposable
{
    public CliHarness()
    {
        Home = Directory.CreateTempSubdirectory("hearth-cli-").FullName;
        Variables = new Dictionary<string, string?>
        {
            ["HEARTH_HOME"] = Home,
            // Never reach the real Hugging Face from a test: an unroutable local port unless a test sets its fake server.
            ["HEARTH_HF_ENDPOINT"] = "http://127.0.0.1:9",
        };
    }

    public string Home { get; }

    public Dictionary<string, string?> Variables { get; }

    public async Task<CliResult> RunAsync(params string[] args) => await RunWithInputAsync(null, args);

    public Task<CliResult> RunWithInputAsync(string? stdin, params string[] args) => InvokeAsync(stdin, stdin is not null, args);

    /// <summary>As if a person typed <paramref name="typed"/> at a terminal: stdin is not redirected, so chats are interactive.</summary>
    public Task<CliResult> RunInteractiveAsync(string typed, params string[] args) => InvokeAsync(typed, false, args);

    private async Task<CliResult> InvokeAsync(string? stdin, bool redirected, string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var env = new CliEnvironment
        {
            Out = output,
            Error = error,
            In = new StringReader(stdin ?? ""),
            InputRedirected = redirected,
            OutputRedirected = true,
            GetVariable = name => Variables.TryGetValue(name, out var v) ? v : Environment.GetEnvironmentVariable(name),
        };
        var code = await HearthCli.InvokeAsync(args, env);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs <c>hearth</c> as a separate process (the exact binary users run), optionally piping stdin.</summary>
    public async Task<CliResult> RunProcessAsync(string? stdin, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "hearth.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(dll);
        foreach (var a in args)
            start.ArgumentList.Add(a);
        foreach (var (k, v) in Variables)
            start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var outTask = process.StandardOutput.ReadToEndAsync();
        var errTask = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
            await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await outTask, await errTask);
    }

    public void Dispose()
    {
        try { Directory.Delete(Home, recursive: true); } catch (IOException) { }
    }
}
