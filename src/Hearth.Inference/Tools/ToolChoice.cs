namespace Hearth.Inference.Tools;

/// <summary>How the model is to use the tools it is given (OpenAI's <c>tool_choice</c>).</summary>
public enum ToolChoiceMode
{
    /// <summary>Reply with text or call tools, as it sees fit.</summary>
    Auto,

    /// <summary>Reply with text only.</summary>
    None,

    /// <summary>Call one or more tools.</summary>
    Required,

    /// <summary>Call the one tool named by <see cref="ToolChoice.Name"/>.</summary>
    Function,
}

/// <summary>OpenAI's <c>tool_choice</c>: <c>auto</c>, <c>none</c>, <c>required</c>, or one named function.</summary>
public sealed record ToolChoice(ToolChoiceMode Mode, string? Name = null)
{
    public static ToolChoice Auto { get; } = new(ToolChoiceMode.Auto);
    public static ToolChoice None { get; } = new(ToolChoiceMode.None);
    public static ToolChoice Required { get; } = new(ToolChoiceMode.Required);

    public static ToolChoice Function(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new(ToolChoiceMode.Function, name);
    }
}
