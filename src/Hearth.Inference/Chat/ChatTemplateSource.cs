namespace Hearth.Inference.Chat;

/// <summary>Where the chat template a model renders with came from.</summary>
public enum ChatTemplateSource
{
    /// <summary>The model's own <c>tokenizer.chat_template</c>.</summary>
    Model,

    /// <summary>The caller's override (<see cref="Runtime.ModelLoadOptions.ChatTemplate"/>, e.g. from a model manifest).</summary>
    Override,

    /// <summary>ChatML, because the model has no template or llama.cpp does not recognise it (see <see cref="ChatTemplate.FallbackReason"/>).</summary>
    ChatMlFallback,
}
