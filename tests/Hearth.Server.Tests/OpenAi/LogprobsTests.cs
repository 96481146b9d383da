using System.Text.Json;
using OpenAI.Chat;

// ChatCompletionOptions.Seed is marked experimental by the SDK; seeds keep these random-model tests reproducible.
#pragma warning disable OPENAI001

namespace Hearth.Server.Tests.OpenAi;

/// <summary><c>logprobs</c> / <c>top_logprobs</c> on /v1/chat/completions and /v1/completions, through the OpenAI SDK and raw HTTP.</summary>
public sealed class LogprobsTests(OpenAiServer server) : IClassFixture<OpenAiServer>
{
    private static readonly ChatMessage[] Hello = [new UserChatMessage("Say hello.")];

    [Fact]
    public async Task TheSdkReadsEachTokensLogprobWithThreeAlternativesStreamedOrNot()
    {
        var options = new ChatCompletionOptions { IncludeLogProbabilities = true, TopLogProbabilityCount = 3, MaxOutputTokenCount = 16, Temperature = 0, Seed = 3 };
        var whole = (await server.Chat().CompleteChatAsync(Hello, options)).Value;

        var entries = whole.ContentTokenLogProbabilities;
        Assert.NotEmpty(entries);
        Assert.InRange(entries.Count, 1, whole.Usage.OutputTokenCount);
        // The tokens' bytes, joined, are the reply (tokens that split a character carry its pieces); the token limit
        // may cut the last character short, and its pieces keep their entries though the reply cannot show them.
        var complete = entries.Reverse().SkipWhile(e => e.Token.StartsWith("bytes:", StringComparison.Ordinal)).Reverse();
        Assert.Equal(whole.Content[0].Text, System.Text.Encoding.UTF8.GetString(complete.SelectMany(e => e.Utf8Bytes!.Value.ToArray()).ToArray()));
        foreach (var entry in entries)
        {
            Assert.InRange(entry.LogProbability, float.MinValue, 0f);
            Assert.Equal(3, entry.TopLogProbabilities.Count);
            var top = entry.TopLogProbabilities;
            for (var i = 1; i < top.Count; i++)
                Assert.True(top[i - 1].LogProbability >= top[i].LogProbability);
            Assert.InRange(top.Sum(t => Math.Exp(t.LogProbability)), 0, 1 + 1e-5);
            // The logprob is the model's own (raw logits), so the chosen token is never more likely than the first alternative.
            Assert.True(entry.LogProbability <= top[0].LogProbability);
            Assert.NotNull(entry.Utf8Bytes);
        }

        var streamed = new List<ChatTokenLogProbabilityDetails>();
        await foreach (var update in server.Chat().CompleteChatStreamingAsync(Hello, options))
            streamed.AddRange(update.ContentTokenLogProbabilities);
        Assert.Equal(entries.Count, streamed.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            Assert.Equal(entries[i].Token, streamed[i].Token);
            Assert.Equal(entries[i].LogProbability, streamed[i].LogProbability);
            Assert.Equal(entries[i].TopLogProbabilities.Select(t => (t.Token, t.LogProbability)),
                streamed[i].TopLogProbabilities.Select(t => (t.Token, t.LogProbability)));
        }
    }

    [Fact]
    public async Task ChatLogprobsHaveOpenAisJsonShape()
    {
        var (status, body) = await server.PostAsync("/v1/chat/completions",
            OpenAiServer.ChatBody(maxTokens: 8, extra: "\"temperature\":0,\"logprobs\":true,\"top_logprobs\":2"));
        Assert.Equal(200, status);
        using var document = JsonDocument.Parse(body);
        var logprobs = document.RootElement.GetProperty("choices")[0].GetProperty("logprobs");
        Assert.Equal(JsonValueKind.Null, logprobs.GetProperty("refusal").ValueKind);
        var content = logprobs.GetProperty("content");
        Assert.True(content.GetArrayLength() > 0);
        foreach (var entry in content.EnumerateArray())
        {
            Assert.Equal(JsonValueKind.String, entry.GetProperty("token").ValueKind);
            Assert.True(entry.GetProperty("logprob").GetDouble() <= 0);
            // Bytes are a list of integers, not base64.
            Assert.Equal(JsonValueKind.Array, entry.GetProperty("bytes").ValueKind);
            Assert.All(entry.GetProperty("bytes").EnumerateArray(), b => Assert.InRange(b.GetInt32(), 0, 255));
            var top = entry.GetProperty("top_logprobs");
            Assert.Equal(2, top.GetArrayLength());
            Assert.All(top.EnumerateArray(), t =>
            {
                Assert.Equal(JsonValueKind.String, t.GetProperty("token").ValueKind);
                Assert.Equal(JsonValueKind.Array, t.GetProperty("bytes").ValueKind);
                Assert.True(t.GetProperty("logprob").GetDouble() <= 0);
            });
        }
    }

