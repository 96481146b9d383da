using System.Text.Json;
using Hearth.Inference.Generation;
using Hearth.Server.Errors;

namespace Hearth.Server.OpenAi;

/// <summary>
/// A <c>POST /v1/completions</c> body (https://platform.openai.com/docs/api-reference/completions/create): a raw prompt
/// (a string, or token ids; as an array, exactly one of either), no chat template. One choice per request, so
/// <c>n</c> and <c>best_of</c> must be 1, <c>echo</c> false and <c>suffix</c> unset, each refused by name otherwise.
/// <c>logprobs: N</c> (0‥5) returns each token's log probability with the N most likely tokens at its step.
/// Hearth extension: <c>truncation</c> — <c>"none"</c> (default: a 400 with both lengths) or <c>"keep_end"</c>.
/// </summary>
internal sealed record CompletionRequest
{
    public required string Model { get; init; }
    public required Prompt Prompt { get; init; }
    public required GenerationFields Generation { get; init; }

    public static CompletionRequest Parse(JsonFields body)
    {
        var model = body.RequiredString("model");
        // logprobs: N (0‥5, OpenAI's limit) — each token's log probability and the N most likely tokens at its step.
        var generation = GenerationFields.Parse(body) with { TopLogprobs = (int?)body.Integer("logprobs", 0, 5) };
        if (body.Bool("echo") == true)
            throw JsonFields.Unsupported("echo", "'echo' is not supported; leave it unset or false");
        if (body.String("suffix") is { Length: > 0 })
            throw JsonFields.Unsupported("suffix", "'suffix' (fill-in-the-middle) is not supported; leave it unset");
        if (body.Integer("best_of", long.MinValue, long.MaxValue) is { } bestOf && bestOf != 1)
            throw JsonFields.Unsupported("best_of", $"'best_of' must be 1, got {bestOf}");
        var truncation = body.OneOf("truncation", "none", "keep_end") == "keep_end" ? Truncation.KeepEnd : Truncation.None;
        return new CompletionRequest { Model = model, Prompt = ReadPrompt(body, truncation), Generation = generation };
    }

    private static Prompt ReadPrompt(JsonFields body, Truncation truncation)
    {
        var prompt = body.Value("prompt") ?? throw new ApiException(400, "'prompt' is required", "prompt", "missing_field");
        switch (prompt.ValueKind)
        {
            case JsonValueKind.String:
                return Prompt.Raw(prompt.GetString()!, truncation);
            case JsonValueKind.Array:
                var items = body.Array("prompt").ToArray();
                if (items.Length == 0)
                    throw new ApiException(400, "'prompt' must not be an empty array", "prompt", "invalid_value");
                if (items.All(i => i.Item.ValueKind == JsonValueKind.Number))
                    return Prompt.FromTokens(TokenIds.Read(prompt, "prompt"), truncation);
                if (items.Length != 1)
                    throw JsonFields.Unsupported("prompt", $"'prompt' must hold one prompt (one choice per request), got {items.Length}");
                var (only, path) = items[0];
                return only.ValueKind switch
                {
                    JsonValueKind.String => Prompt.Raw(only.GetString()!, truncation),
                    JsonValueKind.Array => Prompt.FromTokens(TokenIds.Read(only, path), truncation),
                    _ => throw JsonFields.Invalid(path, "a string or an array of token ids", only),
                };
            default:
                throw JsonFields.Invalid("prompt", "a string, an array of strings or an array of token ids", prompt);
        }
    }
}
