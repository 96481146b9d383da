using System.Text;
using System.Text.Json;
using Hearth.Inference.Tools;

namespace Hearth.Inference.Tests.Tools;

public sealed class ToolCallParserTests
{
    internal static readonly ToolDefinition Weather = new("get_weather", "Weather for a city",
        JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""").RootElement);
    internal static readonly ToolDefinition Time = new("get_time", null, JsonDocument.Parse("""{"type":"object"}""").RootElement);
    internal static readonly ToolDefinition[] Tools = [Weather, Time];

    // Scenario: reply text → expected content and calls (name, arguments).
    public static TheoryData<string, string, string[]> Replies => new()
    {
        { "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>", "", ["get_weather {\"city\": \"Paris\"}"] },
        { "Let me check.\n<tool_call>{\"name\":\"get_weather\",\"arguments\":{\"city\":\"a}b\\\"\"}}</tool_call>\n<tool_call>\n{\"name\": \"get_time\", \"arguments\": {}}\n</tool_call> done",
            "Let me check.\n\n done", ["get_weather {\"city\":\"a}b\\\"\"}", "get_time {}"] },
        { "{\"name\": \"get_time\", \"parameters\": {\"tz\": \"UTC\"}}", "", ["get_time {\"tz\": \"UTC\"}"] },
        { "<|python_tag|>{\"name\": \"get_time\", \"parameters\": {}}", "", ["get_time {}"] },
        { "[TOOL_CALLS] [{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}}, {\"name\": \"get_time\", \"arguments\": \"{}\"}]", "",
            ["get_weather {\"city\": \"Oslo\"}", "get_time {}"] },
        { "[{\"name\": \"get_time\", \"arguments\": {}}]", "", ["get_time {}"] },
        { "<tool_call>{\"name\": \"launch_missiles\", \"arguments\": {}}</tool_call>", "<tool_call>{\"name\": \"launch_missiles\", \"arguments\": {}}</tool_call>", [] },
        { "<tool_call>{\"name\": \"get_time\", \"arguments\": [1]}</tool_call>", "<tool_call>{\"name\": \"get_time\", \"arguments\": [1]}</tool_call>", [] },
        { "{\"answer\": 42}", "{\"answer\": 42}", [] },
        { "  plain text < not a call > ", "plain text < not a call >", [] },
    };

    [Theory]
    [MemberData(nameof(Replies))]
    public void ParsesTheCommonFormatsAndKeepsUndeclaredOrMalformedCallsAsContent(string reply, string content, string[] calls)
    {
        var result = ToolCallParser.Parse(reply, Tools);
        Assert.Equal(content, result.Content);
        Assert.Equal(calls, result.Calls.Select(c => $"{c.Name} {c.Arguments}"));
        Assert.All(result.Calls, c => Assert.Matches("^call_[A-Za-z0-9]{24}$", c.Id));
    }

    [Theory]
    [MemberData(nameof(Replies))]
    public void StreamingGivesTheSameContentAndCallsForAnySplit(string reply, string content, string[] calls)
    {
        foreach (var size in new[] { 1, 2, 3, 7, 1000 })
        {
            var parser = new ToolCallStreamParser(Tools);
            var events = new List<ToolStreamEvent>();
            for (var i = 0; i < reply.Length; i += size)
                events.AddRange(parser.Push(reply.Substring(i, Math.Min(size, reply.Length - i))));
            events.AddRange(parser.Complete());
            var (streamedContent, streamedCalls) = Collect(events);
            Assert.Equal(content, streamedContent);
            Assert.Equal(calls, streamedCalls);
        }
    }

    internal static (string Content, string[] Calls) Collect(IEnumerable<ToolStreamEvent> events)
    {
        var content = new StringBuilder();
        var names = new List<string>();
        var arguments = new List<StringBuilder>();
        foreach (var e in events)
            switch (e)
            {
                case ContentDelta d:
                    content.Append(d.Text);
                    break;
                case ToolCallStarted s:
                    Assert.Equal(names.Count, s.Index);
                    names.Add(s.Name);
                    arguments.Add(new StringBuilder());
                    break;
                case ToolCallArgumentsDelta a:
                    arguments[a.Index].Append(a.Fragment);
                    break;
            }
        return (content.ToString(), names.Select((n, i) => $"{n} {arguments[i]}").ToArray());
    }

    [Fact]
    public void PrepareListsToolsInTheSystemMessageAndRendersHistoryAsText()
    {
        var call = new ToolCall("call_1", "get_weather", """{"city":"Paris"}""");
        var prepared = ToolPrompting.Prepare(
        [
            Chat.ChatMessage.System("Be brief."),
            Chat.ChatMessage.User("Weather and time?"),
            Chat.ChatMessage.Assistant([call, call with { Id = "call_2", Name = "get_time", Arguments = "{}" }]),
            Chat.ChatMessage.Tool("call_1", "sunny"),
            Chat.ChatMessage.Tool("call_2", "noon"),
        ], Tools, ToolChoice.Required);

        Assert.Equal(4, prepared.Count);
        Assert.StartsWith("Be brief.\n\n# Tools", prepared[0].Content);
        Assert.Contains("""{"type":"function","function":{"name":"get_weather","description":"Weather for a city","parameters":{"type":"object",""", prepared[0].Content);
        Assert.Contains("You must call at least one function.", prepared[0].Content);
        Assert.Equal("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\":\"Paris\"}}\n</tool_call>\n<tool_call>\n{\"name\": \"get_time\", \"arguments\": {}}\n</tool_call>",
            prepared[2].Content);
        Assert.Equal(Chat.ChatRole.User, prepared[3].Role);
        Assert.Equal("<tool_response>\nsunny\n</tool_response>\n<tool_response>\nnoon\n</tool_response>", prepared[3].Content);
        Assert.All(prepared, m => Assert.Null(m.ToolCalls));
    }

    [Fact]
    public void ChoicesThatCannotBeMetAreRefused()
    {
        Assert.Contains("'nope', which is not among the tools",
            Assert.Throws<ArgumentException>(() => ToolPrompting.Grammar(Tools, ToolChoice.Function("nope"))).Message);
        Assert.Throws<ArgumentException>(() => ToolPrompting.Grammar([], ToolChoice.Required));
        Assert.Null(ToolPrompting.Grammar(Tools, ToolChoice.None));
        Assert.Null(ToolPrompting.Grammar([], ToolChoice.Auto));
        var bad = new ToolDefinition("f", null, JsonDocument.Parse("""{"type":"object","properties":{"x":{"type":"string","pattern":"a"}}}""").RootElement);
        var ex = Assert.Throws<Hearth.Inference.Grammar.UnsupportedSchemaException>(() => ToolPrompting.Grammar([bad], ToolChoice.Auto));
        Assert.Contains("tool 'f'", ex.Message);
        Assert.Equal("#/properties/x", ex.SchemaPath);
    }
}
