namespace Hearth.Models.Store;

/// <summary>Progress of a store operation: what is happening and how many bytes of how many are done.</summary>
public readonly record struct StoreProgress(string Status, long Completed, long Total);
