namespace Hearth.Inference.Runtime;

/// <summary>
/// A model (or one of its adapters) could not be loaded. <see cref="Path"/> names the file at fault and the message
/// says why: missing, not a GGUF file, or refused by llama.cpp (whose own log lines go to <see cref="LlamaRuntime.Logger"/>).
/// </summary>
public sealed class ModelLoadException : Exception
{
    public ModelLoadException(string path, string reason, Exception? innerException = null)
        : base($"cannot load model '{path}': {reason}", innerException)
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>The file that could not be loaded.</summary>
    public string Path { get; }

    /// <summary>Why, without the file name.</summary>
    public string Reason { get; }
}
