using System.Text;
using Hearth.Inference.Generation;
using Hearth.Inference.Sampling;
using static Hearth.Inference.Tests.Scheduling.SchedulerTestKit;

namespace Hearth.Inference.Tests.Scheduling;

/// <summary>Per-token log probabilities (<see cref="SamplingOptions.TopLogprobs"/>) through the decode scheduler, on the random-weight tiny model.</summary>
[Collection(ModelCollection.Name)]
public sealed class LogprobsTests(ModelFiles files)
{
    private static readonly Prompt Story = Prompt.Raw("once upon a time, in a land far away");

    private static SamplingOptions GreedyWithLogprobs(int maxTokens, int top = 5) => Greedy(maxTokens) with { TopLogprobs = top };

    [Fact]
    public async Task GreedyTokensAreTheTopEntryAndEveryTokenHasOne()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        var result = await model.GenerateAsync(Story, GreedyWithLogprobs(32));

        var entries = Assert.IsAssignableFrom<IReadOnlyList<TokenLogprob>>(result.Logprobs);
        Assert.Equal(result.Stats.CompletionTokens, entries.Count);
        foreach (var entry in entries)
        {
            Assert.InRange(entry.Logprob, float.MinValue, 0f);
            Assert.Equal(5, entry.TopLogprobs.Count);
            // Greedy without penalties picks the argmax of the raw logits: the first alternative, to the bit.
            Assert.Equal(entry.Token, entry.TopLogprobs[0].Token);
            Assert.Equal(entry.TopLogprobs[0].Logprob, entry.Logprob);
            AssertAlternativesAreADistribution(entry);
            Assert.Equal(TokenLogprob.TextOf(entry.Bytes), entry.Text);
        }
    }

    [Fact]
    public async Task SampledTokensKeepTheirOwnLogprobWhichMatchesTheirAlternative()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        var options = new SamplingOptions { Temperature = 1.5f, TopK = 0, TopP = 1f, Seed = 5, MaxTokens = 40, IgnoreEos = true, TopLogprobs = 20 };
        var result = await model.GenerateAsync(Story, options);

        Assert.Equal(40, result.Logprobs!.Count);
        foreach (var entry in result.Logprobs)
        {
            AssertAlternativesAreADistribution(entry);
            Assert.True(entry.Logprob <= entry.TopLogprobs[0].Logprob);
            if (entry.TopLogprobs.FirstOrDefault(t => t.Token == entry.Token) is { } same)
                Assert.Equal(same.Logprob, entry.Logprob);
            else
                Assert.True(entry.Logprob <= entry.TopLogprobs[^1].Logprob);
        }
        // At temperature 1.5 over the whole vocabulary, a random model's reply is not all argmax picks.
        Assert.Contains(result.Logprobs, e => e.Token != e.TopLogprobs[0].Token);
    }

    [Fact]
    public async Task StreamedChunksCarryTheEntriesOfTheirOwnTextAndMatchTheWholeResult()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        var whole = await model.GenerateAsync(Story, GreedyWithLogprobs(40, top: 3));

        var streamed = new List<TokenLogprob>();
        var text = new StringBuilder();
        GenerationResult? final = null;
        await foreach (var chunk in model.GenerateStreamAsync(Story, GreedyWithLogprobs(40, top: 3)))
        {
            final = chunk.Result ?? final;
            if (chunk.IsFinal)
                continue;
            var entries = Assert.IsAssignableFrom<IReadOnlyList<TokenLogprob>>(chunk.Logprobs);
            // Every entry's text begins inside this chunk's text (or, for text-less tokens, at its end).
            foreach (var entry in entries)
                Assert.InRange(entry.TextOffset, text.Length, text.Length + Math.Max(chunk.Text.Length - 1, 0));
            text.Append(chunk.Text);
            streamed.AddRange(entries);
        }

        Assert.Equal(whole.Text, text.ToString());
        AssertSameEntries(whole.Logprobs!, streamed);
        AssertSameEntries(whole.Logprobs!, final!.Logprobs!);
    }

    [Fact]
    public async Task AStopSequenceDropsTheEntriesOfItsTokens()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        var free = await model.GenerateAsync(Story, GreedyWithLogprobs(40));
        // A stop made of the text of two tokens in the middle of the greedy reply, starting at a token boundary.
        var entries = free.Logprobs!;
        var k = Enumerable.Range(entries.Count / 3, entries.Count / 2)
            .First(i => entries[i].Text.Length > 0 && entries[i + 1].Text.Length > 0 && entries[i + 2].TextOffset > entries[i].TextOffset);
        var cut = entries[k].TextOffset;
        var stop = free.Text[cut..entries[k + 2].TextOffset];
        // The stop may also occur earlier in the reply; generation stops at its first occurrence.
        var firstAt = free.Text.IndexOf(stop, StringComparison.Ordinal);

        var stopped = await model.GenerateAsync(Story, GreedyWithLogprobs(40) with { Stop = [stop] });
        Assert.Equal(FinishReason.Stop, stopped.FinishReason);
        Assert.Equal(free.Text[..firstAt], stopped.Text);
        // Exactly the tokens whose text begins before the cut keep their entries; the stop's tokens leave none.
        var kept = entries.Where(e => e.TextOffset < firstAt).ToArray();
        AssertSameEntries(kept, stopped.Logprobs!);
        Assert.True(kept.Length < entries.Count);
        Assert.All(stopped.Logprobs!, e => Assert.True(e.TextOffset < stopped.Text.Length));
    }

    [Fact]
    public async Task ConcurrentRequestsReadTheirOwnLogitsRow()
    {
        using var model = await TestModels.LoadAsync(files.Tiny, Parallel(2));
        var prompts = new[] { Story, Ask("what is the capital of france?") };
        var alone = new List<GenerationResult>();
        foreach (var prompt in prompts)
        {
            await model.ClearPromptCacheAsync();
            alone.Add(await model.GenerateAsync(prompt, GreedyWithLogprobs(24)));
        }

        await model.ClearPromptCacheAsync();
        Task<GenerationResult>[] together;
        await using (await HoldLoopAsync(model))
            together = prompts.Select(p => model.GenerateAsync(p, GreedyWithLogprobs(24))).ToArray();
        var batched = await Task.WhenAll(together);
        for (var i = 0; i < prompts.Length; i++)
        {
            Assert.Equal(alone[i].Logprobs!.Select(e => e.Token), batched[i].Logprobs!.Select(e => e.Token));
            // Batched matrix products may round differently from single-sequence ones; the distributions still agree closely.
            for (var t = 0; t < alone[i].Logprobs!.Count; t++)
                Assert.Equal(alone[i].Logprobs![t].Logprob, batched[i].Logprobs![t].Logprob, 1e-3f);
        }
    }

    [Fact]
    public async Task WithoutTopLogprobsThereAreNone()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        var result = await model.GenerateAsync(Story, Greedy(8));
        Assert.Null(result.Logprobs);
        await foreach (var chunk in model.GenerateStreamAsync(Story, Greedy(8)))
            Assert.Null(chunk.Logprobs);
    }

    [Fact]
    public async Task ZeroTopLogprobsGivesEntriesWithoutAlternatives()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        var result = await model.GenerateAsync(Story, GreedyWithLogprobs(8, top: 0));
        Assert.Equal(8, result.Logprobs!.Count);
        Assert.All(result.Logprobs, e => Assert.Empty(e.TopLogprobs));
        Assert.All(result.Logprobs, e => Assert.InRange(e.Logprob, float.MinValue, 0f));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(21)]
    public void TopLogprobsOutsideZeroToTwentyIsRefusedByName(int top)
    {
        var ex = Assert.Throws<InvalidSamplingOptionException>(() => (SamplingOptions.Greedy with { TopLogprobs = top }).Validate());
        Assert.Equal("top_logprobs", ex.Option);
        Assert.Equal($"top_logprobs must be between 0 and 20, got {top}", ex.Message);
    }

    [Fact]
    public void TopLogprobsTakesPartInEquality()
    {
        Assert.NotEqual(SamplingOptions.Greedy, SamplingOptions.Greedy with { TopLogprobs = 0 });
        Assert.Equal(SamplingOptions.Greedy with { TopLogprobs = 3 }, SamplingOptions.Greedy with { TopLogprobs = 3 });
        Assert.Equal((SamplingOptions.Greedy with { TopLogprobs = 3 }).GetHashCode(), (SamplingOptions.Greedy with { TopLogprobs = 3 }).GetHashCode());
    }

    [Theory]
    [InlineData(new byte[] { 0x68, 0x69 }, "hi")]
    [InlineData(new byte[] { 0xe2, 0x82, 0xac }, "€")]
    [InlineData(new byte[] { 0xe2, 0x82 }, "bytes:\\xe2\\x82")]
    [InlineData(new byte[0], "")]
    public void TokenTextIsItsUtf8OrItsEscapedBytes(byte[] bytes, string text) => Assert.Equal(text, TokenLogprob.TextOf(bytes));

    private static void AssertAlternativesAreADistribution(TokenLogprob entry)
    {
        var top = entry.TopLogprobs;
        Assert.Equal(top.Count, top.Select(t => t.Token).Distinct().Count());
        for (var i = 1; i < top.Count; i++)
            Assert.True(top[i - 1].Logprob >= top[i].Logprob, $"alternatives out of order at {i}: {top[i - 1].Logprob} < {top[i].Logprob}");
        Assert.All(top, t => Assert.InRange(t.Logprob, float.MinValue, 0f));
        Assert.InRange(top.Sum(t => Math.Exp(t.Logprob)), 0, 1 + 1e-5);
    }

    private static void AssertSameEntries(IReadOnlyList<TokenLogprob> expected, IReadOnlyList<TokenLogprob> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Token, actual[i].Token);
            Assert.Equal(expected[i].Logprob, actual[i].Logprob);
            Assert.Equal(expected[i].TextOffset, actual[i].TextOffset);
            Assert.Equal(expected[i].Bytes, actual[i].Bytes);
            Assert.Equal(expected[i].TopLogprobs.Select(t => (t.Token, t.Logprob)), actual[i].TopLogprobs.Select(t => (t.Token, t.Logprob)));
        }
    }
}
