namespace Hearth.Inference.Sampling;

/// <summary>
/// A sampling option is out of range. <see cref="Option"/> is its Ollama name (<c>top_p</c>, <c>num_predict</c>, …),
/// which the message starts with: "top_p must be between 0 and 1, got 1.5".
/// </summary>
public sealed class InvalidSamplingOptionException : ArgumentException
{
    public InvalidSamplingOptionException(string option, string message)
        : base(message)
    {
        Option = option;
    }

    /// <summary>The option at fault, by its Ollama/llama.cpp name.</summary>
    public string Option { get; }
}
