using System.Text;
using System.Text.Json;

namespace Hearth.Server.Tests.OpenAi;

/// <summary>/v1/completions (raw prompts) over HTTP, whole and streamed.</summary>
public sealed class CompletionsEndpointTests(OpenAiServer server) : IClassFixture<OpenAiServer>
{
    [Fact]
    public async Task CompletionHasTheTextCompletionShapeAndUsage()
    {
        var (status, body) = await server.PostAsync("/v1/completions", """{"model":"tiny","prompt":"Once upon a time","max_tokens":10,"temperature":0}""");
        Assert.Equal(200, status);
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        Assert.Equal("text_completion", root.GetProperty("object").GetString());
        Assert.StartsWith("cmpl-", root.GetProperty("id").GetString());
        var choice = root.GetProperty("choices")[0];
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        Assert.Equal(JsonValueKind.String, choice.GetProperty("text").ValueKind);
        Assert.Contains(choice.GetProperty("finish_reason").GetString(), new[] { "stop", "length" });
        var usage = root.GetProperty("usage");
        Assert.True(usage.GetProperty("prompt_tokens").GetInt32() > 0);
        Assert.InRange(usage.GetProperty("completion_tokens").GetInt32(), 0, 10);
    }

    [Fact]
    public async Task StreamedCompletionEqualsTheWholeOneAndEndsWithUsageThenDone()
    {
        const string request = """{"model":"tiny","prompt":["The sky is"],"max_tokens":12,"temperature":0""";
        var (_, wholeBody) = await server.PostAsync("/v1/completions", request + "}");
        var (status, body) = await server.PostAsync("/v1/completions", request + ""","stream":true,"stream_options":{"include_usage":true}}""");
        Assert.Equal(200, status);
        var events = OpenAiServer.Events(body);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events.SkipLast(1).Select(e => JsonDocument.Parse(e).RootElement).ToArray();
        Assert.All(chunks, c => Assert.Equal("text_completion", c.GetProperty("object").GetString()));
        var usageChunk = chunks[^1];
        Assert.Equal(0, usageChunk.GetProperty("choices").GetArrayLength());
        var finishChunk = chunks[^2].GetProperty("choices")[0];
        var text = new StringBuilder();
        foreach (var c in chunks.SkipLast(1))
            text.Append(c.GetProperty("choices")[0].GetProperty("text").GetString());

        using var whole = JsonDocument.Parse(wholeBody);
        Assert.Equal(whole.RootElement.GetProperty("choices")[0].GetProperty("text").GetString(), text.ToString());
        Assert.Equal(whole.RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString(), finishChunk.GetProperty("finish_reason").GetString());
        Assert.Equal(whole.RootElement.GetProperty("usage").GetRawText(), usageChunk.GetProperty("usage").GetRawText());
    }

    [Fact]
    public async Task TokenIdPromptsAreAccepted()
    {
        var (status, body) = await server.PostAsync("/v1/completions", """{"model":"tiny","prompt":[1, 60, 61, 62],"max_tokens":4}""");
        Assert.Equal(200, status);
        using var document = JsonDocument.Parse(body);
        Assert.Equal(4, document.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task KeepEndTruncationLetsALongPromptThroughWhileTheDefaultRefusesIt()
    {
        var longPrompt = JsonSerializer.Serialize(OpenAiServer.TooLong("again"));
        var refused = await server.PostAsync("/v1/completions", $$"""{"model":"tiny","prompt":{{longPrompt}},"max_tokens":4}""");
        Assert.Equal(400, refused.Status);
        Assert.Matches(@"prompt is \d+ tokens but the context is \d+ tokens", OpenAiServer.Error(refused.Body).GetProperty("message").GetString());

        var kept = await server.PostAsync("/v1/completions", $$"""{"model":"tiny","prompt":{{longPrompt}},"max_tokens":4,"truncation":"keep_end"}""");
        Assert.Equal(200, kept.Status);
    }

    [Theory]
    [InlineData("""{"model":"tiny","prompt":"x","echo":true}""", "'echo' is not supported")]
    [InlineData("""{"model":"tiny","prompt":"x","suffix":"y"}""", "'suffix' (fill-in-the-middle) is not supported")]
    [InlineData("""{"model":"tiny","prompt":"x","best_of":3}""", "'best_of' must be 1, got 3")]
    [InlineData("""{"model":"tiny","prompt":["a","b"]}""", "'prompt' must hold one prompt")]
    [InlineData("""{"model":"tiny","prompt":{"text":"x"}}""", "'prompt' must be a string, an array of strings or an array of token ids, got an object")]
    [InlineData("""{"model":"tiny"}""", "'prompt' is required")]
    [InlineData("""{"model":"tiny","prompt":"x","truncation":"drop_oldest"}""", "'truncation' must be one of 'none', 'keep_end', got 'drop_oldest'")]
    [InlineData("""{"model":"tiny","prompt":[1, 99999]}""", "token 99999 at tokens[1] is outside the vocabulary")]
    public async Task UnsupportedOrWrongFieldsAreA400NamingThem(string body, string message)
    {
        var (status, text) = await server.PostAsync("/v1/completions", body);
        Assert.Equal(400, status);
        Assert.Contains(message, OpenAiServer.Error(text).GetProperty("message").GetString());
    }
}
