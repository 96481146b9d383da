using System.Text;
using Hearth.Inference.Chat;
using Hearth.Inference.Generation;
using Hearth.Inference.Sampling;
using LLama;

namespace Hearth.Inference.Tests;

[Collection(ModelCollection.Name)]
public sealed class GenerationTests(ModelFiles files)
{
    private static readonly Prompt Hello = Prompt.Chat([ChatMessage.User("hello there")]);
    private static readonly SamplingOptions Greedy40 = SamplingOptions.Greedy with { MaxTokens = 40, IgnoreEos = true };

    [Fact]
    public async Task GreedyGenerationIsDeterministicStreamingOrNot()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        var first = await model.GenerateAsync(Hello, Greedy40);
        var second = await model.GenerateAsync(Hello, Greedy40);
        var streamed = new StringBuilder();
        GenerationResult? final = null;
        await foreach (var chunk in model.GenerateStreamAsync(Hello, Greedy40))
        {
            streamed.Append(chunk.Text);
            final = chunk.Result ?? final;
        }
        Assert.NotEmpty(first.Text);
        Assert.Equal(first.Text, second.Text);
        Assert.Equal(first.Text, streamed.ToString());
        Assert.Equal(first.Text, final!.Text);
        Assert.Equal(ChatTemplateSource.Model, first.Template!.Source);
    }

    [Fact]
    public async Task SameSeedGivesSameOutputAndTheSeedIsReported()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        var options = new SamplingOptions { Seed = 7, MaxTokens = 30, IgnoreEos = true, Temperature = 1.5f };
        var a = await model.GenerateAsync(Prompt.Raw("once upon a time"), options);
        var b = await model.GenerateAsync(Prompt.Raw("once upon a time"), options);
        var other = await model.GenerateAsync(Prompt.Raw("once upon a time"), options with { Seed = 8 });
        Assert.Equal(a.Text, b.Text);
        Assert.NotEqual(a.Text, other.Text);
        Assert.Equal(7u, a.Stats.Seed);
    }

    [Fact]
    public async Task MaxTokensEndsWithLengthAndCountsTokensAndTimings()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        var result = await model.GenerateAsync(Hello, SamplingOptions.Greedy with { MaxTokens = 5, IgnoreEos = true });
        Assert.Equal(FinishReason.Length, result.FinishReason);
        Assert.Equal(5, result.Stats.CompletionTokens);
        Assert.Equal(model.Tokenize(model.Template.Render([ChatMessage.User("hello there")])).Length, result.Stats.PromptTokens);
        Assert.True(result.Stats.PromptEvalDuration > TimeSpan.Zero);
        Assert.True(result.Stats.EvalDuration > TimeSpan.Zero);
        Assert.InRange(result.Stats.TimeToFirstToken, result.Stats.PromptEvalDuration, result.Stats.TotalDuration);
    }

    [Fact]
    public async Task StopSequenceSplitAcrossTokensIsExcludedAndEndsGeneration()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        var free = await model.GenerateAsync(Hello, Greedy40);
        // A stop that spans several tokens: find a 4-character substring whose text comes from more than one token.
        var pieces = new List<string>();
        await foreach (var c in model.GenerateStreamAsync(Hello, Greedy40))
            if (c.Text.Length > 0)
                pieces.Add(c.Text);
        var boundary = pieces[0].Length + pieces[1].Length; // a token boundary after the second piece
        var at = Math.Max(0, boundary - 2);
        var stop = free.Text.Substring(at, 4);
        var expected = free.Text[..free.Text.IndexOf(stop, StringComparison.Ordinal)];

        var stopped = await model.GenerateAsync(Hello, Greedy40 with { Stop = [stop] });
        var streamed = new StringBuilder();
        await foreach (var c in model.GenerateStreamAsync(Hello, Greedy40 with { Stop = [stop] }))
            streamed.Append(c.Text);

        Assert.Equal(FinishReason.Stop, stopped.FinishReason);
        Assert.Equal(expected, stopped.Text);
        Assert.Equal(expected, streamed.ToString());
        Assert.DoesNotContain(stop, stopped.Text);
    }

    [Fact]
    public async Task CancellationStopsPromptlyAndLeavesTheModelUsable()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        using var cts = new CancellationTokenSource();
        var chunks = 0;
        GenerationResult? final = null;
        await foreach (var c in model.GenerateStreamAsync(Hello, SamplingOptions.Greedy with { IgnoreEos = true }, cts.Token))
        {
            if (++chunks == 3)
                await cts.CancelAsync();
            final = c.Result ?? final;
        }
        Assert.Equal(FinishReason.Cancelled, final!.FinishReason);
        // Uncancelled it would fill the 512-token context; the loop runs ahead of the reader only briefly.
        Assert.InRange(final.Stats.CompletionTokens, 3, 200);

        var after = await model.GenerateAsync(Hello, Greedy40);
        Assert.Equal(40, after.Stats.CompletionTokens);
    }

    [Fact]
    public async Task LeavingTheStreamEarlyFreesTheModelForTheNextCall()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        await foreach (var _ in model.GenerateStreamAsync(Hello, SamplingOptions.Greedy with { IgnoreEos = true }))
            break;
        var next = await model.GenerateAsync(Hello, Greedy40).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(FinishReason.Length, next.FinishReason);
    }

    [Fact]
    public async Task APromptLongerThanTheContextIsRefusedWithBothSizes()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        var tokens = Enumerable.Range(0, 600).Select(i => 300 + i % 100).ToArray();
        var ex = await Assert.ThrowsAsync<ContextOverflowException>(() => model.GenerateAsync(Prompt.FromTokens(tokens)));
        Assert.Equal("prompt is 600 tokens but the context is 512 tokens; shorten it, raise num_ctx, or ask for truncation", ex.Message);
        Assert.Equal(600, ex.PromptTokens);
        Assert.Equal(512, ex.ContextSize);
    }

    [Fact]
    public async Task KeepEndTruncationKeepsBosAndTheEndAndSaysHowMuchWasCut()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        var text = string.Concat(Enumerable.Repeat("the cat sat on the mat. ", 200));
        var options = SamplingOptions.Greedy with { MaxTokens = 8, IgnoreEos = true };
        var result = await model.GenerateAsync(Prompt.Raw(text, Truncation.KeepEnd), options);
        var full = model.Tokenize(text).Length;
        Assert.Equal(512 - 8, result.Stats.PromptTokens);
        Assert.Equal(full - (512 - 8), result.Stats.TruncatedPromptTokens);
        Assert.Equal(8, result.Stats.CompletionTokens);
    }

    [Fact]
    public async Task DropOldestMessagesKeepsTheSystemPromptAndTheLastMessage()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        var filler = string.Concat(Enumerable.Repeat("words words words ", 40));
        var messages = new List<ChatMessage> { ChatMessage.System("you are terse") };
        for (var i = 0; i < 6; i++)
        {
            messages.Add(ChatMessage.User(filler));
            messages.Add(ChatMessage.Assistant(filler));
        }
        messages.Add(ChatMessage.User("last question"));
        await Assert.ThrowsAsync<ContextOverflowException>(() => model.GenerateAsync(Prompt.Chat(messages)));

        var result = await model.GenerateAsync(Prompt.Chat(messages, Truncation.DropOldestMessages), Greedy40 with { MaxTokens = 4 });
        Assert.True(result.Stats.DroppedMessages > 0);
        var kept = messages.Take(1).Concat(messages.Skip(1 + result.Stats.DroppedMessages)).ToList();
        Assert.Equal(model.Tokenize(model.Template.Render(kept)).Length, result.Stats.PromptTokens);
        Assert.True(result.Stats.PromptTokens <= 512 - 4);
    }

    [Fact]
    public async Task DropOldestMessagesIsRefusedForRawPrompts()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        var text = string.Concat(Enumerable.Repeat("the cat sat on the mat. ", 200));
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => model.GenerateAsync(Prompt.Raw(text, Truncation.DropOldestMessages)));
        Assert.Contains("needs a chat prompt", ex.Message);
    }

    [Fact]
    public async Task GenerationThatFillsTheContextEndsWithLength()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        var tokens = Enumerable.Range(0, 500).Select(i => 300 + i % 100).ToArray();
        var result = await model.GenerateAsync(Prompt.FromTokens(tokens), SamplingOptions.Greedy with { IgnoreEos = true });
        Assert.Equal(FinishReason.Length, result.FinishReason);
        Assert.Equal(512 - 500 + 1, result.Stats.CompletionTokens);
    }

    [Fact]
    public async Task StreamedTextJoinsMultiByteCharactersSplitAcrossTokens()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        const string text = "naïve café — 日本語 🙂 done";
        var tokens = model.Tokenize(text, addBos: false);
        Assert.True(tokens.Length > text.Length / 2, "the byte-level vocabulary should split these characters into byte tokens");

        // The same decoder the generation loop uses, fed one token at a time.
        var decoder = new StreamingTokenDecoder(Encoding.UTF8, model.Model);
        var pieces = new List<string>();
        foreach (var t in tokens)
        {
            decoder.Add(t);
            pieces.Add(decoder.Read());
        }
        Assert.Equal(text, string.Concat(pieces));
        Assert.All(pieces, p => Assert.DoesNotContain('\uFFFD', p));
        Assert.Equal(text, model.Detokenize(tokens));

        // End to end: every streamed chunk is well-formed UTF-16 and the chunks add up to the result.
        var streamed = new StringBuilder();
        GenerationResult? final = null;
        await foreach (var c in model.GenerateStreamAsync(Prompt.Raw(text), Greedy40))
        {
            Assert.False(c.Text.Length > 0 && char.IsHighSurrogate(c.Text[^1]), "a chunk ended inside a surrogate pair");
            streamed.Append(c.Text);
            final = c.Result ?? final;
        }
        Assert.Equal(final!.Text, streamed.ToString());
    }

    [Fact]
    public async Task EndOfGenerationTokensIncludeTheChatTurnEnd()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        Assert.Contains(4, model.EndOfGenerationTokens); // <|im_end|>, the factory model's EOS
    }
}