    [Fact]
    public async Task LogprobsWithoutTopLogprobsGivesEntriesWithNoAlternatives()
    {
        var (status, body) = await server.PostAsync("/v1/chat/completions", OpenAiServer.ChatBody(maxTokens: 6, extra: "\"logprobs\":true"));
        Assert.Equal(200, status);
        using var document = JsonDocument.Parse(body);
        var content = document.RootElement.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("content");
        Assert.All(content.EnumerateArray(), e => Assert.Equal(0, e.GetProperty("top_logprobs").GetArrayLength()));
    }

    [Fact]
    public async Task WithoutLogprobsTheChoiceSaysNull()
    {
        var (status, body) = await server.PostAsync("/v1/chat/completions", OpenAiServer.ChatBody(maxTokens: 4, extra: "\"logprobs\":false"));
        Assert.Equal(200, status);
        using var document = JsonDocument.Parse(body);
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("choices")[0].GetProperty("logprobs").ValueKind);
    }

    [Theory]
    [InlineData("\"logprobs\":true,\"top_logprobs\":21", "'top_logprobs' must be between 0 and 20, got 21")]
    [InlineData("\"logprobs\":true,\"top_logprobs\":-1", "'top_logprobs' must be between 0 and 20, got -1")]
    [InlineData("\"top_logprobs\":2", "'top_logprobs' requires 'logprobs' to be true; got top_logprobs 2 with logprobs unset")]
    [InlineData("\"logprobs\":false,\"top_logprobs\":0", "'top_logprobs' requires 'logprobs' to be true; got top_logprobs 0 with logprobs false")]
    [InlineData("\"logprobs\":1", "'logprobs' must be a boolean, got a number (1)")]
    public async Task BadLogprobFieldsAreA400NamingThem(string extra, string message)
    {
        var (status, body) = await server.PostAsync("/v1/chat/completions", OpenAiServer.ChatBody(extra: extra));
        Assert.Equal(400, status);
        var error = OpenAiServer.Error(body);
        Assert.Equal(message, error.GetProperty("message").GetString());
        Assert.Equal(extra.Contains("top_logprobs") ? "top_logprobs" : "logprobs", error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task CompletionLogprobsListTokensLogprobsAlternativesAndOffsetsStreamedOrNot()
    {
        const string request = """{"model":"tiny","prompt":"Once upon a time","max_tokens":12,"temperature":0,"logprobs":3""";
        var (status, body) = await server.PostAsync("/v1/completions", request + "}");
        Assert.Equal(200, status);
        using var document = JsonDocument.Parse(body);
        var choice = document.RootElement.GetProperty("choices")[0];
        var text = choice.GetProperty("text").GetString()!;
        var logprobs = choice.GetProperty("logprobs");
        var tokens = logprobs.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()!).ToArray();
        var values = logprobs.GetProperty("token_logprobs").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var top = logprobs.GetProperty("top_logprobs").EnumerateArray().ToArray();
        var offsets = logprobs.GetProperty("text_offset").EnumerateArray().Select(o => o.GetInt32()).ToArray();

        Assert.NotEmpty(tokens);
        Assert.Equal(tokens.Length, values.Length);
        Assert.Equal(tokens.Length, top.Length);
        Assert.Equal(tokens.Length, offsets.Length);
        Assert.All(values, v => Assert.True(v <= 0));
        Assert.All(top, t => Assert.InRange(t.EnumerateObject().Count(), 1, 3));
        Assert.Equal(0, offsets[0]);
        Assert.Equal(offsets.Order(), offsets);
        Assert.All(offsets, o => Assert.InRange(o, 0, text.Length));
        for (var i = 0; i < tokens.Length; i++)
            if (!tokens[i].StartsWith("bytes:", StringComparison.Ordinal) && tokens[i].Length > 0 && !tokens[i].Contains('\uFFFD'))
                Assert.Equal(tokens[i], text.Substring(offsets[i], tokens[i].Length));

        var (streamStatus, streamBody) = await server.PostAsync("/v1/completions", request + ""","stream":true}""");
        Assert.Equal(200, streamStatus);
        var streamedTokens = new List<string>();
        var streamedOffsets = new List<int>();
        foreach (var e in OpenAiServer.Events(streamBody).SkipLast(1))
        {
            using var chunk = JsonDocument.Parse(e);
            var chunkLogprobs = chunk.RootElement.GetProperty("choices")[0].GetProperty("logprobs");
            if (chunkLogprobs.ValueKind == JsonValueKind.Null)
                continue;
            streamedTokens.AddRange(chunkLogprobs.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()!));
            streamedOffsets.AddRange(chunkLogprobs.GetProperty("text_offset").EnumerateArray().Select(o => o.GetInt32()));
        }
        Assert.Equal(tokens, streamedTokens);
        Assert.Equal(offsets, streamedOffsets);
    }

    [Fact]
    public async Task CompletionLogprobsAboveFiveAreA400()
    {
        var (status, body) = await server.PostAsync("/v1/completions", """{"model":"tiny","prompt":"x","logprobs":6}""");
        Assert.Equal(400, status);
        var error = OpenAiServer.Error(body);
        Assert.Equal("'logprobs' must be between 0 and 5, got 6", error.GetProperty("message").GetString());
        Assert.Equal("logprobs", error.GetProperty("param").GetString());
    }
}
