namespace Hearth.Inference.Pool;

/// <summary>A model loaded in a <see cref="ModelPool"/>, as <c>ollama ps</c> lists it.</summary>
/// <param name="Path">The model file.</param>
/// <param name="EstimatedBytes">Memory it is counted for against the budget.</param>
/// <param name="Leases">Callers using it now.</param>
/// <param name="ExpiresAt">When it unloads if still idle; null while leased or when kept forever.</param>
/// <param name="ContextSize">One request's context window.</param>
/// <param name="QueueDepth">Requests waiting for a decode slot.</param>
/// <param name="ActiveSequences">Requests decoding now.</param>
public sealed record PooledModelInfo(string Path, long EstimatedBytes, int Leases, DateTimeOffset? ExpiresAt,
    int ContextSize = 0, int QueueDepth = 0, int ActiveSequences = 0);
