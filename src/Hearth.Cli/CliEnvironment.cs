using Hearth.Models.Paths;
using Spectre.Console;

namespace Hearth.Cli;

/// <summary>
/// Everything a command touches outside itself: streams, environment variables, whether a person is at the terminal.
/// <see cref="FromProcess"/> gives the real ones; tests build their own to drive the same entry point in-process.
/// </summary>
public sealed class CliEnvironment
{
    private IAnsiConsole? _console;
    private IAnsiConsole? _errorConsole;

    public required TextWriter Out { get; init; }
    public required TextWriter Error { get; init; }
    public required TextReader In { get; init; }

    /// <summary>True when stdin is a pipe or file (then <c>hearth run</c> reads the prompt from it).</summary>
    public bool InputRedirected { get; init; }

    /// <summary>True when stdout is not a terminal: no colours, no live progress bars.</summary>
    public bool OutputRedirected { get; init; }

    public Func<string, string?> GetVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Where Ctrl-C goes; tests call <see cref="InterruptSource.Interrupt"/> on it directly.</summary>
    public InterruptSource Interrupts { get; init; } = new();

    public static CliEnvironment FromProcess()
    {
        System.Console.OutputEncoding = System.Text.Encoding.UTF8;
        return new CliEnvironment
        {
            Out = System.Console.Out,
            Error = System.Console.Error,
            In = System.Console.In,
            InputRedirected = System.Console.IsInputRedirected,
            OutputRedirected = System.Console.IsOutputRedirected,
        };
    }

    /// <summary>Rich output (tables, markup) on stdout.</summary>
    public IAnsiConsole Console => _console ??= CreateConsole(Out, OutputRedirected);

    /// <summary>Progress and notices go to stderr, so stdout stays clean for pipes and <c>--json</c>.</summary>
    public IAnsiConsole ErrorConsole => _errorConsole ??= CreateConsole(Error, OutputRedirected);

    public HearthPaths Paths
    {
        get
        {
            var home = GetVariable(HearthPaths.HomeVariable);
            if (string.IsNullOrWhiteSpace(home))
                home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".hearth");
            return new HearthPaths(home, GetVariable(HearthPaths.ModelsVariable));
        }
    }

    public bool Debug => GetVariable("HEARTH_DEBUG") is "1" or "true";

    private static IAnsiConsole CreateConsole(TextWriter writer, bool redirected) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(writer),
        Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
        ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
    });
}
