using Hearth.Models.Naming;
using Hearth.Models.Store;

namespace Hearth.Models.Pull;

/// <summary>
/// Turns any <see cref="ModelReference"/> into a name in the store, pulling Hugging Face references that are not there
/// yet (like <c>ollama run hf.co/…</c>). Registry references fail clearly until the registry exists.
/// </summary>
public sealed class ModelResolver
{
    private readonly ModelStore _store;
    private readonly HuggingFacePuller? _puller;

    /// <param name="puller">Null for offline use: Hugging Face references then resolve only if already pulled.</param>
    public ModelResolver(ModelStore store, HuggingFacePuller? puller = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _puller = puller;
    }

    /// <exception cref="ModelNotFoundException">A store name that is not in the store.</exception>
    /// <exception cref="ModelStoreException">A registry reference, or a Hugging Face reference with no puller and not in the store.</exception>
    public async Task<ModelName> ResolveAsync(ModelReference reference, IProgress<PullProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        switch (reference)
        {
            case StoreModelReference s:
                return _store.Get(s.Name).Name;
            case HuggingFaceRepoReference or HuggingFaceFileReference:
                var name = reference is HuggingFaceRepoReference r ? r.DefaultStoreName() : ((HuggingFaceFileReference)reference).DefaultStoreName();
                if (_store.Contains(name))
                    return name;
                if (_puller is null)
                    throw new ModelStoreException($"model '{reference.Text}' is not in the store and pulling is off; run 'hearth pull {reference.Text}' first");
                return (await _puller.PullAsync(reference, name, progress, cancellationToken).ConfigureAwait(false)).Name;
            case RegistryReference:
                throw new ModelStoreException($"cannot resolve '{reference.Text}': the model registry is not available yet; use a store name or a Hugging Face reference");
            default:
                throw new ArgumentException($"unsupported model reference '{reference.Text}'", nameof(reference));
        }
    }
}
