namespace Hearth.Inference.Tools;

/// <summary>A reply split into its text (tool-call markup removed, trimmed) and the tool calls it made, in order.</summary>
public sealed record ToolCallParseResult(string Content, IReadOnlyList<ToolCall> Calls);
