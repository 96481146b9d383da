using System.Text;
using System.Text.Json;
using OllamaSharp;
using OllamaSharp.Models;
using OllamaSharp.Models.Chat;

namespace Hearth.Server.Tests.Ollama;

/// <summary>/api/chat and /api/generate through OllamaSharp, streamed and not, on the random-weight tiny model.</summary>
public sealed class OllamaGenerationTests(OllamaServer fixture) : IClassFixture<OllamaServer>
{
    private static RequestOptions Short => new() { NumPredict = 8, Seed = 7, Temperature = 0.7f };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ChatRepliesWithFinalStatsInOllamasUnits(bool stream)
    {
        var request = new ChatRequest
        {
            Model = "tiny",
            Messages = [new Message(ChatRole.System, "Be brief."), new Message(ChatRole.User, "Hello!")],
            Options = Short,
            Stream = stream,
        };
        var lines = await ToListAsync(fixture.Client.ChatAsync(request));
        var done = Assert.IsType<ChatDoneResponseStream>(lines[^1]);
        Assert.True(done.Done);
        // At most num_predict tokens; "length" when that cut the reply, "stop" when the model ended its turn first.
        Assert.InRange(done.EvalCount, 1, 8);
        Assert.Equal(done.EvalCount == 8 ? "length" : "stop", done.DoneReason);
        Assert.True(done.PromptEvalCount > 5);
        Assert.True(done.TotalDuration >= done.EvalDuration + done.PromptEvalDuration);
        Assert.True(done.EvalDuration > 0 && done.PromptEvalDuration > 0);
        Assert.All(lines, l => Assert.Equal("assistant", l!.Message.Role!.ToString()));
        var text = string.Concat(lines.Select(l => l!.Message.Content));
        Assert.False(string.IsNullOrEmpty(text));
        if (stream)
        {
            Assert.True(lines.Count > 2, "a streamed reply comes in several lines");
            Assert.Equal("", done.Message.Content); // the final object of a stream repeats nothing
        }
        else
            Assert.Single(lines);
    }

