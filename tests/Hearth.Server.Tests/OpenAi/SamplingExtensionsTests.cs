using System.Text.Json;

namespace Hearth.Server.Tests.OpenAi;

/// <summary>The llama-server extensions on /v1: <c>top_k</c>, <c>min_p</c> and <c>repeat_penalty</c> reach the sampler.</summary>
public sealed class SamplingExtensionsTests(OpenAiServer server) : IClassFixture<OpenAiServer>
{
    private async Task<string> ReplyAsync(string extra)
    {
        var (status, body) = await server.PostAsync("/v1/chat/completions", OpenAiServer.ChatBody("tell me something", 12, extra));
        Assert.True(status == 200, body);
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
    }

    [Fact]
    public async Task TopKOfOneMakesDifferentSeedsAgree()
    {
        // With top_k 1 only the most likely token survives, so the seed cannot matter; without it, it does.
        var a = await ReplyAsync("\"temperature\":1.5,\"top_k\":1,\"seed\":1");
        var b = await ReplyAsync("\"temperature\":1.5,\"top_k\":1,\"seed\":2");
        Assert.Equal(a, b);
        var c = await ReplyAsync("\"temperature\":1.5,\"top_k\":0,\"top_p\":1,\"seed\":1");
        var d = await ReplyAsync("\"temperature\":1.5,\"top_k\":0,\"top_p\":1,\"seed\":2");
        Assert.NotEqual(c, d);
    }

    [Fact]
    public async Task RepeatPenaltyChangesTheGreedyReply()
    {
        var plain = await ReplyAsync("\"temperature\":0,\"repeat_penalty\":1");
        var penalised = await ReplyAsync("\"temperature\":0,\"repeat_penalty\":10");
        Assert.NotEqual(plain, penalised);
        Assert.NotEqual("", await ReplyAsync("\"temperature\":0.7,\"min_p\":0.05"));
    }
}
