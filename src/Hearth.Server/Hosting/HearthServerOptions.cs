using Hearth.Models.Paths;
using Hearth.Models.Pull;

namespace Hearth.Server.Hosting;

/// <summary>How <c>hearth serve</c> runs. Every default is the safe one: loopback only, bounded bodies and queues.</summary>
public sealed record HearthServerOptions
{
    public const int DefaultPort = 11435;

    /// <summary>Address to bind. Default 127.0.0.1: other machines cannot connect unless you say so.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Port; 0 picks a free one (tests). Default 11435.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>Where the store is (HEARTH_HOME / HEARTH_MODELS, or <c>--models-dir</c>).</summary>
    public required HearthPaths Paths { get; init; }

    /// <summary>Accepted API keys; empty = no authentication (fine on loopback, refused when binding elsewhere without keys is a choice the user makes).</summary>
    public IReadOnlySet<string> ApiKeys { get; init; } = new HashSet<string>();

    /// <summary>Largest request body accepted, in bytes. Default 8 MiB; larger bodies get 413.</summary>
    public long MaxRequestBodyBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>How long an idle model stays loaded (Ollama's keep_alive). Default 5 minutes.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Memory budget for loaded models; null = the pool's default (75% of available memory).</summary>
    public long? MemoryBudgetBytes { get; init; }

    /// <summary>Context window of loaded models unless a request's options say otherwise. Default 2048.</summary>
    public int ContextSize { get; init; } = 2048;

    /// <summary>CPU threads per model. Default: all cores.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Requests that may decode together in one model's batch. Default 4.</summary>
    public int ParallelSequences { get; init; } = 4;

    /// <summary>Requests that may wait for a slot per model before new ones get 429. Default 64.</summary>
    public int MaxQueuedRequests { get; init; } = 64;

    /// <summary>Where <c>/api/pull</c> reaches Hugging Face; null = read <c>HEARTH_HF_ENDPOINT</c> and <c>HF_TOKEN</c> at each pull.</summary>
    public HuggingFaceOptions? HuggingFace { get; init; }

    public void Validate()
    {
        if (Port is < 0 or > 65535)
            throw new ArgumentException($"port must be between 0 and 65535, got {Port}");
        if (MaxRequestBodyBytes < 1024)
            throw new ArgumentException($"max request body must be at least 1024 bytes, got {MaxRequestBodyBytes}");
        if (ParallelSequences is < 1 or > 64)
            throw new ArgumentException($"parallel sequences must be between 1 and 64, got {ParallelSequences}");
        if (MaxQueuedRequests < 0)
            throw new ArgumentException($"max queued requests must be 0 or more, got {MaxQueuedRequests}");
        if (ContextSize < 16)
            throw new ArgumentException($"context size must be at least 16, got {ContextSize}");
    }
}
