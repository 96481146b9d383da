namespace Hearth.Inference.Pool;

/// <summary>
/// A model needs more memory than the pool's whole budget, so no amount of unloading could make room for it.
/// </summary>
public sealed class ModelBudgetExceededException : Exception
{
    public ModelBudgetExceededException(string path, long requiredBytes, long budgetBytes)
        : base($"model '{path}' needs about {Mib(requiredBytes)} MiB (weights, KV cache and compute buffers) but the memory budget is " +
               $"{Mib(budgetBytes)} MiB; use a smaller quantization or context (num_ctx), or raise the budget")
    {
        Path = path;
        RequiredBytes = requiredBytes;
        BudgetBytes = budgetBytes;
    }

    public string Path { get; }
    public long RequiredBytes { get; }
    public long BudgetBytes { get; }

    private static string Mib(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
}
