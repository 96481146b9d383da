using System.Reflection;
using Hearth.Gguf;
using Hearth.Models.Info;
using Hearth.Models.Naming;
using Hearth.Models.Store;
using Hearth.Server.Errors;
using Hearth.Server.Hosting;
using Hearth.Server.Serving;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Server.Ollama;

/// <summary>
/// The store and pool as Ollama shows them: <c>GET /api/tags</c>, <c>GET /api/ps</c>, <c>DELETE /api/delete</c>,
/// <c>POST /api/copy</c>, <c>GET /api/version</c>. <c>/api/show</c> is <see cref="ShowEndpoint"/>.
/// </summary>
internal static class ModelEndpoints
{
    public static JsonHttpResult<TagsResponse> Tags(ServedModels models)
    {
        var entries = new List<TagEntry>();
        foreach (var entry in models.Store.List())
        {
            // A damaged manifest has no blob to describe; `hearth list` shows it with its problem, clients here cannot.
            if (entry.Problem is not null)
                continue;
            entries.Add(new TagEntry(entry.Name.ToString(), entry.Name.ToString(), OllamaJson.Timestamp(entry.Modified), entry.Size,
                ModelDetails.BareDigest(entry.Digest), Details(models.Store, entry.Name)));
        }
        return TypedResults.Json(new TagsResponse(entries), OllamaJson.Options);
    }

    /// <summary>Models loaded now, named by the store entries whose weights they are.</summary>
    public static JsonHttpResult<RunningResponse> Running(ServedModels models, HearthServerOptions options)
    {
        var byPath = models.Store.List().Where(e => e.Problem is null)
            .GroupBy(e => Path.GetFullPath(models.Store.GetBlobPath(e.Digest)))
            .ToDictionary(g => g.Key, g => g.First());
        var running = new List<RunningEntry>();
        foreach (var loaded in models.Pool.Loaded)
        {
            byPath.TryGetValue(loaded.Path, out var entry);
            var name = entry?.Name.ToString() ?? Path.GetFileName(loaded.Path);
            // Busy models expire keep_alive after their last request ends; "forever" is shown as Ollama does, far ahead.
            var expires = loaded.ExpiresAt
                ?? (loaded.Leases > 0 && options.KeepAlive >= TimeSpan.Zero ? DateTimeOffset.UtcNow + options.KeepAlive : DateTimeOffset.MaxValue);
            running.Add(new RunningEntry(name, name, loaded.EstimatedBytes, ModelDetails.BareDigest(entry?.Digest ?? ""),
                entry is null ? ModelDetails.Unknown : Details(models.Store, entry.Name), OllamaJson.Timestamp(expires), 0,
                loaded.ContextSize));
        }
        return TypedResults.Json(new RunningResponse(running), OllamaJson.Options);
    }

    public static async Task<Ok> DeleteAsync(HttpContext context, ServedModels models)
    {
        var body = await OllamaRequestBody.ReadAsync(context.Request).ConfigureAwait(false);
        var name = ModelName.Parse(body.Model());
        var manifest = models.Store.Get(name);
        var path = models.Store.GetBlobPath(manifest.Model.Digest);
        await models.Store.RemoveAsync(name, context.RequestAborted).ConfigureAwait(false);
        // Weights no other name uses are gone from disk: free their memory too.
        if (!models.Store.HasBlob(manifest.Model.Digest))
            models.Pool.Unload(path);
        return TypedResults.Ok();
    }

    public static async Task<Ok> CopyAsync(HttpContext context, ServedModels models)
    {
        var body = await OllamaRequestBody.ReadAsync(context.Request).ConfigureAwait(false);
        var source = body.String("source") is { Length: > 0 } s ? s : throw new ApiException(400, "'source' is required", "source");
        var destination = body.String("destination") is { Length: > 0 } d ? d : throw new ApiException(400, "'destination' is required", "destination");
        await models.Store.CopyAsync(ModelName.Parse(source), ModelName.Parse(destination), context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok();
    }

    public static JsonHttpResult<VersionResponse> Version() => TypedResults.Json(new VersionResponse(HearthVersion), OllamaJson.Options);

    /// <summary>The Hearth.Server assembly's informational version without its source-revision suffix.</summary>
    public static string HearthVersion { get; } =
        (typeof(ModelEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
         ?? typeof(ModelEndpoints).Assembly.GetName().Version?.ToString() ?? "0.0.0").Split('+')[0];

    private static OllamaModelDetails Details(ModelStore store, ModelName name)
    {
        try
        {
            return ModelDetails.From(ModelInfo.Load(store, name));
        }
        catch (Exception ex) when (ex is ModelStoreException or GgufFormatException or IOException or UnauthorizedAccessException)
        {
            return ModelDetails.Unknown;
        }
    }
}
