using System.Text.Json;
using OllamaSharp.Models;
using OllamaSharp.Models.Chat;

namespace Hearth.Server.Tests.Ollama;

/// <summary>Tool calls on /api/chat through OllamaSharp: declared tools, calls with schema-valid arguments, streamed and not.</summary>
public sealed class OllamaToolsTests(OllamaServer fixture) : IClassFixture<OllamaServer>
{
    private static readonly string[] Cities = ["Paris", "Oslo", "Lima"];

    // Tool definitions and calling instructions take ~900 tokens of the tiny model's byte-level vocabulary.
    private const int ToolContext = 2048;

    private static Tool Weather => new()
    {
        Function = new Function
        {
            Name = "get_weather",
            Description = "Current weather in a city",
            Parameters = new Parameters
            {
                Properties = new Dictionary<string, Property>
                {
                    ["city"] = new() { Type = "string", Enum = Cities },
                    ["unit"] = new() { Type = "string", Enum = ["celsius", "fahrenheit"] },
                },
                Required = ["city", "unit"],
            },
        },
    };

    private static Tool Time => new()
    {
        Function = new Function
        {
            Name = "get_time",
            Description = "Current time in a city",
            Parameters = new Parameters { Properties = new Dictionary<string, Property> { ["city"] = new() { Type = "string", Enum = Cities } }, Required = ["city"] },
        },
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task WithToolChoiceRequiredTheReplyCallsADeclaredToolWithValidArguments(bool stream)
    {
        using var client = OllamaServer.NewClient(fixture.Server, new ToolChoiceHandler("required"));
        var request = new ChatRequest
        {
            Model = "tiny",
            Messages = [new Message(ChatRole.User, "What is the weather in Paris?")],
            Tools = [Weather, Time],
            Options = new RequestOptions { NumPredict = 300, Seed = 11, NumCtx = ToolContext },
            Stream = stream,
        };
        var lines = await OllamaGenerationTests.ToListAsync(client.ChatAsync(request));
        var calls = lines.SelectMany(l => l!.Message.ToolCalls ?? []).ToList();
        Assert.NotEmpty(calls);
        foreach (var call in calls)
        {
            var name = call.Function!.Name;
            Assert.Contains(name, new[] { "get_weather", "get_time" });
            var arguments = call.Function.Arguments!;
            Assert.Contains(Text(arguments["city"]), Cities);
            if (name == "get_weather")
                Assert.Contains(Text(arguments["unit"]), new[] { "celsius", "fahrenheit" });
        }
        // "required" allows several calls in a row, which a random model may go on making until num_predict ends it.
        Assert.Contains(Assert.IsType<ChatDoneResponseStream>(lines[^1]).DoneReason, new[] { "stop", "length" });
    }

    [Fact]
    public async Task AToolResultInTheConversationIsAccepted()
    {
        var request = new ChatRequest
        {
            Model = "tiny",
            Messages =
            [
                new Message(ChatRole.User, "What is the weather in Oslo?"),
                new Message { Role = ChatRole.Assistant, Content = "", ToolCalls = [new Message.ToolCall { Function = new Message.Function { Name = "get_weather", Arguments = new Dictionary<string, object?> { ["city"] = "Oslo", ["unit"] = "celsius" } } }] },
                new Message { Role = ChatRole.Tool, Content = "{\"temperature\": -3}", ToolName = "get_weather" },
            ],
            Tools = [Weather],
            Options = new RequestOptions { NumPredict = 8, Seed = 2, NumCtx = ToolContext },
            Stream = false,
        };
        var lines = await OllamaGenerationTests.ToListAsync(fixture.Client.ChatAsync(request));
        var done = Assert.IsType<ChatDoneResponseStream>(Assert.Single(lines));
        Assert.True(done.PromptEvalCount > 20, "the tool call and its result are part of the prompt");
        // Whatever the random model chose (text or a call), any call it made is a declared, valid one.
        foreach (var call in done.Message.ToolCalls ?? [])
        {
            Assert.Equal("get_weather", call.Function!.Name);
            Assert.Contains(Text(call.Function.Arguments!["city"]), Cities);
        }
    }

    [Fact]
    public async Task AToolChoiceNamingAnUndeclaredToolIs400()
    {
        using var client = OllamaServer.NewClient(fixture.Server, new ToolChoiceHandler("sometimes"));
        var request = new ChatRequest { Model = "tiny", Messages = [new Message(ChatRole.User, "hi")], Tools = [Weather], Stream = false };
        var error = await Assert.ThrowsAnyAsync<Exception>(() => OllamaGenerationTests.ToListAsync(client.ChatAsync(request)));
        Assert.Contains("tool_choice", error.Message);
    }

    private static string? Text(object? value) => value switch
    {
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
        string s => s,
        _ => value?.ToString(),
    };
}
