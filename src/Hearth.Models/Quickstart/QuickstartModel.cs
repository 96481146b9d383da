using Hearth.Models.Factory;
using Hearth.Models.Naming;
using Hearth.Models.Pull;
using Hearth.Models.Store;

namespace Hearth.Models.Quickstart;

/// <summary>How the quickstart got its model.</summary>
public enum QuickstartOrigin
{
    /// <summary>Already in the store from an earlier run.</summary>
    Reused,
    /// <summary>Downloaded from Hugging Face.</summary>
    Pulled,
    /// <summary>No network: a local model with random weights was created.</summary>
    CreatedOffline,
}

public sealed record QuickstartResult(ModelName Name, QuickstartOrigin Origin, bool Untrained, string? License, string Description);

/// <summary>
/// Gets the quickstart's chat model. Online: a small instruct model from Hugging Face —
/// Qwen2.5-0.5B-Instruct (Apache-2.0, ~400 MB at Q4_K_M). Offline: a small local llama model with random weights,
/// reported plainly as untrained. Either way a second run reuses what the first one made.
/// </summary>
public sealed class QuickstartModel(ModelStore store, HuggingFacePuller puller)
{
    public const string OnlineReference = "hf.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M";
    public const string OnlineLicense = "apache-2.0";
    public static readonly ModelName OnlineName = ModelName.Parse("qwen2.5:0.5b-instruct");
    public static readonly ModelName OfflineName = ModelName.Parse("hearth-small:untrained");

    /// <summary>How long to wait for the Hub before deciding the machine is offline.</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public async Task<QuickstartResult> EnsureAsync(bool forceOffline, IProgress<PullProgress>? pullProgress = null,
        IProgress<StoreProgress>? createProgress = null, CancellationToken cancellationToken = default)
    {
        if (!forceOffline && store.TryGet(OnlineName, out var pulled))
            return new QuickstartResult(OnlineName, QuickstartOrigin.Reused, false, pulled.License, "Qwen2.5-0.5B-Instruct (Q4_K_M)");
        if (!forceOffline && await IsHubReachableAsync(cancellationToken).ConfigureAwait(false))
        {
            var manifest = await puller.PullAsync(ModelReference.Parse(OnlineReference), OnlineName, pullProgress, cancellationToken).ConfigureAwait(false);
            return new QuickstartResult(OnlineName, QuickstartOrigin.Pulled, false, manifest.License ?? OnlineLicense, "Qwen2.5-0.5B-Instruct (Q4_K_M)");
        }
        if (store.TryGet(OfflineName, out var local))
            return new QuickstartResult(OfflineName, QuickstartOrigin.Reused, true, local.License, Describe());
        var spec = ModelSpec.Preset("small") with { Name = "hearth-small-untrained", Seed = 1 };
        var created = await ModelFactory.CreateInStoreAsync(store, spec, OfflineName, "quickstart:offline (random weights)", createProgress, cancellationToken)
            .ConfigureAwait(false);
        return new QuickstartResult(OfflineName, QuickstartOrigin.CreatedOffline, true, created.License, Describe());
    }

    private static string Describe() => $"a small llama model with random weights ({ModelSpec.Preset("small").ParameterCount / 1e6:0.#}M parameters)";

    /// <summary>True when the Hub answers at all within <see cref="ProbeTimeout"/> (any HTTP status counts: the network is there).</summary>
    private async Task<bool> IsHubReachableAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            await puller.Client.GetCardLicenseAsync("Qwen", "Qwen2.5-0.5B-Instruct-GGUF", timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (PullException ex) when (ex.InnerException is HttpRequestException)
        {
            return false; // connection refused, DNS failure, no route: offline
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false; // no answer in time
        }
        catch (PullException)
        {
            return true; // the Hub answered (with an error): the network is there, and the pull will say what is wrong
        }
    }
}
