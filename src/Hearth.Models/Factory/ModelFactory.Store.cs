using Hearth.Models.Naming;
using Hearth.Models.Store;

namespace Hearth.Models.Factory;

public static partial class ModelFactory
{
    /// <summary>
    /// Creates the model in the store's temp folder and hands the file to the store (moved, not copied), so a
    /// cancelled or failed creation never leaves a half-made model under <paramref name="name"/>.
    /// </summary>
    public static async Task<ModelManifest> CreateInStoreAsync(ModelStore store, ModelSpec spec, ModelName name, string? source = null,
        IProgress<StoreProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        Directory.CreateDirectory(store.Paths.TempDirectory);
        var temp = Path.Combine(store.Paths.TempDirectory, $"create-{Guid.NewGuid():N}.gguf");
        var total = spec.ParameterCount;
        try
        {
            var fraction = progress is null ? null : new InlineFractionProgress(f => progress.Report(new StoreProgress("writing weights", (long)(f * total), total)));
            await CreateAsync(spec, temp, fraction, cancellationToken).ConfigureAwait(false);
            return await store.ImportAsync(temp, name, new ImportOptions { MoveSource = true, Source = source ?? $"create:{spec.Name} seed={spec.Seed}" },
                progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }

    /// <summary>Reports synchronously (Progress&lt;T&gt; posts to the thread pool and can reorder updates).</summary>
    private sealed class InlineFractionProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
