namespace Hearth.Inference.Tools;

/// <summary>What <see cref="ToolCallStreamParser"/> has become sure of in a reply being streamed.</summary>
public abstract record ToolStreamEvent;

/// <summary>Reply text that is not part of a tool call.</summary>
public sealed record ContentDelta(string Text) : ToolStreamEvent;

/// <summary>Tool call number <paramref name="Index"/> (from 0) has begun; its arguments follow as fragments.</summary>
public sealed record ToolCallStarted(int Index, string Id, string Name) : ToolStreamEvent;

/// <summary>The next piece of call <paramref name="Index"/>'s arguments JSON; the pieces add up to <see cref="ToolCall.Arguments"/>.</summary>
public sealed record ToolCallArgumentsDelta(int Index, string Fragment) : ToolStreamEvent;
