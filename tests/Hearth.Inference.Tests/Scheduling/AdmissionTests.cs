using Hearth.Inference.Generation;
using Hearth.Inference.Pool;
using Hearth.Inference.Runtime;
using Hearth.Inference.Scheduling;
using static Hearth.Inference.Tests.Scheduling.SchedulerTestKit;

namespace Hearth.Inference.Tests.Scheduling;

/// <summary>The bounded queue, cancellation, unloading, and which requests share a scheduler.</summary>
[Collection(ModelCollection.Name)]
public sealed class AdmissionTests(ModelFiles files)
{
    [Fact]
    public void RejectsInvalidSchedulingOptionsNamingTheSetting()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ModelLoadOptions { ParallelSequences = 0 }.Validate());
        Assert.Contains("num_parallel must be between 1 and 64, got 0", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => new ModelLoadOptions { MaxQueuedRequests = -1 }.Validate());
        Assert.Contains("max queued requests must be at least 0, got -1", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => new ModelLoadOptions { ParallelSequences = 8, BatchSize = 4 }.Validate());
        Assert.Contains("num_batch (4) must be at least num_parallel (8)", ex.Message);
        Assert.Equal(1, new ModelLoadOptions().ParallelSequences);
        Assert.Equal(64, new ModelLoadOptions().MaxQueuedRequests);
        Assert.NotEqual(new ModelLoadOptions(), new ModelLoadOptions { ParallelSequences = 2 });
    }

    [Fact]
    public async Task AFullQueueRefusesTheRequestBeforeAnyChunkWithARetryAfter()
    {
        using var model = await TestModels.LoadAsync(files.Tiny, Parallel(1, maxQueued: 1));
        Task<GenerationResult> running, waiting;
        await using (await HoldLoopAsync(model))
        {
            // One request for the free slot, one allowed to wait; the third finds the queue full.
            running = model.GenerateAsync(Ask("one"), Greedy(4));
            waiting = model.GenerateAsync(Ask("two"), Greedy(4));
            var ex = await Assert.ThrowsAsync<SchedulerQueueFullException>(() => model.GenerateAsync(Ask("three"), Greedy(4)));
            Assert.InRange(ex.RetryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
            Assert.Equal(1, ex.ParallelSequences);
            Assert.Contains("the model is busy", ex.Message);

            await using var stream = model.GenerateStreamAsync(Ask("three"), Greedy(4)).GetAsyncEnumerator();
            await Assert.ThrowsAsync<SchedulerQueueFullException>(async () => await stream.MoveNextAsync());
            Assert.Equal(2, model.QueueDepth);
        }
        Assert.Equal(4, (await running).Stats.CompletionTokens);
        Assert.Equal(4, (await waiting).Stats.CompletionTokens);
    }

    [Fact]
    public async Task CancellingAQueuedRequestThrowsAndFreesItsPlace()
    {
        using var model = await TestModels.LoadAsync(files.Tiny, Parallel(1, maxQueued: 1));
        using var cts = new CancellationTokenSource();
        Task<GenerationResult> first, cancelled, replacement;
        await using (await HoldLoopAsync(model))
        {
            first = model.GenerateAsync(Ask("one"), Greedy(4));
            cancelled = model.GenerateAsync(Ask("two"), Greedy(4), cts.Token);
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
            replacement = model.GenerateAsync(Ask("three"), Greedy(4));
        }
        Assert.Equal(4, (await first).Stats.CompletionTokens);
        Assert.Equal(4, (await replacement).Stats.CompletionTokens);
    }

    [Fact]
    public async Task CancellingOneOfSeveralEndsOnlyThatOne()
    {
        using var model = await TestModels.LoadAsync(files.Tiny, Parallel(3));
        string[] questions = ["first", "second", "third"];
        var alone = new List<string>();
        foreach (var q in questions)
        {
            await model.ClearPromptCacheAsync();
            alone.Add((await model.GenerateAsync(Ask(q), Greedy(60))).Text);
        }
        await model.ClearPromptCacheAsync();

        using var cts = new CancellationTokenSource();
        Task<(string Text, GenerationResult Result)>[] streams;
        await using (await HoldLoopAsync(model))
            streams = questions.Select((q, i) => Task.Run(async () =>
            {
                var text = new System.Text.StringBuilder();
                GenerationResult? result = null;
                var chunks = 0;
                await foreach (var chunk in model.GenerateStreamAsync(Ask(q), Greedy(60), i == 1 ? cts.Token : default))
                {
                    text.Append(chunk.Text);
                    result = chunk.Result ?? result;
                    if (i == 1 && ++chunks == 3)
                        await cts.CancelAsync();
                }
                return (text.ToString(), result!);
            })).ToArray();
        var results = await Task.WhenAll(streams);

        Assert.Equal(FinishReason.Cancelled, results[1].Result.FinishReason);
        Assert.InRange(results[1].Result.Stats.CompletionTokens, 3, 59);
        Assert.Equal(results[1].Text, results[1].Result.Text);
        Assert.StartsWith(results[1].Text, alone[1]);
        foreach (var i in new[] { 0, 2 })
        {
            Assert.Equal(FinishReason.Length, results[i].Result.FinishReason);
            Assert.Equal(60, results[i].Result.Stats.CompletionTokens);
            Assert.Equal(alone[i], results[i].Text);
        }
        Assert.Equal(0, model.ActiveSequences);
    }

    [Fact]
    public async Task DisposingWhileBusyCancelsRunningRequestsAndFailsQueuedOnes()
    {
        var model = await TestModels.LoadAsync(files.Tiny, Parallel(1) with { ContextSize = 2048 });
        var running = Task.Run(() => CollectAsync(model.GenerateStreamAsync(Ask("go on forever"), Greedy(-1))));
        while (model.ActiveSequences == 0 || model.DecodeSteps < 3)
            await Task.Delay(5);
        var queued = model.GenerateAsync(Ask("my turn?"), Greedy(4));

        await Task.Run(model.Dispose);

        var (text, result) = await running;
        Assert.Equal(FinishReason.Cancelled, result.FinishReason);
        Assert.True(result.Stats.CompletionTokens > 0);
        Assert.Equal(text, result.Text);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => queued);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => model.GenerateAsync(Ask("after"), Greedy(4)));
    }

    [Fact]
    public async Task RequestsWithEqualLoadOptionsShareOneModelAndBatchTogether()
    {
        using var pool = new ModelPool();
        // Equal options built separately (as two server requests would) lease the same loaded model.
        using var a = await pool.AcquireAsync(files.Tiny, Parallel(2) with { Adapters = [] });
        using var b = await pool.AcquireAsync(files.Tiny, Parallel(2) with { Adapters = new List<AdapterReference>() });
        using var other = await pool.AcquireAsync(files.Tiny, Parallel(3));
        Assert.Same(a.Model, b.Model);
        Assert.NotSame(a.Model, other.Model);

        var stepsBefore = a.Model.DecodeSteps;
        Task<GenerationResult> fromA, fromB;
        await using (await HoldLoopAsync(a.Model))
        {
            fromA = a.Model.GenerateAsync(Ask("from a"), Greedy(10));
            fromB = b.Model.GenerateAsync(Ask("from b"), Greedy(10));
        }
        await Task.WhenAll(fromA, fromB);
        // One scheduler: both requests in the same 10 steps.
        Assert.Equal(10, a.Model.DecodeSteps - stepsBefore);
    }
}