    [Fact]
    public async Task StreamedAndWholeRepliesAreTheSameForTheSameSeed()
    {
        ChatRequest Request(bool stream) => new()
        {
            Model = "tiny", Messages = [new Message(ChatRole.User, "Count to three.")], Options = Short, Stream = stream,
        };
        var streamed = string.Concat((await ToListAsync(fixture.Client.ChatAsync(Request(true)))).Select(l => l!.Message.Content));
        var whole = (await ToListAsync(fixture.Client.ChatAsync(Request(false))))[0]!.Message.Content;
        Assert.Equal(whole, streamed);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GenerateRepliesToAPromptWithASystemPrompt(bool stream)
    {
        var request = new GenerateRequest { Model = "tiny", Prompt = "Once upon a time", System = "You tell stories.", Options = Short, Stream = stream };
        var lines = await ToListAsync(fixture.Client.GenerateAsync(request));
        var done = Assert.IsType<GenerateDoneResponseStream>(lines[^1]);
        Assert.InRange(done.EvalCount, 1, 8);
        Assert.Equal(done.EvalCount == 8 ? "length" : "stop", done.DoneReason);
        Assert.False(string.IsNullOrEmpty(string.Concat(lines.Select(l => l!.Response))));
    }

    [Fact]
    public async Task RawGenerateSendsThePromptAsItIs()
    {
        var templated = await GenerateDoneAsync(new GenerateRequest { Model = "tiny", Prompt = "abc", Options = Short, Stream = false });
        var raw = await GenerateDoneAsync(new GenerateRequest { Model = "tiny", Prompt = "abc", Raw = true, Options = Short, Stream = false });
        // The chat template wraps the prompt in <|im_start|>user … <|im_end|> <|im_start|>assistant: many more tokens.
        Assert.True(raw.PromptEvalCount < templated.PromptEvalCount, $"raw {raw.PromptEvalCount} vs templated {templated.PromptEvalCount}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AJsonSchemaFormatGivesAReplyThatValidatesEvenFromARandomModel(bool stream)
    {
        using var schema = JsonDocument.Parse("""
            {"type": "object",
             "properties": {
               "name": {"type": "string", "maxLength": 10},
               "age": {"type": "integer", "minimum": 0, "maximum": 120},
               "pet": {"enum": ["cat", "dog"]}},
             "required": ["name", "age", "pet"],
             "additionalProperties": false}
            """);
        var request = new ChatRequest
        {
            Model = "tiny",
            Messages = [new Message(ChatRole.User, "Describe a person as JSON.")],
            Format = schema.RootElement,
            Options = new RequestOptions { NumPredict = 200, Seed = 3 },
            Stream = stream,
        };
        var lines = await ToListAsync(fixture.Client.ChatAsync(request));
        var done = Assert.IsType<ChatDoneResponseStream>(lines[^1]);
        Assert.Equal("stop", done.DoneReason);
        var reply = JsonDocument.Parse(string.Concat(lines.Select(l => l!.Message.Content))).RootElement;
        Assert.Equal(["age", "name", "pet"], reply.EnumerateObject().Select(p => p.Name).Order());
        Assert.True(reply.GetProperty("name").GetString()!.Length <= 10);
        Assert.InRange(reply.GetProperty("age").GetInt32(), 0, 120);
        Assert.Contains(reply.GetProperty("pet").GetString(), new[] { "cat", "dog" });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task FormatJsonKeepsTheReplyAJsonObject(int seed)
    {
        var request = new GenerateRequest { Model = "tiny", Prompt = "JSON please", Format = "json", Options = new RequestOptions { NumPredict = 64, Seed = seed }, Stream = false };
        var done = await GenerateDoneAsync(request);
        // Any JSON object has unbounded strings, which a random model may not close within num_predict: then the reply
        // is cut ("length") but still a valid beginning of an object; when it stopped by itself it is a whole object.
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(done.Response), isFinalBlock: done.DoneReason == "stop", default);
        Assert.True(reader.Read(), done.Response);
        Assert.Equal(JsonTokenType.StartObject, reader.TokenType);
        while (reader.Read())
        {
        }
        if (done.DoneReason == "stop")
            Assert.Equal(0, reader.CurrentDepth);
    }

    [Fact]
    public async Task MetricsCountTokensAndTimeToFirstToken()
    {
        await GenerateDoneAsync(new GenerateRequest { Model = "tiny", Prompt = "hi", Options = Short, Stream = true });
        var metrics = await fixture.Server.Http.GetStringAsync("/metrics");
        Assert.DoesNotContain("hearth_completion_tokens_total 0\n", metrics);
        Assert.DoesNotContain("hearth_time_to_first_token_seconds_count 0\n", metrics);
        Assert.DoesNotContain("hearth_inter_token_latency_seconds_count 0\n", metrics);
    }

    [Fact]
    public async Task StreamsAreNdjsonLines()
    {
        var response = await fixture.Server.Http.PostAsync("/api/generate",
            new StringContent("""{"model":"tiny","prompt":"hi","options":{"num_predict":4,"seed":1}}""", Encoding.UTF8, "application/json"));
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType!.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, line => Assert.Equal("tiny", JsonDocument.Parse(line).RootElement.GetProperty("model").GetString()));
        var final = JsonDocument.Parse(lines[^1]).RootElement;
        foreach (var field in new[] { "total_duration", "load_duration", "prompt_eval_count", "prompt_eval_duration", "eval_count", "eval_duration" })
            Assert.True(final.TryGetProperty(field, out _), $"final line lacks {field}: {lines[^1]}");
        Assert.True(final.GetProperty("done").GetBoolean());
    }

    private async Task<GenerateDoneResponseStream> GenerateDoneAsync(GenerateRequest request) =>
        Assert.IsType<GenerateDoneResponseStream>((await ToListAsync(fixture.Client.GenerateAsync(request)))[^1]);

    internal static async Task<List<T?>> ToListAsync<T>(IAsyncEnumerable<T?> items)
    {
        var list = new List<T?>();
        await foreach (var item in items)
            list.Add(item);
        return list;
    }
}
