using Hearth.Inference.Benchmarking;

namespace Hearth.Inference.Tests.Scheduling;

[Collection(ModelCollection.Name)]
public sealed class ConcurrencyBenchmarkTests(ModelFiles files)
{
    [Fact]
    public async Task ReportsEveryClientCountAndTheSharedPrefixScenario()
    {
        var options = new ConcurrencyBenchmarkOptions
        {
            Threads = 2, Clients = [1, 3], PromptTokens = 24, GeneratedTokens = 6, SharedPrefixTokens = 200,
        };
        var result = await ConcurrencyBenchmark.RunAsync(files.Tiny, options);

        Assert.Equal(3, result.ParallelSequences);
        Assert.True(result.RawDecodeTokensPerSecond > 0);
        Assert.Equal([1, 3], result.Runs.Select(r => r.Clients));
        Assert.Equal([6, 18], result.Runs.Select(r => r.GeneratedTokens));
        Assert.All(result.Runs, r =>
        {
            Assert.True(r.AggregateTokensPerSecond > 0);
            Assert.InRange(r.TimeToFirstTokenP50, double.Epsilon, r.TimeToFirstTokenMax);
            Assert.InRange(r.TimeToFirstTokenP95, r.TimeToFirstTokenP50, r.TimeToFirstTokenMax);
        });
        var shared = Assert.IsType<SharedPrefixRun>(result.SharedPrefix);
        Assert.Equal(200, shared.CachedPromptTokens);
        Assert.Equal(200 + 16, shared.PromptTokens);
    }

    [Fact]
    public void RejectsInvalidOptionsNamingTheSetting()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ConcurrencyBenchmarkOptions { Clients = [2, 0] }.Validate());
        Assert.Contains("clients", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => new ConcurrencyBenchmarkOptions { GeneratedTokens = 1 }.Validate());
        Assert.Contains("generated tokens must be at least 2, got 1", ex.Message);
    }
}
