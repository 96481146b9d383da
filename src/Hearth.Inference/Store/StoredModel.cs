using Hearth.Inference.Runtime;
using Hearth.Inference.Sampling;
using Hearth.Models.Naming;
using Hearth.Models.Store;

namespace Hearth.Inference.Store;

/// <summary>
/// A model from the store, ready to load: its base GGUF path, its adapters as files, its template override, and the
/// load and sampling options its manifest's default parameters give.
/// </summary>
public sealed record StoredModel(ModelManifest Manifest, string Path, ModelLoadOptions LoadOptions, SamplingOptions Sampling)
{
    /// <summary>Reads a store entry; <paramref name="load"/>/<paramref name="sampling"/> are the caller's defaults, which the manifest's parameters override.</summary>
    public static StoredModel From(ModelStore store, ModelName name, ModelLoadOptions? load = null, SamplingOptions? sampling = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var manifest = store.Get(name);
        var adapters = manifest.Adapters.Select(a => new Runtime.AdapterReference(store.GetBlobPath(a.Digest), a.Scale)).ToArray();
        var loadOptions = (load ?? new ModelLoadOptions()) with { Adapters = adapters, ChatTemplate = manifest.Template ?? load?.ChatTemplate };
        var (s, l) = ModelParameters.Apply(manifest.Parameters, sampling ?? new SamplingOptions(), loadOptions);
        return new StoredModel(manifest, store.GetModelPath(manifest), l, s);
    }
}
