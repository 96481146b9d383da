using Hearth.Inference.Generation;
using Hearth.Inference.Pool;
using Hearth.Inference.Runtime;
using Hearth.Inference.Sampling;

namespace Hearth.Inference.Tests;

[Collection(ModelCollection.Name)]
public sealed class ModelPoolTests(ModelFiles files)
{
    [Fact]
    public async Task SharesOneLoadedModelBetweenLeases()
    {
        using var pool = new ModelPool();
        using var a = await pool.AcquireAsync(files.Tiny, TestModels.Options);
        using var b = await pool.AcquireAsync(files.Tiny, TestModels.Options);
        Assert.Same(a.Model, b.Model);
        var info = Assert.Single(pool.Loaded);
        Assert.Equal(2, info.Leases);
        Assert.Equal(a.Model.MemoryEstimate.TotalBytes, pool.UsedBytes);
    }

    [Fact]
    public async Task KeepAliveZeroUnloadsWhenTheLastLeaseEnds()
    {
        using var pool = new ModelPool(new ModelPoolOptions { KeepAlive = TimeSpan.Zero });
        var lease = await pool.AcquireAsync(files.Tiny, TestModels.Options);
        var model = lease.Model;
        lease.Dispose();
        Assert.Empty(pool.Loaded);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => model.GenerateAsync(Prompt.Raw("hi")));
    }

    [Fact]
    public async Task IdleModelsUnloadAfterTheKeepAlive()
    {
        using var pool = new ModelPool(new ModelPoolOptions { KeepAlive = TimeSpan.FromMilliseconds(200) });
        (await pool.AcquireAsync(files.Tiny, TestModels.Options)).Dispose();
        var idle = Assert.Single(pool.Loaded);
        Assert.NotNull(idle.ExpiresAt);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (pool.Loaded.Count > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Assert.Empty(pool.Loaded);
    }

    [Fact]
    public async Task NegativeKeepAliveKeepsModelsLoaded()
    {
        using var pool = new ModelPool(new ModelPoolOptions { KeepAlive = TimeSpan.FromMilliseconds(100) });
        (await pool.AcquireAsync(files.Tiny, TestModels.Options, keepAlive: TimeSpan.FromSeconds(-1))).Dispose();
        await Task.Delay(300);
        var kept = Assert.Single(pool.Loaded);
        Assert.Null(kept.ExpiresAt);
        Assert.True(pool.Unload(files.Tiny));
        Assert.Empty(pool.Loaded);
    }

    [Fact]
    public async Task EvictsTheLeastRecentlyUsedIdleModelToFitTheBudget()
    {
        var one = ModelMemoryEstimate.Probe(files.Tiny, TestModels.Options).TotalBytes;
        using var pool = new ModelPool(new ModelPoolOptions { MemoryBudgetBytes = one * 3 / 2 });
        var first = await pool.AcquireAsync(files.Tiny, TestModels.Options);
        var firstModel = first.Model;
        first.Dispose();
        // Different options make a second instance; only one fits.
        using var second = await pool.AcquireAsync(files.Tiny, TestModels.Options with { BatchSize = 256 });
        var loaded = Assert.Single(pool.Loaded);
        Assert.Equal(1, loaded.Leases);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => firstModel.GenerateAsync(Prompt.Raw("hi")));
    }

    [Fact]
    public async Task WaitsForABusyModelToGoIdleWhenBothDoNotFit()
    {
        var one = ModelMemoryEstimate.Probe(files.Tiny, TestModels.Options).TotalBytes;
        using var pool = new ModelPool(new ModelPoolOptions { MemoryBudgetBytes = one * 3 / 2 });
        var busy = await pool.AcquireAsync(files.Tiny, TestModels.Options);
        var waiting = pool.AcquireAsync(files.Tiny, TestModels.Options with { BatchSize = 256 });
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);
        busy.Dispose();
        using var second = await waiting.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(256, second.Model.Options.BatchSize);
    }

    [Fact]
    public async Task RefusesAModelBiggerThanTheWholeBudget()
    {
        using var pool = new ModelPool(new ModelPoolOptions { MemoryBudgetBytes = 1024 * 1024 });
        var ex = await Assert.ThrowsAsync<ModelBudgetExceededException>(() => pool.AcquireAsync(files.Tiny, TestModels.Options));
        Assert.Contains("memory budget is 1.0 MiB", ex.Message);
        Assert.True(ex.RequiredBytes > ex.BudgetBytes);
        Assert.Empty(pool.Loaded);
    }

    [Fact]
    public async Task LoadErrorsReachTheCallerAndLeaveNothingBehind()
    {
        using var pool = new ModelPool();
        var path = files.TempPath("pool-missing.gguf");
        var ex = await Assert.ThrowsAsync<ModelLoadException>(() => pool.AcquireAsync(path, TestModels.Options));
        Assert.Equal(path, ex.Path);
        Assert.Empty(pool.Loaded);
        Assert.Equal(0, pool.UsedBytes);
    }

    [Fact]
    public async Task DisposeUnloadsEverythingAndRefusesNewLeases()
    {
        var pool = new ModelPool();
        var lease = await pool.AcquireAsync(files.Tiny, TestModels.Options);
        pool.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => lease.Model.GenerateAsync(Prompt.Raw("hi")));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pool.AcquireAsync(files.Tiny, TestModels.Options));
        lease.Dispose();
    }

    [Fact]
    public async Task PooledModelsGenerate()
    {
        using var pool = new ModelPool();
        using var lease = await pool.AcquireAsync(files.Tiny, TestModels.Options);
        var result = await lease.Model.GenerateAsync(Prompt.Raw("hello"), SamplingOptions.Greedy with { MaxTokens = 3, IgnoreEos = true });
        Assert.Equal(3, result.Stats.CompletionTokens);
    }
}
