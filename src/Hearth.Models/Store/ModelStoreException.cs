namespace Hearth.Models.Store;

/// <summary>The model store cannot do what was asked (damaged store, missing blob, lock held too long, …).</summary>
public class ModelStoreException : Exception
{
    public ModelStoreException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>Another Hearth process (or thread) held the store lock for longer than the timeout.</summary>
public sealed class StoreLockTimeoutException : ModelStoreException
{
    public StoreLockTimeoutException(string lockPath, TimeSpan timeout, Exception? inner)
        : base($"timed out after {timeout.TotalSeconds:0.#} s waiting for the lock '{lockPath}'; another hearth command may be " +
               "changing the model store (if none is running, delete the lock file)", inner)
    {
        LockPath = lockPath;
        Timeout = timeout;
    }

    public string LockPath { get; }
    public TimeSpan Timeout { get; }
}

/// <summary>A manifest file is not valid JSON of a known schema version; names the file and the field.</summary>
public sealed class ManifestFormatException : ModelStoreException
{
    public ManifestFormatException(string source, string field, string reason, Exception? inner = null)
        : base($"invalid manifest '{source}': {field}: {reason}", inner)
    {
        Source = source;
        Field = field;
        Reason = reason;
    }

    /// <summary>The manifest's path (or a description of where the JSON came from).</summary>
    public new string Source { get; }
    public string Field { get; }
    public string Reason { get; }
}
