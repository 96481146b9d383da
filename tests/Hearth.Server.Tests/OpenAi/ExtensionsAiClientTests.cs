using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Hearth.Server.Tests.OpenAi;

/// <summary>/v1 through Microsoft.Extensions.AI's <see cref="IChatClient"/> and <see cref="IEmbeddingGenerator{TInput,TEmbedding}"/> over the OpenAI SDK.</summary>
public sealed class ExtensionsAiClientTests(OpenAiServer server) : IClassFixture<OpenAiServer>
{
    private IChatClient ChatClient => server.Chat().AsIChatClient();

    [Fact]
    public async Task ChatResponseHasTextUsageAndFinishReason()
    {
        var response = await ChatClient.GetResponseAsync("Say hello.", new ChatOptions { MaxOutputTokens = 10, Temperature = 0 });
        Assert.Equal("tiny:latest", response.ModelId);
        Assert.NotNull(response.Usage);
        Assert.True(response.Usage.InputTokenCount > 0);
        Assert.InRange(response.Usage.OutputTokenCount ?? -1, 0, 10);
        Assert.Contains(response.FinishReason, new ChatFinishReason?[] { ChatFinishReason.Stop, ChatFinishReason.Length });
    }

    [Fact]
    public async Task StreamingGivesTheSameTextAsAWholeResponse()
    {
        var options = new ChatOptions { MaxOutputTokens = 20, Temperature = 0 };
        var whole = await ChatClient.GetResponseAsync("Count to three.", options);
        var streamed = new StringBuilder();
        await foreach (var update in ChatClient.GetStreamingResponseAsync("Count to three.", options))
            streamed.Append(update.Text);
        Assert.Equal(whole.Text, streamed.ToString());
    }

    [Fact]
    public async Task JsonSchemaResponseValidates()
    {
        // This client rewrites schemas for OpenAI's strict mode, moving bounds such as maxLength into descriptions, so
        // a schema whose every value is finite (enums, booleans) is what it sends intact. Greedy: it sends no seed.
        using var schema = JsonDocument.Parse(TestSchemas.Verdict);
        var options = new ChatOptions
        {
            ResponseFormat = ChatResponseFormat.ForJsonSchema(schema.RootElement.Clone(), "verdict"),
            MaxOutputTokens = 1000,
            Temperature = 0,
        };
        var response = await ChatClient.GetResponseAsync("Judge it.", options);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        TestSchemas.AssertVerdict(response.Text);
    }

    [Fact]
    public async Task RequiredToolModeReturnsAFunctionCallWithValidArguments()
    {
        using var weather = JsonDocument.Parse(TestSchemas.WeatherArguments);
        var tool = AIFunctionFactory.CreateDeclaration("get_weather", "Current weather in a city", weather.RootElement.Clone());
        var options = new ChatOptions { Tools = [tool], ToolMode = ChatToolMode.RequireAny, MaxOutputTokens = 1500, Seed = 3 };

        var response = await ChatClient.GetResponseAsync("Weather in Rome?", options);
        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToArray();
        Assert.NotEmpty(calls);
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        foreach (var call in calls)
        {
            Assert.Equal("get_weather", call.Name);
            TestSchemas.AssertWeatherArguments(JsonSerializer.Serialize(call.Arguments));
        }

        // Streamed: the client assembles the call from its deltas.
        var streamed = new List<FunctionCallContent>();
        await foreach (var update in ChatClient.GetStreamingResponseAsync("Weather in Rome?", options))
            streamed.AddRange(update.Contents.OfType<FunctionCallContent>());
        Assert.NotEmpty(streamed);
        Assert.All(streamed, c => TestSchemas.AssertWeatherArguments(JsonSerializer.Serialize(c.Arguments)));
    }

    [Fact]
    public async Task EmbeddingGeneratorGivesUnitVectorsOfTheModelsLength()
    {
        var generator = server.Embeddings().AsIEmbeddingGenerator();
        var embeddings = await generator.GenerateAsync(["first text", "second text", "first text"]);
        Assert.Equal(3, embeddings.Count);
        Assert.All(embeddings, e => Assert.Equal(64, e.Vector.Length));
        Assert.All(embeddings, e => Assert.Equal(1.0, Math.Sqrt(e.Vector.ToArray().Sum(v => (double)v * v)), 4));
        Assert.Equal(embeddings[0].Vector.ToArray(), embeddings[2].Vector.ToArray());
        Assert.NotEqual(embeddings[0].Vector.ToArray(), embeddings[1].Vector.ToArray());
        Assert.True(embeddings.Usage?.InputTokenCount > 0);
    }
}
