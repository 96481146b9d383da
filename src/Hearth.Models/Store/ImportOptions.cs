using System.Text.Json;

namespace Hearth.Models.Store;

/// <summary>Options for <see cref="ModelStore.ImportAsync"/>. All optional; the defaults copy the file and keep the GGUF's own settings.</summary>
public sealed record ImportOptions
{
    /// <summary>
    /// Move the source file into the store instead of copying it (for callers that wrote a temporary file themselves).
    /// Default false: the source is left untouched.
    /// </summary>
    public bool MoveSource { get; init; }

    /// <summary>Default parameters for the manifest (e.g. <c>temperature</c>, <c>stop</c>).</summary>
    public IReadOnlyDictionary<string, JsonElement>? Parameters { get; init; }

    /// <summary>A chat template overriding the GGUF's.</summary>
    public string? Template { get; init; }

    public string? System { get; init; }

    /// <summary>Licence to record; default the GGUF's <c>general.license</c>.</summary>
    public string? License { get; init; }

    /// <summary>Source to record; default <c>import:&lt;absolute path&gt;</c>.</summary>
    public string? Source { get; init; }
}
