using System.Text.Json;
using System.Text.Json.Nodes;
using Hearth.Inference.Sampling;
using Hearth.Inference.Tests.Grammar;
using Hearth.Inference.Tools;

namespace Hearth.Inference.Tests.Tools;

/// <summary>
/// Random tool sets with random argument schemas, constrained generation on random-weight models: every call parses
/// (streamed and whole alike), names a declared tool and has arguments valid against that tool's schema.
/// </summary>
[Collection(ModelCollection.Name)]
public sealed class ConstrainedToolCallTests(ModelFiles files)
{
    [Theory]
    [InlineData(404)]
    [InlineData(505)]
    public void ConstrainedRepliesOnlyMakeValidCallsToDeclaredTools(int seed)
    {
        using var decoding = new ConstrainedDecoding(files.Tiny);
        var schemas = new RandomSchemas(seed);
        var random = new Random(seed);
        for (var round = 0; round < 5; round++)
        {
            var tools = Enumerable.Range(0, random.Next(1, 4))
                .Select(i => new ToolDefinition($"tool_{round}_{i}", "does a thing", JsonDocument.Parse(ObjectSchema(schemas)).RootElement))
                .ToArray();
            foreach (var choice in new[] { ToolChoice.Required, ToolChoice.Function(tools[^1].Name), ToolChoice.Auto })
            {
                var grammar = ToolPrompting.Grammar(tools, choice)!;
                var options = new SamplingOptions { Grammar = grammar, Temperature = 1.2f, TopK = 0, TopP = 1f };
                // Under Auto a random model mostly writes text, which ends only by chance: a short budget suffices to
                // check any calls it starts (a cut-off call is not parsed as one).
                var budget = choice.Mode == ToolChoiceMode.Auto ? 120 : 1500;
                var reply = decoding.Generate(ConstrainedDecoding.ChatPrompt("Use the tools."), options, (uint)(seed + round), budget);
                var context = $"seed {seed} round {round} {choice.Mode}";
                var parsed = ToolCallParser.Parse(reply.Text, tools);
                if (choice.Mode != ToolChoiceMode.Auto)
                {
                    Assert.True(reply.Ended, $"{context}: no end\n{reply.Text}");
                    Assert.NotEmpty(parsed.Calls);
                    Assert.Equal("", parsed.Content);
                }
                if (choice.Mode == ToolChoiceMode.Function)
                    Assert.Single(parsed.Calls);
                foreach (var call in parsed.Calls)
                {
                    var tool = Assert.Single(tools, t => t.Name == call.Name);
                    SchemaValidation.AssertValid(tool.Parameters.GetRawText(), call.Arguments, context);
                }
                var stream = new ToolCallStreamParser(tools);
                var events = new List<ToolStreamEvent>();
                foreach (var piece in reply.Text.Chunk(5))
                    events.AddRange(stream.Push(new string(piece)));
                events.AddRange(stream.Complete());
                Assert.Equal(parsed.Calls.Select(c => $"{c.Name} {c.Arguments}"), ToolCallParserTests.Collect(events).Calls);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void MaxCallsBoundsTheCallsTheGrammarLetsARandomModelWrite(int maxCalls)
    {
        using var decoding = new ConstrainedDecoding(files.Tiny);
        // Small argument objects, so that the unbounded grammar's replies hold several calls within the budget.
        var tools = new[]
        {
            new ToolDefinition("ping", null, JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement),
            new ToolDefinition("flag", null, JsonDocument.Parse("""{"type":"object","properties":{"on":{"type":"boolean"}},"required":["on"]}""").RootElement),
        };
        var bounded = new SamplingOptions { Grammar = ToolPrompting.Grammar(tools, ToolChoice.Required, maxCalls), Temperature = 1.5f, TopK = 0, TopP = 1f };
        var unbounded = bounded with { Grammar = ToolPrompting.Grammar(tools, ToolChoice.Required) };
        var mostUnbounded = 0;
        for (var seed = 1u; seed <= 6; seed++)
        {
            var reply = decoding.Generate(ConstrainedDecoding.ChatPrompt("Use the tools."), bounded, seed, 600);
            var calls = ToolCallParser.Parse(reply.Text, tools).Calls;
            Assert.True(reply.Ended, $"seed {seed}: no end\n{reply.Text}");
            Assert.InRange(calls.Count, 1, maxCalls);
            var free = decoding.Generate(ConstrainedDecoding.ChatPrompt("Use the tools."), unbounded, seed, 600);
            mostUnbounded = Math.Max(mostUnbounded, ToolCallParser.Parse(free.Text, tools).Calls.Count);
        }
        // The same seeds without the bound write more calls, so the bound is what held these replies.
        Assert.True(mostUnbounded > maxCalls, $"the unbounded grammar wrote at most {mostUnbounded} calls");
    }

    [Fact]
    public void MaxCallsOutsideItsRangeIsRefused()
    {
        var tools = new[] { new ToolDefinition("ping", null, JsonDocument.Parse("""{"type":"object"}""").RootElement) };
        Assert.Equal("maxCalls", Assert.Throws<ArgumentOutOfRangeException>(() => ToolPrompting.Grammar(tools, ToolChoice.Required, 0)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => ToolPrompting.Grammar(tools, ToolChoice.Auto, ToolPrompting.MaxCallsLimit + 1));
        (SamplingOptions.Greedy with { Grammar = ToolPrompting.Grammar(tools, ToolChoice.Auto, ToolPrompting.MaxCallsLimit) }).Validate();
    }

    // Tool arguments are objects: wrap whatever the generator made as a property when it is not one.
    private static string ObjectSchema(RandomSchemas schemas)
    {
        var schema = schemas.Next();
        if (schema["type"]?.GetValue<string>() == "object" && !schema.ContainsKey("$defs"))
            return schema.ToJsonString();
        var defs = schema["$defs"];
        schema.Remove("$defs");
        var wrapped = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject { ["value"] = schema },
            ["required"] = new JsonArray("value"),
        };
        if (defs is not null)
            wrapped["$defs"] = defs.DeepClone();
        return wrapped.ToJsonString();
    }
}
