namespace Hearth.Cli;

public static class Program
{
    public static Task<int> Main(string[] args) => HearthCli.InvokeAsync(args, CliEnvironment.FromProcess());
}
