using Hearth.Models.Naming;
using Hearth.Models.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Server.OpenAi;

/// <summary>
/// <c>GET /v1/models</c> (every model in the store, loaded or not, since any of them can be asked for) and
/// <c>GET /v1/models/{id}</c>. Ids are full store names (<c>tiny:latest</c>); <c>created</c> is when the model entered the store.
/// </summary>
internal static class ModelsEndpoint
{
    public static JsonHttpResult<ModelList> List(ModelStore store)
    {
        // Damaged manifests are listed by `hearth list` with their problem; an API client can do nothing with them.
        var models = store.List()
            .Where(e => e.Problem is null)
            .Select(e => new ModelObject(e.Name.ToString(), e.Modified.ToUnixTimeSeconds()))
            .ToArray();
        return TypedResults.Json(new ModelList(models), OpenAiJsonContext.Relaxed.ModelList);
    }

    /// <exception cref="ModelNotFoundException">No such model (a 404).</exception>
    public static JsonHttpResult<ModelObject> Get(string id, ModelStore store)
    {
        var manifest = store.Get(ModelName.Parse(id));
        return TypedResults.Json(new ModelObject(manifest.Name.ToString(), manifest.CreatedAt.ToUnixTimeSeconds()),
            OpenAiJsonContext.Relaxed.ModelObject);
    }
}
