namespace Hearth.Cli;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var env = CliEnvironment.FromProcess();
        env.Interrupts.AttachToConsole();
        return await HearthCli.InvokeAsync(args, env);
    }
}
