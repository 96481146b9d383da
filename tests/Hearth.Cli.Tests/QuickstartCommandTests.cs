using System.Text.Json;
using Hearth.Models.Factory;
using Hearth.Models.Tests.Fakes;

namespace Hearth.Cli.Tests;

/// <summary><c>hearth quickstart</c>, offline (no Hub reachable) and online (a local server speaking the Hub's protocol).</summary>
public sealed class QuickstartCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task OfflineItCreatesAnUntrainedModelSaysSoAndAnswers()
    {
        var r = await _cli.RunWithInputAsync("hello?", "quickstart", "--max-tokens", "6", "--seed", "2");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("offline", r.Error);
        Assert.Contains("UNTRAINED", r.Error);
        Assert.Contains("Qwen2.5-0.5B-Instruct", r.Error); // names what it would pull online
        Assert.NotEqual("", r.Out.Trim());
        Assert.Contains("hearth-small:untrained", (await _cli.RunAsync("list")).Out);
    }

    [Fact]
    public async Task ASecondRunReusesTheModel()
    {
        await _cli.RunAsync("quickstart", "--offline", "--no-chat");
        var blobs = Directory.GetFiles(Path.Combine(_cli.Home, "models", "blobs"));
        var again = await _cli.RunAsync("quickstart", "--offline", "--no-chat");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("already in the store", again.Error);
        Assert.Contains("ready: hearth run hearth-small:untrained", again.Out);
        Assert.Equal(blobs, Directory.GetFiles(Path.Combine(_cli.Home, "models", "blobs")));
    }

    [Fact]
    public async Task InteractiveQuickstartOpensTheChat()
    {
        var r = await _cli.RunInteractiveAsync("hi\n/bye\n", "quickstart", "--offline", "--max-tokens", "4");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("Chatting with hearth-small:untrained", r.Out);
    }

    [Fact]
    public async Task OnlineItPullsTheNamedInstructModel()
    {
        await using var hub = new FakeHuggingFaceServer();
        var model = Path.Combine(_cli.Home, "served.gguf");
        await ModelFactory.CreateAsync(ModelSpec.Preset("tiny") with { Seed = 11 }, model);
        hub.AddRepo("Qwen/Qwen2.5-0.5B-Instruct-GGUF",
            new FakeFile("qwen2.5-0.5b-instruct-q4_k_m.gguf", await File.ReadAllBytesAsync(model)),
            new FakeFile("qwen2.5-0.5b-instruct-q8_0.gguf", TestGguf.Bytes(seed: 5)));
        hub.CardLicenses["Qwen/Qwen2.5-0.5B-Instruct-GGUF"] = "apache-2.0";
        _cli.Variables["HEARTH_HF_ENDPOINT"] = hub.Endpoint.ToString();

        var r = await _cli.RunWithInputAsync("hello", "quickstart", "--max-tokens", "4", "--seed", "2");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("pulled qwen2.5:0.5b-instruct", r.Error);
        Assert.Contains("licence mit", r.Error); // the GGUF's own general.license wins over the model card's
        var show = JsonDocument.Parse((await _cli.RunAsync("show", "qwen2.5:0.5b-instruct", "--json")).Out).RootElement;
        Assert.Equal("llama", show.GetProperty("architecture").GetString());
    }
}
