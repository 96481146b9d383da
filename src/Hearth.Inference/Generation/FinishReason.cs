namespace Hearth.Inference.Generation;

/// <summary>Why generation ended (the OpenAI <c>finish_reason</c> / Ollama <c>done_reason</c> vocabulary).</summary>
public enum FinishReason
{
    /// <summary>The model ended its turn (an end-of-generation token) or a stop sequence was reached.</summary>
    Stop,

    /// <summary><see cref="Sampling.SamplingOptions.MaxTokens"/> tokens were generated, or the context window is full.</summary>
    Length,

    /// <summary>The caller's cancellation token fired (or the model was unloaded); the text so far is kept.</summary>
    Cancelled,
}
