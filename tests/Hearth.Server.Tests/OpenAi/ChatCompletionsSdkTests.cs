using System.ClientModel;
using System.Text;
using OpenAI.Chat;

// ChatCompletionOptions.Seed is marked experimental by the SDK; seeds keep these random-model tests reproducible.
#pragma warning disable OPENAI001

namespace Hearth.Server.Tests.OpenAi;

/// <summary>/v1/chat/completions through the official OpenAI .NET SDK, streamed and not.</summary>
public sealed class ChatCompletionsSdkTests(OpenAiServer server) : IClassFixture<OpenAiServer>
{
    private static readonly ChatMessage[] Hello = [new SystemChatMessage("You are terse."), new UserChatMessage("Say hello.")];

    [Fact]
    public async Task ReplyCarriesUsageFinishReasonAndModel()
    {
        var completion = (await server.Chat().CompleteChatAsync(Hello, new ChatCompletionOptions { MaxOutputTokenCount = 12 })).Value;
        Assert.StartsWith("chatcmpl-", completion.Id);
        Assert.Equal("tiny:latest", completion.Model);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.InRange(completion.Usage.OutputTokenCount, 0, 12);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
        Assert.Contains(completion.FinishReason, new[] { ChatFinishReason.Stop, ChatFinishReason.Length });
        if (completion.Usage.OutputTokenCount == 12)
            Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
    }

