using Hearth.Inference.Chat;
using Hearth.Inference.Generation;
using Hearth.Inference.Runtime;
using static Hearth.Inference.Tests.Scheduling.SchedulerTestKit;

namespace Hearth.Inference.Tests.Scheduling;

/// <summary>KV-cache reuse across requests that share a prompt prefix.</summary>
[Collection(ModelCollection.Name)]
public sealed class PromptCacheTests(ModelFiles files)
{
    // About 350 tokens of system prompt shared by the requests below.
    private static readonly string System = string.Concat(Enumerable.Repeat("you are a careful assistant who answers briefly. ", 10));

    private static int CommonPrefix(int[] a, int[] b)
    {
        var n = 0;
        while (n < a.Length && n < b.Length && a[n] == b[n])
            n++;
        return n;
    }

    private static int[] Render(LoadedModel model, string question) =>
        model.Tokenize(model.Template.Render([ChatMessage.System(System), ChatMessage.User(question)]));

    [Fact]
    public async Task ASecondRequestWithASharedPrefixReusesItAndGivesTheSameText()
    {
        using var model = await TestModels.LoadAsync(files.Tiny, Parallel(2));
        var shared = CommonPrefix(Render(model, "what is a cat?"), Render(model, "why is the sky blue?"));
        Assert.True(shared > 250, $"the prompts share only {shared} tokens");

        var first = await model.GenerateAsync(Ask("what is a cat?", System), Greedy(16));
        var second = await model.GenerateAsync(Ask("why is the sky blue?", System), Greedy(16));
        await model.ClearPromptCacheAsync();
        var uncached = await model.GenerateAsync(Ask("why is the sky blue?", System), Greedy(16));

        Assert.Equal(0, first.Stats.CachedPromptTokens);
        Assert.Equal(shared, second.Stats.CachedPromptTokens);
        Assert.Equal(0, uncached.Stats.CachedPromptTokens);
        Assert.Equal(uncached.Text, second.Text);
        Assert.Equal(uncached.Stats.PromptTokens, second.Stats.PromptTokens);
    }

    [Fact]
    public async Task RepeatingAPromptReusesAllButItsLastToken()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        var first = await model.GenerateAsync(Ask("hello there"), Greedy(24));
        var again = await model.GenerateAsync(Ask("hello there"), Greedy(24));
        // The last prompt token is evaluated again: its logits give the first reply token.
        Assert.Equal(again.Stats.PromptTokens - 1, again.Stats.CachedPromptTokens);
        Assert.Equal(first.Text, again.Text);
    }

    [Fact]
    public async Task AConversationThatGrowsReusesItsEarlierTurns()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        var turn1 = new List<ChatMessage> { ChatMessage.User("tell me a story") };
        var reply = await model.GenerateAsync(Prompt.Chat(turn1), Greedy(12));
        var turn2 = turn1.Append(ChatMessage.Assistant(reply.Text)).Append(ChatMessage.User("and then?")).ToList();
        var next = await model.GenerateAsync(Prompt.Chat(turn2), Greedy(12));

        var before = model.Tokenize(model.Template.Render(turn1));
        Assert.True(next.Stats.CachedPromptTokens >= before.Length,
            $"only {next.Stats.CachedPromptTokens} of the first turn's {before.Length} prompt tokens were reused");
    }

    [Fact]
    public async Task APrefixHeldByABusySequenceIsCopiedForTheNewRequest()
    {
        // A long window, so the first request is still generating when the second arrives.
        using var model = await TestModels.LoadAsync(files.Tiny, Parallel(2) with { ContextSize = 2048 });
        var shared = CommonPrefix(Render(model, "what is a cat?"), Render(model, "why is the sky blue?"));
        using var stopBusy = new CancellationTokenSource();
        var busy = Task.Run(async () =>
        {
            GenerationResult? last = null;
            await foreach (var chunk in model.GenerateStreamAsync(Ask("what is a cat?", System), Greedy(-1), stopBusy.Token))
                last = chunk.Result ?? last;
            return last!;
        });
        while (model.ActiveSequences == 0 || model.DecodeSteps < 3)
            await Task.Delay(5);

        var second = await model.GenerateAsync(Ask("why is the sky blue?", System), Greedy(16));
        await stopBusy.CancelAsync();
        var busyResult = await busy;
        await model.ClearPromptCacheAsync();
        var uncached = await model.GenerateAsync(Ask("why is the sky blue?", System), Greedy(16));

        // The busy request was still running (it only ends by cancellation this far from the end of its window).
        Assert.Equal(FinishReason.Cancelled, busyResult.FinishReason);
        Assert.Equal(shared, second.Stats.CachedPromptTokens);
        Assert.Equal(uncached.Text, second.Text);
    }
}
