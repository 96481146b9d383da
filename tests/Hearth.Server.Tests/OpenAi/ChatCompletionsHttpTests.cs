using System.Net;
using System.Text.Json;

namespace Hearth.Server.Tests.OpenAi;

/// <summary>/v1/chat/completions over raw HTTP: the SSE wire format, field checking, and what the SDK never sends.</summary>
public sealed class ChatCompletionsHttpTests(OpenAiServer server) : IClassFixture<OpenAiServer>
{
    [Fact]
    public async Task StreamStartsWithTheRoleEndsWithFinishUsageAndDone()
    {
        var (status, body) = await server.PostAsync("/v1/chat/completions",
            OpenAiServer.ChatBody(maxTokens: 8, extra: "\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
        Assert.Equal(200, status);
        var events = OpenAiServer.Events(body);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events.SkipLast(1).Select(e => JsonDocument.Parse(e).RootElement).ToArray();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        var finish = chunks[^2].GetProperty("choices")[0];
        Assert.Contains(finish.GetProperty("finish_reason").GetString(), new[] { "stop", "length" });
        Assert.All(chunks[..^2], c => Assert.Equal(JsonValueKind.Null, c.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind));
        Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
        Assert.InRange(chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32(), 0, 8);
    }

    [Fact]
    public async Task ContentMayBeAnArrayOfTextParts()
    {
        var parts = await server.PostAsync("/v1/chat/completions",
            """{"model":"tiny","temperature":0,"max_tokens":6,"messages":[{"role":"user","content":[{"type":"text","text":"hel"},{"type":"text","text":"lo"}]}]}""");
        var plain = await server.PostAsync("/v1/chat/completions", OpenAiServer.ChatBody("hello", 6, "\"temperature\":0"));
        Assert.Equal(200, parts.Status);
        using var a = JsonDocument.Parse(parts.Body);
        using var b = JsonDocument.Parse(plain.Body);
        Assert.Equal(b.RootElement.GetProperty("usage").GetRawText(), a.RootElement.GetProperty("usage").GetRawText());
        Assert.Equal(b.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(),
            a.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task DropOldestTruncationAnswersWhereTheDefaultRefuses()
    {
        var old = JsonSerializer.Serialize(OpenAiServer.TooLong("history"));
        var messages = $$"""[{"role":"system","content":"be brief"},{"role":"user","content":{{old}}},{"role":"assistant","content":"ok"},{"role":"user","content":"now?"}]""";
        var refused = await server.PostAsync("/v1/chat/completions", $$"""{"model":"tiny","max_tokens":4,"messages":{{messages}}}""");
        Assert.Equal(400, refused.Status);
        var error = OpenAiServer.Error(refused.Body);
        Assert.Equal("context_length_exceeded", error.GetProperty("code").GetString());
        Assert.Matches(@"prompt is \d+ tokens but the context is \d+ tokens", error.GetProperty("message").GetString());

        var truncated = await server.PostAsync("/v1/chat/completions", $$"""{"model":"tiny","max_tokens":4,"truncation":"drop_oldest","messages":{{messages}}}""");
        Assert.Equal(200, truncated.Status);
    }

    [Fact]
    public async Task UnknownFieldsAreIgnored()
    {
        var (status, _) = await server.PostAsync("/v1/chat/completions",
            OpenAiServer.ChatBody(extra: "\"user\":\"u1\",\"metadata\":{\"a\":\"b\"},\"store\":false,\"service_tier\":\"auto\",\"some_future_field\":[1,2]"));
        Assert.Equal(200, status);
    }

    [Theory]
    [InlineData("\"temperature\":\"hot\"", "'temperature' must be a number, got a string (\"hot\")", "temperature")]
    [InlineData("\"temperature\":3", "'temperature' must be between 0 and 2, got 3", "temperature")]
    [InlineData("\"max_tokens\":0", "'max_tokens' must be between 1 and", "max_tokens")]
    [InlineData("\"stop\":5", "'stop' must be a string or an array of strings, got a number (5)", "stop")]
    [InlineData("\"stop\":[\"ok\",7]", "'stop[1]' must be a string, got a number (7)", "stop[1]")]
    [InlineData("\"n\":2", "'n' must be 1", "n")]
    [InlineData("\"seed\":-1", "'seed' must be between 0 and 4294967295, got -1", "seed")]
    [InlineData("\"stream\":\"yes\"", "'stream' must be a boolean, got a string (\"yes\")", "stream")]
    [InlineData("\"top_k\":-1", "'top_k' must be between 0 and 2147483647, got -1", "top_k")]
    [InlineData("\"min_p\":2", "'min_p' must be between 0 and 1, got 2", "min_p")]
    [InlineData("\"repeat_penalty\":0", "'repeat_penalty' must be between 0.01 and 10, got 0", "repeat_penalty")]
    [InlineData("\"top_logprobs\":21", "'top_logprobs' must be between 0 and 20, got 21", "top_logprobs")]
    [InlineData("\"presence_penalty\":-3", "'presence_penalty' must be between -2 and 2, got -3", "presence_penalty")]
    [InlineData("\"truncation\":\"middle\"", "'truncation' must be one of 'none', 'drop_oldest', got 'middle'", "truncation")]
    [InlineData("\"response_format\":{\"type\":\"xml\"}", "'response_format.type' must be one of 'text', 'json_object', 'json_schema', got 'xml'", "response_format.type")]
    [InlineData("\"response_format\":{\"type\":\"json_schema\"}", "'response_format.json_schema' is required", "response_format.json_schema")]
    [InlineData("\"tool_choice\":\"required\"", "'tool_choice' asks for a tool call but no 'tools' were given", "tool_choice")]
    [InlineData("\"tools\":[{\"type\":\"retrieval\"}]", "tool type 'retrieval' at 'tools[0]' is not supported", "tools[0].type")]
    public async Task AWrongFieldIsA400NamingIt(string extra, string message, string param)
    {
        var (status, body) = await server.PostAsync("/v1/chat/completions", OpenAiServer.ChatBody(extra: extra));
        Assert.Equal(400, status);
        var error = OpenAiServer.Error(body);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains(message, error.GetProperty("message").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    [Theory]
    [InlineData("""{"model":"tiny"}""", "'messages' is required")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}]}""", "'model' is required")]
    [InlineData("""{"model":"tiny","messages":"hi"}""", "'messages' must be an array, got a string (\"hi\")")]
    [InlineData("""{"model":"tiny","messages":[]}""", "'messages' must contain at least one message")]
    [InlineData("""{"model":"tiny","messages":[{"role":"wizard","content":"x"}]}""", "'messages[0].role' must be one of")]
    [InlineData("""{"model":"tiny","messages":[{"role":"user"}]}""", "'messages[0].content' is required")]
    [InlineData("""{"model":"tiny","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]}]}""",
        "content part type 'image_url' at 'messages[0].content[0]' is not supported")]
    [InlineData("""{"model":"tiny","messages":[{"role":"tool","content":"42"}]}""", "'messages[0].tool_call_id' is required in a tool message")]
    [InlineData("""[1,2,3]""", "'the request body' must be an object, got an array")]
    public async Task AMalformedRequestIsA400SayingWhatIsWrong(string body, string message)
    {
        var (status, text) = await server.PostAsync("/v1/chat/completions", body);
        Assert.Equal(400, status);
        Assert.Contains(message, OpenAiServer.Error(text).GetProperty("message").GetString());
    }

    [Fact]
    public async Task MalformedJsonIsA400AndTheServerKeepsServing()
    {
        foreach (var broken in new[] { "{\"model\": \"tiny\", \"messages\": [", "not json at all", "" })
        {
            var (status, body) = await server.PostAsync("/v1/chat/completions", broken);
            Assert.Equal(400, status);
            Assert.StartsWith("malformed JSON", OpenAiServer.Error(body).GetProperty("message").GetString());
            Assert.Equal(200, (await server.PostAsync("/v1/chat/completions", OpenAiServer.ChatBody(maxTokens: 2))).Status);
        }
    }

    [Fact]
    public async Task AnOversizedBodyIsA413AndTheServerKeepsServing()
    {
        var huge = OpenAiServer.ChatBody(new string('x', OpenAiServer.MaxBodyBytes + 1024));
        var (status, body) = await server.PostAsync("/v1/chat/completions", huge);
        Assert.Equal(413, status);
        Assert.Equal("request body too large", OpenAiServer.Error(body).GetProperty("message").GetString());
        Assert.Equal(200, (await server.PostAsync("/v1/chat/completions", OpenAiServer.ChatBody(maxTokens: 2))).Status);
    }

    [Fact]
    public async Task ModelsAreListedInOpenAisShapeAndFoundById()
    {
        using var list = JsonDocument.Parse(await server.Http.GetStringAsync("/v1/models"));
        Assert.Equal("list", list.RootElement.GetProperty("object").GetString());
        var model = Assert.Single(list.RootElement.GetProperty("data").EnumerateArray());
        Assert.Equal("tiny:latest", model.GetProperty("id").GetString());
        Assert.Equal("model", model.GetProperty("object").GetString());
        Assert.Equal("hearth", model.GetProperty("owned_by").GetString());
        Assert.True(model.GetProperty("created").GetInt64() > 1_600_000_000);

        var sdkModel = (await server.Client().GetOpenAIModelClient().GetModelAsync("tiny")).Value;
        Assert.Equal("tiny:latest", sdkModel.Id);
        Assert.Equal("hearth", sdkModel.OwnedBy);

        var missing = await server.Http.GetAsync("/v1/models/nothing:here");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("model 'nothing:here' not found", OpenAiServer.Error(await missing.Content.ReadAsStringAsync()).GetProperty("message").GetString());
    }

    [Fact]
    public async Task GenerationIsCountedInTheMetrics()
    {
        await server.PostAsync("/v1/chat/completions", OpenAiServer.ChatBody(maxTokens: 4, extra: "\"stream\":true"));
        await server.PostAsync("/v1/chat/completions", OpenAiServer.ChatBody(maxTokens: 4));
        var metrics = await server.Http.GetStringAsync("/metrics");
        var count = metrics.Split('\n').Single(l => l.StartsWith("hearth_time_to_first_token_seconds_count", StringComparison.Ordinal));
        Assert.True(long.Parse(count.Split(' ')[1]) >= 1, count);
        var prompt = metrics.Split('\n').Single(l => l.StartsWith("hearth_prompt_tokens_total ", StringComparison.Ordinal));
        Assert.True(long.Parse(prompt.Split(' ')[1]) > 0, prompt);
    }

    [Fact]
    public async Task AClientLeavingMidStreamDoesNotDisturbOthers()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(OpenAiServer.ChatBody(maxTokens: 400, extra: "\"stream\":true"), System.Text.Encoding.UTF8, "application/json"),
        };
        using (var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
            using var stream = await response.Content.ReadAsStreamAsync();
            var first = new byte[6];
            await stream.ReadExactlyAsync(first);
            Assert.Equal("data: ", System.Text.Encoding.ASCII.GetString(first));
        }
        Assert.Equal(200, (await server.PostAsync("/v1/chat/completions", OpenAiServer.ChatBody(maxTokens: 2))).Status);
    }
}
