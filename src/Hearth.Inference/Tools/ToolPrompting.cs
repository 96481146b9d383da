using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Hearth.Inference.Chat;
using Hearth.Inference.Grammar;

namespace Hearth.Inference.Tools;

/// <summary>
/// Tool use for any chat model, in the Hermes format Qwen2.5 and many open models are trained on (Qwen2.5's
/// <c>tokenizer_config.json</c> chat template): the tools are listed as JSON signatures inside <c>&lt;tools&gt;</c> in the
/// system message, the model answers with <c>&lt;tool_call&gt;{"name": …, "arguments": …}&lt;/tool_call&gt;</c> blocks,
/// and results come back as <c>&lt;tool_response&gt;</c> blocks in a user turn. <see cref="Prepare"/> rewrites a
/// conversation into plain turns that way; <see cref="Grammar"/> makes the GBNF that holds the reply to it.
/// </summary>
public static class ToolPrompting
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// <paramref name="messages"/> (which may hold tool results and assistant turns with tool calls) as plain
    /// system/user/assistant turns, the tool definitions and calling instructions added to the system message (one is
    /// put first when there is none). With <see cref="ToolChoiceMode.None"/> no tools are listed.
    /// </summary>
    /// <exception cref="ArgumentException">A message is null, or the choice names a tool that is not given.</exception>
    public static IReadOnlyList<ChatMessage> Prepare(IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition> tools, ToolChoice choice)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(choice);
        Offered(tools, choice);

        var result = new List<ChatMessage>(messages.Count + 1);
        var section = choice.Mode == ToolChoiceMode.None || tools.Count == 0 ? null : ToolsSection(tools, choice);
        var start = 0;
        if (section is not null)
        {
            if (messages.Count > 0 && messages[0] is { Role: ChatRole.System } system)
            {
                result.Add(ChatMessage.System(system.Content.Length == 0 ? section : system.Content + "\n\n" + section));
                start = 1;
            }
            else
                result.Add(ChatMessage.System(section));
        }

        for (var i = start; i < messages.Count; i++)
        {
            var m = messages[i] ?? throw new ArgumentException($"messages[{i}] is null", nameof(messages));
            switch (m.Role)
            {
                case ChatRole.Assistant when m.ToolCalls is { Count: > 0 } calls:
                    var text = new StringBuilder(m.Content);
                    foreach (var call in calls)
                        text.Append(text.Length > 0 ? "\n" : "").Append(CallText(call));
                    result.Add(ChatMessage.Assistant(text.ToString()));
                    break;
                case ChatRole.Tool:
                    // Consecutive results share one user turn, as Qwen2.5's template renders them.
                    var response = $"<tool_response>\n{m.Content}\n</tool_response>";
                    if (i > start && messages[i - 1]?.Role == ChatRole.Tool)
                        result[^1] = ChatMessage.User(result[^1].Content + "\n" + response);
                    else
                        result.Add(ChatMessage.User(response));
                    break;
                default:
                    result.Add(new ChatMessage(m.Role, m.Content));
                    break;
            }
        }
        return result;
    }

    /// <summary>
    /// GBNF (root <c>root</c>) for a reply under <paramref name="choice"/>: <see cref="ToolChoiceMode.Required"/> → one or
    /// more <c>&lt;tool_call&gt;</c> blocks; <see cref="ToolChoiceMode.Function"/> → exactly one call of that tool;
    /// <see cref="ToolChoiceMode.Auto"/> → those blocks, or text that never contains <c>&lt;tool_call&gt;</c>. Each call
    /// names a given tool and its arguments match that tool's schema. Null when nothing is constrained
    /// (<see cref="ToolChoiceMode.None"/>, or <see cref="ToolChoiceMode.Auto"/> without tools).
    /// </summary>
    /// <param name="maxCalls">
    /// At most this many calls in one reply (null: any number). 1 is OpenAI's <c>parallel_tool_calls: false</c>: the
    /// grammar then ends the reply after the first call instead of letting the model write calls that are dropped.
    /// </param>
    /// <exception cref="UnsupportedSchemaException">A tool's parameter schema cannot be turned into a grammar; the message names the tool.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCalls"/> is below 1 or above <see cref="MaxCallsLimit"/>.</exception>
    public static string? Grammar(IReadOnlyList<ToolDefinition> tools, ToolChoice choice, int? maxCalls = null)
    {
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(choice);
        if (maxCalls is < 1 or > MaxCallsLimit)
            throw new ArgumentOutOfRangeException(nameof(maxCalls), maxCalls, $"maxCalls must be between 1 and {MaxCallsLimit}");
        var offered = Offered(tools, choice);
        if (offered.Count == 0)
            return null;

        var rules = JsonPrimitives.NewRuleSet();
        var space = JsonPrimitives.Use(rules, "space");
        var bodies = new List<string>();
        foreach (var tool in offered)
        {
            var parameters = tool.Parameters.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null
                ? JsonDocument.Parse("""{"type":"object"}""").RootElement
                : tool.Parameters;
            string arguments;
            try
            {
                arguments = new SchemaConverter(rules, parameters).Value(parameters, "#", tool.Name + "-arguments");
            }
            catch (UnsupportedSchemaException ex)
            {
                throw ex.In($"in the parameters of tool '{tool.Name}'");
            }
            var name = GbnfRules.Literal(JsonSerializer.Serialize(tool.Name, Json));
            bodies.Add(rules.Add(tool.Name + "-call",
                $"\"{{\" {space} \"\\\"name\\\"\" {space} \":\" {space} {name} {space} \",\" {space} " +
                $"\"\\\"arguments\\\"\" {space} \":\" {space} {arguments} \"}}\" {space}"));
        }
        var call = rules.Add("tool-call", $"\"<tool_call>\\n\" ({string.Join(" | ", bodies)}) \"\\n</tool_call>\"");
        var more = GbnfRules.Repeat($"\"\\n\" {call}", 0, maxCalls - 1);
        var calls = more.Length == 0 ? call : $"{call} {more}";
        rules.Define("root", choice.Mode switch
        {
            ToolChoiceMode.Function => call,
            ToolChoiceMode.Required => calls,
            _ => $"{calls} | {TextWithout(rules, ToolCallParser.CallOpen)}",
        });
        return rules.Write();
    }

    /// <summary>
    /// The largest <c>maxCalls</c> a grammar can hold: the calls after the first are one llama.cpp repetition, which
    /// must stay below <see cref="GbnfRules.RepetitionThreshold"/>.
    /// </summary>
    public const int MaxCallsLimit = GbnfRules.RepetitionThreshold;

    /// <summary>The tools a reply may call under <paramref name="choice"/>.</summary>
    private static IReadOnlyList<ToolDefinition> Offered(IReadOnlyList<ToolDefinition> tools, ToolChoice choice)
    {
        for (var i = 0; i < tools.Count; i++)
            if (tools[i] is null || string.IsNullOrWhiteSpace(tools[i].Name))
                throw new ArgumentException($"tools[{i}] has no name", nameof(tools));
        switch (choice.Mode)
        {
            case ToolChoiceMode.None:
                return [];
            case ToolChoiceMode.Function:
                var named = tools.Where(t => t.Name == choice.Name).Take(1).ToList();
                return named.Count > 0 ? named
                    : throw new ArgumentException($"tool_choice names function '{choice.Name}', which is not among the tools", nameof(choice));
            case ToolChoiceMode.Required when tools.Count == 0:
                throw new ArgumentException("tool_choice 'required' needs at least one tool", nameof(choice));
            default:
                return tools;
        }
    }

    private static string ToolsSection(IReadOnlyList<ToolDefinition> tools, ToolChoice choice)
    {
        var text = new StringBuilder()
            .Append("# Tools\n\nYou may call one or more functions to assist with the user query.\n\n")
            .Append("You are provided with function signatures within <tools></tools> XML tags:\n<tools>");
        foreach (var tool in tools)
        {
            var function = new Dictionary<string, object?> { ["name"] = tool.Name };
            if (tool.Description is not null)
                function["description"] = tool.Description;
            function["parameters"] = tool.Parameters.ValueKind == JsonValueKind.Undefined ? new { type = "object" } : tool.Parameters;
            text.Append('\n').Append(JsonSerializer.Serialize(new Dictionary<string, object> { ["type"] = "function", ["function"] = function }, Json));
        }
        text.Append("\n</tools>\n\nFor each function call, return a json object with function name and arguments within ")
            .Append("<tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call>");
        if (choice.Mode == ToolChoiceMode.Required)
            text.Append("\n\nYou must call at least one function.");
        else if (choice.Mode == ToolChoiceMode.Function)
            text.Append($"\n\nYou must call the function \"{choice.Name}\".");
        return text.ToString();
    }

    /// <summary>A call as the model is taught to write it.</summary>
    internal static string CallText(ToolCall call) =>
        $"<tool_call>\n{{\"name\": {JsonSerializer.Serialize(call.Name, Json)}, \"arguments\": {call.Arguments}}}\n</tool_call>";

    /// <summary>
    /// Any text in which <paramref name="marker"/> never occurs: a GBNF rule per state of the string-matching automaton
    /// (state i = the last i characters read are the marker's first i; reaching its full length is not allowed).
    /// </summary>
    private static string TextWithout(GbnfRules rules, string marker)
    {
        var alphabet = marker.Distinct().ToList();
        var names = Enumerable.Range(0, marker.Length).Select(i => rules.Reserve($"text-{i}")).ToList();
        for (var state = 0; state < marker.Length; state++)
        {
            var alternatives = new List<string> { "\"\"" };
            foreach (var c in alphabet)
            {
                var next = Next(marker, state, c);
                if (next < marker.Length)
                    alternatives.Add($"{GbnfRules.Literal(c.ToString())} {names[next]}");
            }
            var others = string.Concat(alphabet.Where(c => c != '-').Select(GbnfRules.ClassChar)) + (alphabet.Contains('-') ? "-" : "");
            alternatives.Add($"[^{others}] {names[0]}");
            rules.Define(names[state], string.Join(" | ", alternatives));
        }
        return names[0];
    }

    // The automaton's transition: the longest prefix of the marker that ends the text read so far plus c.
    private static int Next(string marker, int state, char c)
    {
        var read = marker[..state] + c;
        for (var length = Math.Min(read.Length, marker.Length); length > 0; length--)
            if (read.EndsWith(marker[..length], StringComparison.Ordinal))
                return length;
        return 0;
    }
}
