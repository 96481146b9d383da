using Hearth.Inference.Generation;
using static Hearth.Inference.Tests.Scheduling.SchedulerTestKit;

namespace Hearth.Inference.Tests.Scheduling;

/// <summary>Several requests decoded together in one batch per step.</summary>
[Collection(ModelCollection.Name)]
public sealed class BatchingTests(ModelFiles files)
{
    private static readonly Prompt[] Prompts =
    [
        Ask("hello there"),
        Ask("what is the capital of france?"),
        Prompt.Raw("once upon a time, in a land far away"),
        Ask("list three colours", system: "you are terse"),
    ];

    [Fact]
    public async Task ConcurrentGreedyRequestsGiveTheSameTextAsTheSameRequestsOneAtATime()
    {
        using var model = await TestModels.LoadAsync(files.Tiny, Parallel(4));
        var alone = new List<GenerationResult>();
        foreach (var prompt in Prompts)
        {
            await model.ClearPromptCacheAsync();
            alone.Add(await model.GenerateAsync(prompt, Greedy(48)));
        }

        await model.ClearPromptCacheAsync();
        var stepsBefore = model.DecodeSteps;
        Task<GenerationResult>[] together;
        await using (await HoldLoopAsync(model))
            together = Prompts.Select(p => model.GenerateAsync(p, Greedy(48))).ToArray();
        var batched = await Task.WhenAll(together);

        // All four in every step: one step prefills every prompt and gives each its first token, 47 more decode the rest.
        Assert.Equal(48, model.DecodeSteps - stepsBefore);
        for (var i = 0; i < Prompts.Length; i++)
        {
            Assert.Equal(48, batched[i].Stats.CompletionTokens);
            Assert.Equal(alone[i].Text, batched[i].Text);
        }
    }

    [Fact]
    public async Task EightRequestsOnFourSlotsRunFourAtATimeAndAllComplete()
    {
        using var model = await TestModels.LoadAsync(files.Tiny, Parallel(4));
        var stepsBefore = model.DecodeSteps;
        Task<GenerationResult>[] requests;
        await using (await HoldLoopAsync(model))
        {
            requests = Prompts.Concat(Prompts).Select(p => model.GenerateAsync(p, Greedy(20))).ToArray();
            Assert.Equal(8, model.QueueDepth);
        }
        var results = await Task.WhenAll(requests);

        Assert.All(results, r => Assert.Equal(20, r.Stats.CompletionTokens));
        // Two rounds of four in lockstep, 20 steps each: never more than four at once, and the second four started
        // as soon as the first left.
        Assert.Equal(40, model.DecodeSteps - stepsBefore);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(results[i].Text, results[i + 4].Text);
            // The second round found its own prompt in the slot the first round left it in.
            Assert.Equal(results[i + 4].Stats.PromptTokens - 1, results[i + 4].Stats.CachedPromptTokens);
        }
        Assert.Equal(0, model.QueueDepth);
        Assert.Equal(0, model.ActiveSequences);
    }

    [Fact]
    public async Task ALongPromptDoesNotKeepAShortOneFromStarting()
    {
        // A small n_batch splits the long prompt over many steps; the short one gets its share of the first ones.
        using var model = await TestModels.LoadAsync(files.Tiny, Parallel(2) with { BatchSize = 32 });
        var longPrompt = Prompt.FromTokens(Enumerable.Range(0, 400).Select(i => 300 + i % 100).ToArray());
        Task<GenerationResult> slow, quick;
        await using (await HoldLoopAsync(model))
        {
            slow = model.GenerateAsync(longPrompt, Greedy(1));
            quick = model.GenerateAsync(Ask("hi"), Greedy(2));
        }
        Assert.Same(quick, await Task.WhenAny(slow, quick));
        Assert.Equal(2, (await quick).Stats.CompletionTokens);
        Assert.Equal(1, (await slow).Stats.CompletionTokens);
    }

    [Fact]
    public async Task ShortRequestsFinishWhileALongOneKeepsGenerating()
    {
        using var model = await TestModels.LoadAsync(files.Tiny, Parallel(2));
        Task<GenerationResult> slow;
        Task<GenerationResult>[] quick;
        await using (await HoldLoopAsync(model))
        {
            slow = model.GenerateAsync(Prompts[0], Greedy(200));
            quick = Prompts.Skip(1).Select(p => model.GenerateAsync(p, Greedy(5))).ToArray();
        }
        // The three short ones take turns in the second slot: 5 steps each, 15 in all, against the long one's 200.
        await Task.WhenAll(quick);
        Assert.False(slow.IsCompleted);
        Assert.Equal(200, (await slow).Stats.CompletionTokens);
    }

    [Fact]
    public async Task EachSequenceHasTheWholeContextWindow()
    {
        using var model = await TestModels.LoadAsync(files.Tiny, Parallel(3));
        Assert.Equal(512, model.ContextSize);
        Assert.Equal(3 * 512, model.TotalContextSize);
        Assert.Equal(3, model.ParallelSequences);

        var tooLong = Enumerable.Range(0, 600).Select(i => 300 + i % 100).ToArray();
        var ex = await Assert.ThrowsAsync<ContextOverflowException>(() => model.GenerateAsync(Prompt.FromTokens(tooLong)));
        Assert.Equal(512, ex.ContextSize);
        Assert.Contains("prompt is 600 tokens but the context is 512 tokens", ex.Message);

        // Three 500-token prompts at once: each sequence fills its own 512 positions.
        Task<GenerationResult>[] full;
        await using (await HoldLoopAsync(model))
            full = Enumerable.Range(0, 3)
                .Select(k => model.GenerateAsync(Prompt.FromTokens(Enumerable.Range(0, 500).Select(i => 300 + (i * (k + 1)) % 100).ToArray()),
                    Greedy(-1)))
                .ToArray();
        foreach (var result in await Task.WhenAll(full))
        {
            Assert.Equal(FinishReason.Length, result.FinishReason);
            Assert.Equal(512 - 500 + 1, result.Stats.CompletionTokens);
        }
    }
}
