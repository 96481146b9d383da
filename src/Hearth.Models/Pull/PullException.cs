namespace Hearth.Models.Pull;

/// <summary>A pull failed: the Hub refused, the connection kept failing, or the download did not verify.</summary>
public class PullException : Exception
{
    public PullException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>The repo (or revision) does not exist, or is private and no usable token was given.</summary>
public sealed class RepositoryNotFoundException : PullException
{
    public RepositoryNotFoundException(string repoId, string message) : base(message) => RepoId = repoId;

    public string RepoId { get; }
}

/// <summary>The repo has no file matching the reference. <see cref="Available"/> lists what it does have.</summary>
public sealed class FileSelectionException : PullException
{
    public FileSelectionException(string message, IReadOnlyList<string> available) : base(message) => Available = available;

    public IReadOnlyList<string> Available { get; }
}

/// <summary>Downloaded bytes do not match the digest (or size) the Hub published; the partial download was deleted.</summary>
public sealed class DigestMismatchException : PullException
{
    public DigestMismatchException(string file, string expected, string actual)
        : base($"downloaded '{file}' does not match the published checksum: expected {expected}, got {actual}; the partial download was deleted, run the pull again")
    {
        Expected = expected;
        Actual = actual;
    }

    public string Expected { get; }
    public string Actual { get; }
}
