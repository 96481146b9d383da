using Hearth.Models.Naming;
using Hearth.Server.Serving;

namespace Hearth.Server.Ollama;

/// <summary>
/// What <c>/api/generate</c> with no prompt and <c>/api/chat</c> with no messages do in Ollama: load the model and keep
/// it for <c>keep_alive</c> (<c>done_reason: "load"</c>), or with <c>keep_alive: 0</c> unload it now (<c>"unload"</c>).
/// </summary>
internal static class ModelLoading
{
    /// <returns>The <c>done_reason</c>: "load" or "unload".</returns>
    public static async Task<string> LoadOrUnloadAsync(ServedModels models, string model, TimeSpan? keepAlive, CancellationToken cancellationToken)
    {
        if (keepAlive == TimeSpan.Zero)
        {
            var path = models.Store.GetModelPath(ModelName.Parse(model)); // unknown model: 404 as for any request
            models.Pool.Unload(path);
            return "unload";
        }
        using var served = await models.AcquireAsync(model, null, keepAlive, cancellationToken).ConfigureAwait(false);
        return "load";
    }
}
