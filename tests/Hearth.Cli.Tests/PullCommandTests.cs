using System.Text.Json;
using Hearth.Models.Tests.Fakes;

namespace Hearth.Cli.Tests;

/// <summary><c>hearth pull</c> against a local server speaking the Hugging Face Hub protocol.</summary>
public sealed class PullCommandTests : IAsyncLifetime
{
    private readonly CliHarness _cli = new();
    private readonly FakeHuggingFaceServer _hub = new();

    public Task InitializeAsync()
    {
        _cli.Variables["HEARTH_HF_ENDPOINT"] = _hub.Endpoint.ToString();
        _hub.AddRepo("acme/tiny-GGUF",
            new FakeFile("tiny.Q4_0.gguf", TestGguf.Bytes(seed: 1, license: "apache-2.0")),
            new FakeFile("tiny.Q8_0.gguf", TestGguf.Bytes(seed: 2, license: "apache-2.0")));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        _cli.Dispose();
    }

    [Fact]
    public async Task PullsTheRequestedQuantAndRecordsItsLicence()
    {
        var r = await _cli.RunAsync("pull", "hf.co/acme/tiny-GGUF:Q8_0", "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        var doc = JsonDocument.Parse(r.Out).RootElement;
        Assert.Equal(TestGguf.Digest(TestGguf.Bytes(seed: 2, license: "apache-2.0")), doc.GetProperty("digest").GetString());
        Assert.Equal("apache-2.0", doc.GetProperty("license").GetString());
        Assert.Contains("pulling", r.Error); // progress goes to stderr
        var name = doc.GetProperty("name").GetString()!;
        Assert.Contains(name, (await _cli.RunAsync("list")).Out);
    }

    [Fact]
    public async Task PullsAFileReferenceUnderAChosenName()
    {
        var r = await _cli.RunAsync("pull", "hf:acme/tiny-GGUF/tiny.Q4_0.gguf", "--name", "mine");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("verified", r.Out);
        Assert.Equal(0, (await _cli.RunAsync("show", "mine")).ExitCode);
    }

    [Fact]
    public async Task ResumesAfterADroppedConnection()
    {
        _hub.DropNextDownloads(1);
        var r = await _cli.RunAsync("pull", "hf.co/acme/tiny-GGUF:Q4_0");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains(_hub.Log, l => l.Contains(" bytes=", StringComparison.Ordinal) && l.EndsWith("-> 206", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AWrongChecksumFailsAndNothingLands()
    {
        var bytes = TestGguf.Bytes(seed: 3);
        _hub.AddRepo("acme/bad-GGUF", new FakeFile("bad.Q4_0.gguf", bytes, PublishedSha256: new string('0', 64)));
        var r = await _cli.RunAsync("pull", "hf.co/acme/bad-GGUF");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("sha256", r.Error);
        Assert.DoesNotContain("bad", (await _cli.RunAsync("list")).Out);
        var blobs = Path.Combine(_cli.Home, "models", "blobs");
        Assert.True(!Directory.Exists(blobs) || Directory.GetFiles(blobs).Length == 0, "no blob may land");
    }

    [Fact]
    public async Task AnUnknownRepoOrQuantIsAClearError()
    {
        var r = await _cli.RunAsync("pull", "hf.co/acme/missing-GGUF");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("acme/missing-GGUF", r.Error);

        r = await _cli.RunAsync("pull", "hf.co/acme/tiny-GGUF:Q5_K_M");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("Q4_0", r.Error);
        Assert.Contains("Q8_0", r.Error);
    }

    [Fact]
    public async Task AStoreNameIsNotSomethingToPull()
    {
        var r = await _cli.RunAsync("pull", "llama3");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("is not a Hugging Face reference", r.Error);
    }
}
