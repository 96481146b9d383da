using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Hearth.Inference.Tools;

/// <summary>
/// Finds the tool calls in a finished reply. Understands the formats open models are trained on: Hermes/Qwen
/// (<c>&lt;tool_call&gt;{"name": …, "arguments": …}&lt;/tool_call&gt;</c>, any number, text around them kept as content),
/// Llama 3.1 (<c>{"name": …, "parameters": …}</c>, optionally after <c>&lt;|python_tag|&gt;</c>), Mistral
/// (<c>[TOOL_CALLS] [{"name": …, "arguments": …}]</c>) and a bare JSON call object or array of them as the whole reply.
/// A call counts only when it names one of <c>tools</c> and its arguments are a JSON object (or a string holding one,
/// as some models write); anything else stays in <see cref="ToolCallParseResult.Content"/> untouched, so an
/// unconstrained model's made-up tool never runs. Arguments are not checked against the tool's schema here: the
/// grammar from <see cref="ToolPrompting.Grammar"/> guarantees that for constrained replies.
/// </summary>
public static partial class ToolCallParser
{
    internal const string CallOpen = "<tool_call>", CallClose = "</tool_call>";
    internal static readonly string[] BarePrefixes = ["<|python_tag|>", "[TOOL_CALLS]"];

    public static ToolCallParseResult Parse(string text, IReadOnlyList<ToolDefinition> tools)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(tools);
        var trimmed = text.Trim();
        if (StartsBare(trimmed))
            return ParseBare(trimmed, tools) is { } calls ? new("", calls) : new(trimmed, []);

        var content = new StringBuilder();
        var found = new List<ToolCall>();
        var at = 0;
        while (at < text.Length)
        {
            var open = text.IndexOf(CallOpen, at, StringComparison.Ordinal);
            if (open < 0)
                break;
            var close = text.IndexOf(CallClose, open + CallOpen.Length, StringComparison.Ordinal);
            var end = close < 0 ? text.Length : close + CallClose.Length;
            var body = text[(open + CallOpen.Length)..(close < 0 ? text.Length : close)];
            content.Append(text, at, open - at);
            if (TryCall(body, tools) is { } call)
                found.Add(call);
            else
                content.Append(text, open, end - open);
            at = end;
        }
        if (at < text.Length)
            content.Append(text, at, text.Length - at);
        return new(content.ToString().Trim(), found);
    }

    internal static bool StartsBare(string trimmed) =>
        trimmed.StartsWith('{') || trimmed.StartsWith('[') || BarePrefixes.Any(p => trimmed.StartsWith(p, StringComparison.Ordinal));

    /// <summary>All calls of a bare/Llama/Mistral reply, or null when it is not entirely valid calls.</summary>
    private static List<ToolCall>? ParseBare(string trimmed, IReadOnlyList<ToolDefinition> tools)
    {
        foreach (var prefix in BarePrefixes)
            if (trimmed.StartsWith(prefix, StringComparison.Ordinal))
                trimmed = trimmed[prefix.Length..].Trim();
        try
        {
            using var document = JsonDocument.Parse(trimmed);
            var root = document.RootElement;
            var elements = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
            if (elements.Count == 0)
                return null;
            var calls = new List<ToolCall>();
            foreach (var element in elements)
            {
                if (ToCall(element, tools) is not { } call)
                    return null;
                calls.Add(call);
            }
            return calls;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>One call from the JSON text of a Hermes block, or null when it is not a valid call.</summary>
    internal static ToolCall? TryCall(string json, IReadOnlyList<ToolDefinition> tools)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return ToCall(document.RootElement, tools);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ToolCall? ToCall(JsonElement element, IReadOnlyList<ToolDefinition> tools)
    {
        if (element.ValueKind != JsonValueKind.Object ||
            !element.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String ||
            tools.All(t => t.Name != name.GetString()))
            return null;
        if (!element.TryGetProperty("arguments", out var arguments) && !element.TryGetProperty("parameters", out arguments))
            return null;
        var text = arguments.ValueKind == JsonValueKind.String ? arguments.GetString()!.Trim() : arguments.GetRawText();
        if (!IsJsonObject(text))
            return null;
        return new ToolCall(ToolCall.NewId(), name.GetString()!, text);
    }

    private static bool IsJsonObject(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The start of a Hermes call up to its arguments: <c>{"name": "x", "arguments":</c>.</summary>
    [GeneratedRegex("""^\s*\{\s*"name"\s*:\s*"((?:[^"\\]|\\.)*)"\s*,\s*"(?:arguments|parameters)"\s*:\s*""")]
    internal static partial Regex CallHeader();
}
