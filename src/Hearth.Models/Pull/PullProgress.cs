namespace Hearth.Models.Pull;

/// <summary>Progress of a pull: a status line (as <c>ollama pull</c> prints it) and bytes done of total for the current file.</summary>
public readonly record struct PullProgress(string Status, long Completed = 0, long Total = 0, string? Digest = null);
