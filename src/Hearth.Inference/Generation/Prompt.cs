using Hearth.Inference.Chat;

namespace Hearth.Inference.Generation;

/// <summary>
/// What to generate from: a conversation rendered through the model's chat template, raw text, or token ids.
/// All three take one path through <see cref="Runtime.LoadedModel"/>.
/// </summary>
public abstract record Prompt
{
    private protected Prompt()
    {
    }

    /// <summary>What to do when the prompt does not fit the context. Default: refuse (<see cref="Truncation.None"/>).</summary>
    public Truncation Truncation { get; init; } = Truncation.None;

    /// <summary>A conversation, rendered with the model's chat template plus the assistant header (the generation prompt).</summary>
    public static ChatPrompt Chat(IReadOnlyList<ChatMessage> messages, Truncation truncation = Truncation.None) =>
        new(messages) { Truncation = truncation };

    /// <summary>Raw text, no template (Ollama's <c>raw</c>, OpenAI completions). Special-token text such as <c>&lt;|im_start|&gt;</c> is parsed as those tokens.</summary>
    public static TextPrompt Raw(string text, Truncation truncation = Truncation.None) => new(text) { Truncation = truncation };

    /// <summary>Token ids as they are (OpenAI completions accept token arrays); no BOS is added.</summary>
    public static TokenPrompt FromTokens(IReadOnlyList<int> tokens, Truncation truncation = Truncation.None) =>
        new(tokens) { Truncation = truncation };
}

/// <summary>A conversation to render with the model's chat template.</summary>
public sealed record ChatPrompt(IReadOnlyList<ChatMessage> Messages) : Prompt;

/// <summary>Raw prompt text. <see cref="AddBos"/>: prepend BOS when the model asks for it (default true).</summary>
public sealed record TextPrompt(string Text) : Prompt
{
    public bool AddBos { get; init; } = true;
}

/// <summary>Pre-tokenized prompt.</summary>
public sealed record TokenPrompt(IReadOnlyList<int> Tokens) : Prompt;
