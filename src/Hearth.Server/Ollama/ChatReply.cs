using System.Text;
using System.Text.Json;
using Hearth.Inference.Generation;
using Hearth.Inference.Tools;

namespace Hearth.Server.Ollama;

/// <summary>
/// <c>/api/chat</c>: <c>{"message": {"role": "assistant", "content": "…"}}</c> lines. With tools, generated text goes
/// through the tool-call parser: plain text streams as content, and the calls it finds are sent as
/// <c>message.tool_calls</c> (arguments as JSON objects, as Ollama sends them) once complete.
/// </summary>
internal sealed class ChatReply : OllamaReply
{
    private readonly IReadOnlyList<ToolDefinition> _tools;
    private readonly ToolCallStreamParser? _parser;
    private readonly SortedDictionary<int, (string Id, string Name, StringBuilder Arguments)> _calls = new();

    public ChatReply(string model, IReadOnlyList<ToolDefinition> tools)
        : base(model)
    {
        _tools = tools;
        _parser = tools.Count > 0 ? new ToolCallStreamParser(tools) : null;
    }

    public override IEnumerable<object> Piece(string text)
    {
        if (_parser is null)
            return [Line(text)];
        return Apply(_parser.Push(text));
    }

    public override IEnumerable<object> Complete()
    {
        if (_parser is null)
            return [];
        var lines = Apply(_parser.Complete()).ToList();
        if (StreamedCalls() is { Count: > 0 } calls)
            lines.Add(new ChatLine(Model, OllamaJson.Timestamp(), new OllamaMessage("assistant", "") { ToolCalls = calls }, false));
        return lines;
    }

    public override object Final(GenerationResult result, OllamaDoneStats stats, bool streamed)
    {
        OllamaMessage message;
        if (streamed)
            message = new OllamaMessage("assistant", "");
        else if (_tools.Count > 0)
        {
            var parsed = ToolCallParser.Parse(result.Text, _tools);
            message = new OllamaMessage("assistant", parsed.Content)
            {
                ToolCalls = parsed.Calls.Count == 0 ? null : parsed.Calls.Select((c, i) => ToOllama(i, c.Id, c.Name, c.Arguments)).ToList(),
            };
        }
        else
            message = new OllamaMessage("assistant", result.Text);
        return new ChatLine(Model, OllamaJson.Timestamp(), message, true) { DoneReason = DoneReason(result.FinishReason) }.WithStats(stats);
    }

    private List<object> Apply(IReadOnlyList<ToolStreamEvent> events)
    {
        var lines = new List<object>();
        foreach (var e in events)
        {
            switch (e)
            {
                case ContentDelta content when content.Text.Length > 0:
                    lines.Add(Line(content.Text));
                    break;
                case ToolCallStarted started:
                    _calls[started.Index] = (started.Id, started.Name, new StringBuilder());
                    break;
                case ToolCallArgumentsDelta delta when _calls.TryGetValue(delta.Index, out var call):
                    call.Arguments.Append(delta.Fragment);
                    break;
            }
        }
        return lines;
    }

    /// <summary>
    /// The calls the stream completed. A call cut off by <c>num_predict</c> or the context has no whole arguments to
    /// send; it is left out, as the non-streamed parser leaves it out, and <c>done_reason: "length"</c> says why.
    /// </summary>
    private List<OllamaToolCall> StreamedCalls() =>
        _calls.Where(kv => IsCompleteJson(kv.Value.Arguments.ToString()))
            .Select(kv => ToOllama(kv.Key, kv.Value.Id, kv.Value.Name, kv.Value.Arguments.ToString())).ToList();

    private static bool IsCompleteJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private ChatLine Line(string text) => new(Model, OllamaJson.Timestamp(), new OllamaMessage("assistant", text), false);

    private static OllamaToolCall ToOllama(int index, string id, string name, string arguments) =>
        new(new OllamaFunctionCall(index, name, ParseArguments(arguments))) { Id = id };

    /// <summary>Ollama sends arguments as an object; the parser hands over JSON text (schema-valid under the tool grammar).</summary>
    private static JsonElement ParseArguments(string arguments)
    {
        if (string.IsNullOrWhiteSpace(arguments))
            return JsonSerializer.SerializeToElement(new Dictionary<string, object>());
        using var document = JsonDocument.Parse(arguments);
        return document.RootElement.Clone();
    }
}
