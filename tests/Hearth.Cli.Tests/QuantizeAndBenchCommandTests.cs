using System.Text.Json;

namespace Hearth.Cli.Tests;

/// <summary><c>hearth quantize</c> and <c>hearth bench</c> end to end.</summary>
public sealed class QuantizeAndBenchCommandTests : IAsyncLifetime
{
    private readonly CliHarness _cli = new();

    public async Task InitializeAsync() => Assert.Equal(0, (await _cli.RunAsync("create", "base", "--type", "f16")).ExitCode);

    public Task DisposeAsync()
    {
        _cli.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task QuantizeMakesASmallerModelThatRuns()
    {
        var r = await _cli.RunAsync("quantize", "base", "--to", "Q8_0", "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        var doc = JsonDocument.Parse(r.Out).RootElement;
        Assert.Equal("base:q8_0", doc.GetProperty("name").GetString());
        Assert.True(doc.GetProperty("size").GetInt64() < doc.GetProperty("source_size").GetInt64());

        var show = JsonDocument.Parse((await _cli.RunAsync("show", "base:q8_0", "--json")).Out).RootElement;
        Assert.Equal("Q8_0", show.GetProperty("quantization").GetString());
        Assert.Equal("chatml", show.GetProperty("chat_template_family").GetString());
        Assert.Equal(0, (await _cli.RunAsync("run", "base:q8_0", "hi", "--max-tokens", "3")).ExitCode);
    }

    [Fact]
    public async Task QuantizeRejectsUnknownTypesListingTheValidOnes()
    {
        var r = await _cli.RunAsync("quantize", "base", "--to", "q9_z");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("unknown quantization type 'q9_z'", r.Error);
        Assert.Contains("q4_k_m", r.Error);
        Assert.DoesNotContain("(Parameter", r.Error);
    }

    [Fact]
    public async Task QuantizeOfAnUnknownModelFailsBeforeAnyWork()
    {
        var r = await _cli.RunAsync("quantize", "nope", "--to", "q4_0");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("model 'nope' not found", r.Error);
    }

    [Fact]
    public async Task BenchComparesHearthWithTheRawLoop()
    {
        var r = await _cli.RunAsync("bench", "base", "--prompt-tokens", "16", "--generate", "8", "--repetitions", "1", "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        var doc = JsonDocument.Parse(r.Out).RootElement;
        Assert.True(doc.GetProperty("hearth").GetProperty("decode_tokens_per_second").GetDouble() > 0);
        Assert.True(doc.GetProperty("raw").GetProperty("decode_tokens_per_second").GetDouble() > 0);
        Assert.True(doc.GetProperty("decode_ratio").GetDouble() > 0);
        Assert.True(doc.GetProperty("peak_rss_bytes").GetInt64() > 1 << 20);

        var table = await _cli.RunAsync("bench", "base", "--prompt-tokens", "16", "--generate", "8", "--repetitions", "1");
        Assert.Contains("Hearth / raw", table.Out);
        Assert.Contains("llama.cpp", table.Out);
    }

    [Fact]
    public async Task BenchRejectsNonsenseSettings()
    {
        var r = await _cli.RunAsync("bench", "base", "--generate", "0");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("generate", r.Error, StringComparison.OrdinalIgnoreCase);
    }
}
