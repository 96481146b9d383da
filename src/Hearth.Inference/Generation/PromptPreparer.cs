using Hearth.Inference.Chat;
using Hearth.Inference.Runtime;
using Hearth.Inference.Sampling;
using LLama.Native;

namespace Hearth.Inference.Generation;

/// <summary>
/// Renders and tokenizes a <see cref="Prompt"/> and makes it fit the context: refuses with
/// <see cref="ContextOverflowException"/>, or applies the prompt's <see cref="Truncation"/> strategy.
/// </summary>
internal static class PromptPreparer
{
    public static PreparedPrompt Prepare(LoadedModel model, Prompt prompt, SamplingOptions options)
    {
        var prepared = prompt switch
        {
            ChatPrompt chat => PrepareChat(model, chat, options),
            TextPrompt text => PrepareText(model, text, options),
            TokenPrompt tokens => PrepareTokens(model, tokens, options),
            _ => throw new ArgumentException($"unknown prompt kind {prompt.GetType().Name}", nameof(prompt)),
        };
        if (prepared.Tokens.Length == 0)
            throw new ArgumentException("prompt is empty: there is nothing to generate from", nameof(prompt));
        return prepared;
    }

    /// <summary>Most prompt tokens a truncated prompt may keep: the context less room for the reply.</summary>
    public static int TruncationLimit(int contextSize, SamplingOptions options)
    {
        var reply = options.MaxTokens > 0 ? Math.Min(options.MaxTokens, contextSize / 2) : contextSize / 4;
        return contextSize - Math.Max(1, reply);
    }

    private static PreparedPrompt PrepareChat(LoadedModel model, ChatPrompt prompt, SamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(prompt.Messages);
        if (prompt.Messages.Count == 0)
            throw new ArgumentException("a chat prompt needs at least one message", nameof(prompt));
        var tokens = TokenizeChat(model, prompt.Messages);
        if (Fits(tokens, model))
            return new(tokens, 0, 0, model.Template);

        switch (prompt.Truncation)
        {
            case Truncation.None:
                throw ContextOverflowException.TooLong(tokens.Length, model.ContextSize);
            case Truncation.KeepEnd:
                var kept = KeepEnd(model, tokens, options);
                return new(kept, tokens.Length - kept.Length, 0, model.Template);
            case Truncation.DropOldestMessages:
                return DropOldestMessages(model, prompt.Messages, options);
            default:
                throw new ArgumentOutOfRangeException(nameof(prompt), prompt.Truncation, "unknown truncation strategy");
        }
    }

    // Drops the oldest message that is neither a system message nor the last one, re-rendering each time, since
    // templates add per-message framing that a token count of the message alone would miss.
    private static PreparedPrompt DropOldestMessages(LoadedModel model, IReadOnlyList<ChatMessage> messages, SamplingOptions options)
    {
        var limit = TruncationLimit(model.ContextSize, options);
        var kept = messages.ToList();
        var dropped = 0;
        while (true)
        {
            var victim = kept.FindIndex(m => m.Role != ChatRole.System);
            if (victim < 0 || victim == kept.Count - 1)
            {
                var tokens = TokenizeChat(model, kept);
                throw ContextOverflowException.StillTooLong(tokens.Length, model.ContextSize, limit, dropped);
            }
            kept.RemoveAt(victim);
            dropped++;
            var candidate = TokenizeChat(model, kept);
            if (candidate.Length <= limit)
                return new(candidate, 0, dropped, model.Template);
        }
    }

    private static PreparedPrompt PrepareText(LoadedModel model, TextPrompt prompt, SamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(prompt.Text);
        var tokens = model.TokenizeNative(prompt.Text, prompt.AddBos, parseSpecial: true);
        return FitRaw(model, tokens, prompt.Truncation, options);
    }

    private static PreparedPrompt PrepareTokens(LoadedModel model, TokenPrompt prompt, SamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(prompt.Tokens);
        var tokens = new LLamaToken[prompt.Tokens.Count];
        for (var i = 0; i < tokens.Length; i++)
        {
            var id = prompt.Tokens[i];
            if ((uint)id >= (uint)model.VocabularySize)
                throw new ArgumentException($"token {id} at tokens[{i}] is outside the vocabulary [0, {model.VocabularySize})", nameof(prompt));
            tokens[i] = id;
        }
        return FitRaw(model, tokens, prompt.Truncation, options);
    }

    private static PreparedPrompt FitRaw(LoadedModel model, LLamaToken[] tokens, Truncation truncation, SamplingOptions options)
    {
        if (Fits(tokens, model))
            return new(tokens, 0, 0, null);
        switch (truncation)
        {
            case Truncation.None:
                throw ContextOverflowException.TooLong(tokens.Length, model.ContextSize);
            case Truncation.KeepEnd:
                var kept = KeepEnd(model, tokens, options);
                return new(kept, tokens.Length - kept.Length, 0, null);
            case Truncation.DropOldestMessages:
                throw new ArgumentException(
                    $"truncation '{nameof(Truncation.DropOldestMessages)}' needs a chat prompt; use '{nameof(Truncation.KeepEnd)}' for raw prompts",
                    nameof(truncation));
            default:
                throw new ArgumentOutOfRangeException(nameof(truncation), truncation, "unknown truncation strategy");
        }
    }

    // The reply needs at least one free position in the KV cache.
    private static bool Fits(LLamaToken[] tokens, LoadedModel model) => tokens.Length < model.ContextSize;

    private static LLamaToken[] KeepEnd(LoadedModel model, LLamaToken[] tokens, SamplingOptions options)
    {
        var limit = TruncationLimit(model.ContextSize, options);
        // Keep a leading BOS: models are trained to see it first.
        var keepBos = model.BosToken is { } bos && tokens.Length > 0 && (int)tokens[0] == bos ? 1 : 0;
        var kept = new LLamaToken[limit];
        tokens.AsSpan(0, keepBos).CopyTo(kept);
        tokens.AsSpan(tokens.Length - (limit - keepBos)).CopyTo(kept.AsSpan(keepBos));
        return kept;
    }

    private static LLamaToken[] TokenizeChat(LoadedModel model, IReadOnlyList<ChatMessage> messages) =>
        model.TokenizeNative(model.Template.Render(messages), addBos: true, parseSpecial: true);
}
