using System.Text.Json;

namespace Hearth.Cli.Tests;

/// <summary><c>hearth run</c>: one-shot, piped, JSON, and the interactive chat's commands, on a real llama.cpp model.</summary>
public sealed class RunCommandTests : IAsyncLifetime
{
    private readonly CliHarness _cli = new();

    public async Task InitializeAsync()
    {
        var r = await _cli.RunAsync("create", "chat", "--seed", "9");
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    public Task DisposeAsync()
    {
        _cli.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task OneShotPromptPrintsAReplyAndExits()
    {
        var r = await _cli.RunAsync("run", "chat", "hello", "there", "--max-tokens", "12", "--seed", "1");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.NotEqual("", r.Out.Trim());
    }

    [Fact]
    public async Task TheSameSeedGivesTheSameReply()
    {
        var a = await _cli.RunAsync("run", "chat", "hi", "--max-tokens", "16", "--seed", "42", "--json");
        var b = await _cli.RunAsync("run", "chat", "hi", "--max-tokens", "16", "--seed", "42", "--json");
        var c = await _cli.RunAsync("run", "chat", "hi", "--max-tokens", "16", "--seed", "43", "--json");
        string Text(CliResult r) => JsonDocument.Parse(r.Out).RootElement.GetProperty("response").GetString()!;
        Assert.Equal(Text(a), Text(b));
        Assert.NotEqual(Text(a), Text(c));
    }

    [Fact]
    public async Task JsonReportsCountsReasonAndTemplate()
    {
        var r = await _cli.RunAsync("run", "chat", "count", "--max-tokens", "5", "--seed", "5", "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        var doc = JsonDocument.Parse(r.Out).RootElement;
        Assert.Equal(5, doc.GetProperty("eval_count").GetInt32());
        Assert.Equal("length", doc.GetProperty("done_reason").GetString());
        Assert.Equal("chatml", doc.GetProperty("template").GetString());
        Assert.True(doc.GetProperty("prompt_eval_count").GetInt32() > 3);
    }

    [Fact]
    public async Task PipedStdinBecomesThePrompt()
    {
        var withPipe = await _cli.RunWithInputAsync("a question from a file", "run", "chat", "--max-tokens", "4", "--json");
        var bare = await _cli.RunAsync("run", "chat", "x", "--max-tokens", "4", "--json");
        var piped = JsonDocument.Parse(withPipe.Out).RootElement.GetProperty("prompt_eval_count").GetInt32();
        Assert.True(piped > JsonDocument.Parse(bare.Out).RootElement.GetProperty("prompt_eval_count").GetInt32(), withPipe.ToString());
    }

    [Fact]
    public async Task EmptyPipedInputIsAnError()
    {
        var r = await _cli.RunWithInputAsync("", "run", "chat");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no prompt", r.Error);
    }

    [Fact]
    public async Task APromptLongerThanTheContextIsRefusedWithBothLengths()
    {
        var longPrompt = string.Join(' ', Enumerable.Repeat("word", 400));
        // llama.cpp rounds the context up to a multiple of 256; the message reports the size actually in force.
        var r = await _cli.RunAsync("run", "chat", longPrompt, "--ctx", "256");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("but the context is 256 tokens", r.Error);
        Assert.Contains("prompt is ", r.Error);
    }

    [Fact]
    public async Task TruncationHasToBeAskedForAndThenWorks()
    {
        var longPrompt = string.Join(' ', Enumerable.Repeat("word", 400));
        var r = await _cli.RunAsync("run", "chat", longPrompt, "--ctx", "256", "--truncate", "keep-end", "--max-tokens", "4");
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    [Theory]
    [InlineData("--top-p", "1.5", "top_p must be between 0 and 1, got 1.5")]
    [InlineData("--temperature", "-1", "temperature must be 0 or more")]
    [InlineData("--max-tokens", "0", "num_predict must be -1")]
    [InlineData("--truncate", "middle", "middle")]
    public async Task BadOptionsAreRejectedNamingTheOption(string option, string value, string expected)
    {
        var r = await _cli.RunAsync("run", "chat", "hi", option, value);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(expected, r.Error);
    }

    [Fact]
    public async Task AnUnknownModelListsCloseMatches()
    {
        var r = await _cli.RunAsync("run", "chta", "hi");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("model 'chta' not found", r.Error);
        Assert.Contains("chat:latest", r.Error);
    }

    [Fact]
    public async Task InteractiveChatHandlesCommandsMultiLineInputAndBye()
    {
        // An interactive session: stdin is the terminal (not redirected); the harness feeds the lines.
        var input = string.Join('\n',
            "/?",
            "hello",
            "/set temperature 0.2",
            "/set parameter num_predict 3",
            "/set top_p 7",
            "/set nonsense 1",
            "\"\"\"",
            "first line",
            "second line",
            "\"\"\"",
            "/show",
            "/clear",
            "/wat",
            "/bye",
            "never read");
        var r = await _cli.RunInteractiveAsync(input, "run", "chat", "--max-tokens", "6", "--seed", "3");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("Available commands", r.Out);
        Assert.Contains("Set parameter 'temperature' to '0.2'", r.Out);
        Assert.Contains("Set parameter 'num_predict' to '3'", r.Out);
        Assert.Contains("top_p must be between 0 and 1, got 7", r.Out);
        Assert.Contains("unknown parameter 'nonsense'", r.Out);
        Assert.Contains("temperature  0.2", r.Out);
        Assert.Contains("num_predict  3", r.Out);
        Assert.Contains("Cleared session context", r.Out);
        Assert.Contains("Unknown command '/wat'", r.Out);
        // One prompt per message or command (the multi-line message is one), none after /bye.
        Assert.Equal(11, r.Out.Split(">>> ").Length - 1);
    }

    [Fact]
    public async Task InteractiveChatEndsAtEndOfInput()
    {
        var r = await _cli.RunInteractiveAsync("hello\n", "run", "chat", "--max-tokens", "4");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("Chatting with chat:latest", r.Out);
    }

    [Fact]
    public async Task RealProcessAnswersAPipedPrompt()
    {
        var r = await _cli.RunProcessAsync("why is the sky blue?", "run", "chat", "--max-tokens", "8", "--seed", "1", "--verbose");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("eval count:           8 token(s)", r.Error);
    }
}
