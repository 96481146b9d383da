using System.Text.Json;

namespace Hearth.Server.Tests.OpenAi;

/// <summary>
/// <c>parallel_tool_calls: false</c> on a random-weight model: the grammar lets the model write one call and then only
/// end, so every reply holds exactly one call — and the model stops there rather than writing calls that are dropped.
/// </summary>
public sealed class ParallelToolCallsTests(OpenAiServer server) : IClassFixture<OpenAiServer>
{
    private const string Tools = """
        [{"type":"function","function":{"name":"ping","parameters":{"type":"object","properties":{}}}},
         {"type":"function","function":{"name":"flag","parameters":{"type":"object","properties":{"on":{"type":"boolean"}},"required":["on"]}}}]
        """;

    private async Task<JsonElement> AskAsync(int seed, bool parallel)
    {
        var (status, body) = await server.PostAsync("/v1/chat/completions", $$"""
            {"model":"tiny","seed":{{seed}},"temperature":1.5,"top_p":1,"max_tokens":600,"tool_choice":"required",
             "parallel_tool_calls":{{(parallel ? "true" : "false")}},"tools":{{Tools}},
             "messages":[{"role":"user","content":"Use the tools."}]}
            """);
        Assert.True(status == 200, body);
        return JsonDocument.Parse(body).RootElement;
    }

    [Fact]
    public async Task WithParallelToolCallsFalseEveryReplyHoldsExactlyOneCallAndStopsAfterIt()
    {
        var stoppedEarly = 0;
        for (var seed = 1; seed <= 5; seed++)
        {
            var single = await AskAsync(seed, parallel: false);
            var choice = single.GetProperty("choices")[0];
            Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
            var call = Assert.Single(choice.GetProperty("message").GetProperty("tool_calls").EnumerateArray());
            Assert.Contains(call.GetProperty("function").GetProperty("name").GetString(), new[] { "ping", "flag" });

            // Same seed, calls allowed in parallel: where the model writes several, the single-call reply cost fewer
            // tokens, so the grammar stopped it rather than the server trimming a longer reply.
            var many = await AskAsync(seed, parallel: true);
            if (many.GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls").GetArrayLength() > 1)
            {
                Assert.True(single.GetProperty("usage").GetProperty("completion_tokens").GetInt32()
                            < many.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), $"seed {seed}");
                stoppedEarly++;
            }
        }
        Assert.True(stoppedEarly > 0, "no seed made the model write several calls, so the bound was never tested");
    }
}