    [Fact]
    public async Task StreamedReplyEqualsTheWholeOneAndEndsWithUsage()
    {
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 24, Temperature = 0 };
        var whole = (await server.Chat().CompleteChatAsync(Hello, options)).Value;

        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in server.Chat().CompleteChatStreamingAsync(Hello, new ChatCompletionOptions { MaxOutputTokenCount = 24, Temperature = 0 }))
        {
            foreach (var part in update.ContentUpdate)
                text.Append(part.Text);
            finish = update.FinishReason ?? finish;
            usage = update.Usage ?? usage;
        }
        Assert.Equal(whole.Content.Count == 0 ? "" : whole.Content[0].Text, text.ToString());
        Assert.Equal(whole.FinishReason, finish);
        // The SDK asks for stream_options.include_usage, so the last chunk has the counts.
        Assert.NotNull(usage);
        Assert.Equal(whole.Usage.InputTokenCount, usage.InputTokenCount);
        Assert.Equal(whole.Usage.OutputTokenCount, usage.OutputTokenCount);
    }

    [Fact]
    public async Task JsonSchemaReplyParsesAndValidatesEvenFromARandomModel()
    {
        var format = ChatResponseFormat.CreateJsonSchemaFormat("person", BinaryData.FromString(TestSchemas.Person), jsonSchemaIsStrict: true);
        foreach (var temperature in new[] { 0f, 1f })
        {
            // Room for the bounded whitespace a random model may put at every place JSON allows it.
            var options = new ChatCompletionOptions { ResponseFormat = format, MaxOutputTokenCount = 1000, Temperature = temperature, Seed = 11 };
            var completion = (await server.Chat().CompleteChatAsync([new UserChatMessage("Describe a person as JSON.")], options)).Value;
            Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
            TestSchemas.AssertPerson(completion.Content[0].Text);

            var streamed = new StringBuilder();
            await foreach (var update in server.Chat().CompleteChatStreamingAsync([new UserChatMessage("Describe a person as JSON.")], options))
                foreach (var part in update.ContentUpdate)
                    streamed.Append(part.Text);
            TestSchemas.AssertPerson(streamed.ToString());
        }
    }

    [Fact]
    public async Task JsonObjectFormatGivesAJsonObject()
    {
        var options = new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat(), MaxOutputTokenCount = 1000, Seed = 5 };
        var completion = (await server.Chat().CompleteChatAsync([new UserChatMessage("Answer in JSON.")], options)).Value;
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(System.Text.Json.JsonValueKind.Object, System.Text.Json.JsonDocument.Parse(completion.Content[0].Text).RootElement.ValueKind);
    }

    [Fact]
    public async Task RequiredToolChoiceGivesACallOfADeclaredToolWithValidArguments()
    {
        var options = WeatherOptions(ChatToolChoice.CreateRequiredChoice());
        var completion = (await server.Chat().CompleteChatAsync([new UserChatMessage("Weather in Paris?")], options)).Value;
        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        Assert.NotEmpty(completion.ToolCalls);
        foreach (var call in completion.ToolCalls)
        {
            Assert.StartsWith("call_", call.Id);
            TestSchemas.AssertToolArguments(call.FunctionName, call.FunctionArguments.ToString());
        }
    }

    [Fact]
    public async Task StreamedToolCallsArriveAsNameThenArgumentFragmentsAndValidate()
    {
        var options = WeatherOptions(ChatToolChoice.CreateFunctionChoice("get_weather"));
        var names = new Dictionary<int, string>();
        var ids = new Dictionary<int, string>();
        var arguments = new Dictionary<int, StringBuilder>();
        ChatFinishReason? finish = null;
        await foreach (var update in server.Chat().CompleteChatStreamingAsync([new UserChatMessage("Weather in Oslo?")], options))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                if (call.FunctionName is { } name)
                {
                    Assert.False(names.ContainsKey(call.Index), "a tool call's name is sent once, first");
                    names[call.Index] = name;
                    ids[call.Index] = call.ToolCallId;
                }
                Assert.True(names.ContainsKey(call.Index), "argument fragments follow the name");
                if (call.FunctionArgumentsUpdate is { } fragment && !fragment.ToMemory().IsEmpty)
                    (arguments.TryGetValue(call.Index, out var sb) ? sb : arguments[call.Index] = new StringBuilder()).Append(fragment.ToString());
            }
            finish = update.FinishReason ?? finish;
        }
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.NotEmpty(names);
        Assert.All(names.Values, n => Assert.Equal("get_weather", n));
        Assert.All(ids.Values, id => Assert.StartsWith("call_", id));
        Assert.All(names.Keys, i => TestSchemas.AssertWeatherArguments(arguments[i].ToString()));
    }

    [Fact]
    public async Task WithoutParallelToolCallsExactlyOneCallIsReturnedStreamedOrNot()
    {
        var options = WeatherOptions(ChatToolChoice.CreateRequiredChoice());
        options.AllowParallelToolCalls = false;
        var completion = (await server.Chat().CompleteChatAsync([new UserChatMessage("Weather and time in Lima?")], options)).Value;
        var call = Assert.Single(completion.ToolCalls);
        TestSchemas.AssertToolArguments(call.FunctionName, call.FunctionArguments.ToString());

        var indexes = new HashSet<int>();
        await foreach (var update in server.Chat().CompleteChatStreamingAsync([new UserChatMessage("Weather and time in Lima?")], options))
            foreach (var part in update.ToolCallUpdates)
                indexes.Add(part.Index);
        Assert.Equal([0], indexes);
    }

    [Fact]
    public async Task AConversationWithAToolResultIsAnswered()
    {
        var call = ChatToolCall.CreateFunctionToolCall("call_1", "get_weather", BinaryData.FromString("""{"city":"Paris","unit":"c"}"""));
        ChatMessage[] messages =
        [
            new UserChatMessage("Weather in Paris?"),
            new AssistantChatMessage([call]),
            new ToolChatMessage("call_1", """{"temperature": 21}"""),
        ];
        var options = WeatherOptions(ChatToolChoice.CreateNoneChoice());
        var completion = (await server.Chat().CompleteChatAsync(messages, options)).Value;
        var questionOnly = (await server.Chat().CompleteChatAsync([messages[0]], options)).Value;
        Assert.Empty(completion.ToolCalls);
        Assert.Contains(completion.FinishReason, new[] { ChatFinishReason.Stop, ChatFinishReason.Length });
        // The call and its result reach the prompt (rendered as turns the template knows).
        Assert.True(completion.Usage.InputTokenCount > questionOnly.Usage.InputTokenCount + 10);
    }

    [Fact]
    public async Task UnknownModelIsA404WithTheOpenAiErrorShape()
    {
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => server.Chat("no-such-model").CompleteChatAsync(Hello));
        Assert.Equal(404, ex.Status);
        Assert.Contains("model 'no-such-model' not found", ex.Message);
        var raw = await server.PostAsync("/v1/chat/completions", """{"model":"no-such-model","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(404, raw.Status);
        var error = OpenAiServer.Error(raw.Body);
        Assert.Equal("not_found_error", error.GetProperty("type").GetString());
        Assert.Equal("model", error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task AnUnsupportedSchemaKeywordIsA400NamingIt()
    {
        var schema = """{"type":"object","properties":{"code":{"type":"string","pattern":"^[A-Z]+$"}}}""";
        var options = new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("code", BinaryData.FromString(schema)) };
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => server.Chat().CompleteChatAsync(Hello, options));
        Assert.Equal(400, ex.Status);
        Assert.Contains("'pattern'", ex.Message);
    }

    [Fact]
    public async Task AToolWithAnUnsupportedSchemaIsA400NamingTheToolField()
    {
        var options = new ChatCompletionOptions();
        options.Tools.Add(ChatTool.CreateFunctionTool("bad", "x", BinaryData.FromString("""{"type":"object","not":{"type":"string"}}""")));
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => server.Chat().CompleteChatAsync(Hello, options));
        Assert.Equal(400, ex.Status);
        Assert.Contains("tools[0].function.parameters", ex.Message);
        Assert.Contains("'not'", ex.Message);
    }

    [Fact]
    public async Task APromptLongerThanTheContextIsA400WithBothLengths()
    {
        var longText = OpenAiServer.TooLong("overflowing");
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => server.Chat().CompleteChatAsync([new UserChatMessage(longText)]));
        Assert.Equal(400, ex.Status);
        Assert.Matches(@"prompt is \d+ tokens but the context is \d+ tokens", ex.Message);
    }

    private static ChatCompletionOptions WeatherOptions(ChatToolChoice choice)
    {
        var options = new ChatCompletionOptions { ToolChoice = choice, MaxOutputTokenCount = 1500, Seed = 3 };
        options.Tools.Add(ChatTool.CreateFunctionTool("get_weather", "Current weather in a city", BinaryData.FromString(TestSchemas.WeatherArguments)));
        options.Tools.Add(ChatTool.CreateFunctionTool("get_time", "Current time in a city",
            BinaryData.FromString(TestSchemas.TimeArguments)));
        return options;
    }
}
