using System.Runtime.InteropServices;
using Hearth.Server.Errors;
using Hearth.Server.Observability;
using Hearth.Server.Serving;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Server.OpenAi;

/// <summary>
/// <c>POST /v1/embeddings</c>: unit-length mean-pooled vectors from the model's embedding context, one per input, in
/// input order. An input longer than the context is a 400 with both lengths (inputs are never cut).
/// </summary>
internal static class EmbeddingsEndpoint
{
    public static async Task<JsonHttpResult<EmbeddingList>> HandleAsync(HttpContext http, ServedModels models, ServerMetrics metrics)
    {
        var aborted = http.RequestAborted;
        var request = EmbeddingRequest.Parse(await JsonFields.ReadBodyAsync(http.Request, aborted).ConfigureAwait(false));
        using var served = await models.AcquireAsync(request.Model, cancellationToken: aborted).ConfigureAwait(false);
        var model = served.Model;
        if (request.Dimensions is { } dimensions && dimensions != model.EmbeddingSize)
            throw JsonFields.Unsupported("dimensions",
                $"'dimensions' must be the model's embedding length {model.EmbeddingSize} (vectors are not shortened), got {dimensions}");
        var result = request.Texts is { } texts
            ? await model.EmbedAsync(texts, normalize: true, aborted).ConfigureAwait(false)
            : await model.EmbedTokensAsync(request.Tokens!, normalize: true, aborted).ConfigureAwait(false);
        metrics.Tokens(result.PromptTokens, 0);
        var data = result.Vectors.Select((v, i) => new EmbeddingItem(i, request.Base64 ? Base64(v) : v)).ToArray();
        return TypedResults.Json(new EmbeddingList(data, served.Name.ToString(), new EmbeddingUsage(result.PromptTokens)),
            OpenAiJsonContext.Relaxed.EmbeddingList);
    }

    // OpenAI's base64 format is the raw little-endian float32 array (what its SDKs decode with a float view of the bytes).
    private static string Base64(float[] vector)
    {
        if (!BitConverter.IsLittleEndian)
            throw new ApiException(400, "'encoding_format' base64 is only produced on little-endian machines", "encoding_format");
        return Convert.ToBase64String(MemoryMarshal.AsBytes(vector.AsSpan()));
    }
}
