namespace Hearth.Cli;

/// <summary>A user-facing failure with a message that already says what to do; printed as <c>Error: …</c>.</summary>
public sealed class CliException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
