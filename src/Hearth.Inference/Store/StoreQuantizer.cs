using Hearth.Inference.Quantization;
using Hearth.Models.Naming;
using Hearth.Models.Store;

namespace Hearth.Inference.Store;

/// <summary>Quantizes a model in the store into a new store entry that keeps the source's template, parameters and licence.</summary>
public static class StoreQuantizer
{
    /// <summary>The default name for a quantized copy: <c>name:q4_k_m</c>, or <c>name:tag-q4_k_m</c> for a tagged source.</summary>
    public static ModelName DefaultName(ModelName source, string type)
    {
        var suffix = type.ToLowerInvariant();
        return source.WithTag(source.Tag == ModelName.DefaultTag ? suffix : $"{source.Tag}-{suffix}");
    }

    public static async Task<ModelManifest> QuantizeAsync(ModelStore store, ModelName source, ModelName destination, string type,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var manifest = store.Get(source);
        if (manifest.Adapters.Count > 0)
            throw new ArgumentException($"model '{source}' has adapters; quantize its base model, then attach the adapters again");
        if (source.Equals(destination))
            throw new ArgumentException($"the quantized model needs a new name; '{destination}' is the source");
        Directory.CreateDirectory(store.Paths.TempDirectory);
        var temp = Path.Combine(store.Paths.TempDirectory, $"quantize-{Guid.NewGuid():N}.gguf");
        try
        {
            await GgufQuantizer.QuantizeAsync(store.GetModelPath(source), temp, type, progress, cancellationToken).ConfigureAwait(false);
            return await store.ImportAsync(temp, destination, new ImportOptions
            {
                MoveSource = true,
                Source = $"quantize:{source} {type.ToLowerInvariant()}",
                License = manifest.License,
                Template = manifest.Template,
                System = manifest.System,
                Parameters = manifest.Parameters,
            }, null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }
}
