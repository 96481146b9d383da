using System.Text.Json;
using Hearth.Models.Naming;

namespace Hearth.Models.Store;

/// <summary>
/// What <c>name:tag</c> stands for: the base GGUF blob, optional LoRA adapters, default parameters and prompts, and
/// where it came from. Stored as <c>manifests/&lt;name&gt;/&lt;tag&gt;.json</c> (docs/formats.md, "Model store").
/// </summary>
public sealed record ModelManifest
{
    /// <summary>The one schema version this code reads and writes; any other is refused with a clear error.</summary>
    public const int CurrentSchemaVersion = 1;

    public required ModelName Name { get; init; }

    /// <summary>The base model GGUF.</summary>
    public required BlobReference Model { get; init; }

    /// <summary>LoRA adapters applied on top of <see cref="Model"/>, in order.</summary>
    public IReadOnlyList<AdapterReference> Adapters { get; init; } = [];

    /// <summary>Default sampling and runtime parameters (e.g. <c>temperature</c>, <c>stop</c>), as JSON values.</summary>
    public IReadOnlyDictionary<string, JsonElement> Parameters { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>A chat template that overrides the GGUF's <c>tokenizer.chat_template</c>.</summary>
    public string? Template { get; init; }

    /// <summary>Default system prompt.</summary>
    public string? System { get; init; }

    /// <summary>Licence identifier or text (from <c>general.license</c> or the repo's model card).</summary>
    public string? License { get; init; }

    /// <summary>Where it came from: <c>hf:owner/repo/file.gguf@rev</c>, <c>import:/abs/path</c>, <c>create:tiny seed=1</c>, …</summary>
    public string? Source { get; init; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Every blob this manifest needs: the model first, then the adapters.</summary>
    public IEnumerable<string> BlobDigests => Adapters.Select(a => a.Digest).Prepend(Model.Digest);

    /// <summary>Total bytes of all blobs (what <c>hearth list</c> shows as size).</summary>
    public long TotalSize => Model.Size + Adapters.Sum(a => a.Size);
}

/// <summary>A blob by digest (<c>sha256:&lt;hex&gt;</c>), size in bytes and media type.</summary>
public sealed record BlobReference(string Digest, long Size, string MediaType = MediaTypes.Model);

/// <summary>A LoRA adapter blob and the scale it is applied with.</summary>
public sealed record AdapterReference(string Digest, long Size, float Scale = 1f, string MediaType = MediaTypes.Adapter);

/// <summary>Media types of store blobs (Ollama uses <c>application/vnd.ollama.image.*</c> the same way).</summary>
public static class MediaTypes
{
    public const string Model = "application/vnd.hearth.model.gguf";
    public const string Adapter = "application/vnd.hearth.adapter.gguf";
}
