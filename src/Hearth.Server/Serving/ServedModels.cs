using System.Text.Json;
using Hearth.Inference.Pool;
using Hearth.Inference.Runtime;
using Hearth.Inference.Sampling;
using Hearth.Inference.Store;
using Hearth.Models.Naming;
using Hearth.Models.Store;
using Hearth.Server.Hosting;

namespace Hearth.Server.Serving;

/// <summary>
/// The one path from a request's model name to a loaded model: resolve the name in the store, apply the manifest's
/// default parameters, then the request's own options, and lease the model from the pool (loading it on demand).
/// Both API surfaces go through here.
/// </summary>
public sealed class ServedModels(ModelStore store, ModelPool pool, HearthServerOptions options)
{
    public ModelStore Store { get; } = store;
    public ModelPool Pool { get; } = pool;

    /// <param name="requestOptions">Ollama-style named options (<c>temperature</c>, <c>num_ctx</c>, …) from the request, applied last.</param>
    /// <param name="keepAlive">The request's keep_alive; null = the server's.</param>
    public async Task<ServedModel> AcquireAsync(string model, IReadOnlyDictionary<string, JsonElement>? requestOptions = null,
        TimeSpan? keepAlive = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(model))
            throw new ArgumentException("'model' is required", "model");
        var name = ModelName.Parse(model);
        var defaults = new ModelLoadOptions
        {
            ContextSize = options.ContextSize,
            Threads = options.Threads,
            ParallelSequences = options.ParallelSequences,
            MaxQueuedRequests = options.MaxQueuedRequests,
        };
        var stored = StoredModel.From(Store, name, defaults);
        var (sampling, load) = requestOptions is null
            ? (stored.Sampling, stored.LoadOptions)
            : ModelParameters.Apply(requestOptions, stored.Sampling, stored.LoadOptions);
        sampling.Validate();
        var lease = await Pool.AcquireAsync(stored.Path, load, keepAlive, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new ServedModel(name, lease, sampling, stored.Manifest);
    }
}

/// <summary>A leased model with the sampling options its manifest and the request give. Dispose to end the lease.</summary>
public sealed record ServedModel(ModelName Name, ModelLease Lease, SamplingOptions Sampling, ModelManifest Manifest) : IDisposable
{
    public LoadedModel Model => Lease.Model;

    public void Dispose() => Lease.Dispose();
}
