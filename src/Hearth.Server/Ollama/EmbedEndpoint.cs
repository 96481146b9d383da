using System.Diagnostics;
using System.Text.Json;
using Hearth.Inference.Embeddings;
using Hearth.Inference.Runtime;
using Hearth.Server.Errors;
using Hearth.Server.Observability;
using Hearth.Server.Serving;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Server.Ollama;

/// <summary>
/// <c>POST /api/embed</c> (Ollama docs/api.md "Generate Embeddings"): <c>input</c> as a string or an array of strings,
/// unit-length vectors in <c>embeddings</c>, optional <c>dimensions</c> (the first N components, normalised again).
/// Unlike Ollama, an input longer than the context is a 400 with both lengths unless the request says
/// <c>truncate: true</c>, which then keeps each input's beginning. Also the older <c>POST /api/embeddings</c>
/// (<c>prompt</c> → <c>embedding</c>).
/// </summary>
internal static class EmbedEndpoint
{
    public static async Task<JsonHttpResult<EmbedResponse>> HandleAsync(HttpContext context, ServedModels models, ServerMetrics metrics)
    {
        var startedAt = Stopwatch.GetTimestamp();
        var body = await OllamaRequestBody.ReadAsync(context.Request).ConfigureAwait(false);
        var model = body.Model();
        var inputs = Inputs(body);
        var truncate = body.Bool("truncate") ?? false;
        var dimensions = Dimensions(body);
        var loadStarted = Stopwatch.GetTimestamp();
        using var served = await models.AcquireAsync(model, body.Options(), body.KeepAliveValue(), context.RequestAborted).ConfigureAwait(false);
        var loadDuration = Stopwatch.GetElapsedTime(loadStarted);
        if (dimensions > served.Model.EmbeddingSize)
            throw new ApiException(400, $"'dimensions' must be at most the model's embedding length {served.Model.EmbeddingSize}, got {dimensions}", "dimensions");

        var result = inputs.Count == 0
            ? new EmbeddingResult([], 0)
            : await EmbedAsync(served.Model, inputs, truncate, context.RequestAborted).ConfigureAwait(false);
        metrics.Tokens(result.PromptTokens, 0);
        var vectors = dimensions is { } d ? result.Vectors.Select(v => Shorten(v, d)).ToList() : result.Vectors;
        return TypedResults.Json(new EmbedResponse(model, vectors, OllamaJson.Nanoseconds(Stopwatch.GetElapsedTime(startedAt)),
            OllamaJson.Nanoseconds(loadDuration), result.PromptTokens), OllamaJson.Options);
    }

    /// <summary>The older endpoint: one <c>prompt</c>, one <c>embedding</c>.</summary>
    public static async Task<JsonHttpResult<LegacyEmbeddingResponse>> HandleLegacyAsync(HttpContext context, ServedModels models, ServerMetrics metrics)
    {
        var body = await OllamaRequestBody.ReadAsync(context.Request).ConfigureAwait(false);
        var model = body.Model();
        var prompt = body.String("prompt") is { Length: > 0 } p ? p : throw new ApiException(400, "'prompt' is required", "prompt");
        using var served = await models.AcquireAsync(model, body.Options(), body.KeepAliveValue(), context.RequestAborted).ConfigureAwait(false);
        var result = await served.Model.EmbedAsync([prompt], normalize: true, context.RequestAborted).ConfigureAwait(false);
        metrics.Tokens(result.PromptTokens, 0);
        return TypedResults.Json(new LegacyEmbeddingResponse(result.Vectors[0]), OllamaJson.Options);
    }

    private static IReadOnlyList<string> Inputs(OllamaRequestBody body)
    {
        switch (body.Get("input"))
        {
            case null:
                throw new ApiException(400, "'input' is required: a string or an array of strings", "input");
            case { ValueKind: JsonValueKind.String } one:
                return [one.GetString()!];
            case { ValueKind: JsonValueKind.Array } many:
                var inputs = new List<string>();
                foreach (var item in many.EnumerateArray())
                    inputs.Add(OllamaRequestBody.StringValue(item, $"input[{inputs.Count}]"));
                return inputs;
            case { } other:
                throw OllamaRequestBody.WrongType("input", "a string or an array of strings", other);
        }
    }

    private static int? Dimensions(OllamaRequestBody body)
    {
        if (body.Get("dimensions") is not { } value)
            return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var d) || d < 1)
            throw new ApiException(400, $"'dimensions' must be a positive integer, got {value.GetRawText()}", "dimensions");
        return d;
    }

    /// <summary>With <c>truncate</c>, an input that does not fit is cut to its first tokens and the batch tried again.</summary>
    private static async Task<EmbeddingResult> EmbedAsync(LoadedModel model, IReadOnlyList<string> inputs, bool truncate, CancellationToken cancellationToken)
    {
        var current = inputs.ToArray();
        while (true)
        {
            try
            {
                return await model.EmbedAsync(current, normalize: true, cancellationToken).ConfigureAwait(false);
            }
            catch (EmbeddingInputException tooLong) when (truncate && tooLong.Tokens > 0 && tooLong.Tokens >= tooLong.ContextSize)
            {
                var tokens = model.Tokenize(current[tooLong.Index], addBos: false, parseSpecial: false);
                // Text decoded from a token prefix may tokenize a little longer again; aim a few tokens short.
                var keep = Math.Max(1, Math.Min(tokens.Length, tooLong.ContextSize) - 8);
                current[tooLong.Index] = model.Detokenize(tokens.Take(keep));
            }
        }
    }

    /// <summary>The first <paramref name="dimensions"/> components at unit length (Matryoshka-style shortening, as Ollama does).</summary>
    private static float[] Shorten(float[] vector, int dimensions)
    {
        var shortened = vector.AsSpan(0, dimensions).ToArray();
        var norm = Math.Sqrt(shortened.Sum(x => (double)x * x));
        if (norm > 0)
            for (var i = 0; i < shortened.Length; i++)
                shortened[i] = (float)(shortened[i] / norm);
        return shortened;
    }
}
