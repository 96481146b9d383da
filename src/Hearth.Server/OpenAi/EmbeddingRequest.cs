using System.Text.Json;
using Hearth.Server.Errors;

namespace Hearth.Server.OpenAi;

/// <summary>
/// A <c>POST /v1/embeddings</c> body (https://platform.openai.com/docs/api-reference/embeddings/create): <c>input</c> is
/// a string, an array of strings, an array of token ids or an array of token-id arrays; <c>encoding_format</c> is
/// <c>float</c> (default) or <c>base64</c>; <c>dimensions</c>, if given, must be the model's embedding length
/// (vectors are not shortened: only models trained for it can be, and none Hearth makes is).
/// </summary>
internal sealed record EmbeddingRequest
{
    public required string Model { get; init; }

    /// <summary>Text inputs, or null when the input is token ids.</summary>
    public IReadOnlyList<string>? Texts { get; init; }

    public IReadOnlyList<IReadOnlyList<int>>? Tokens { get; init; }
    public bool Base64 { get; init; }
    public int? Dimensions { get; init; }

    public int Count => Texts?.Count ?? Tokens!.Count;

    public static EmbeddingRequest Parse(JsonFields body)
    {
        var model = body.RequiredString("model");
        var base64 = (body.OneOf("encoding_format", "float", "base64") ?? "float") == "base64";
        var dimensions = (int?)body.Integer("dimensions", 1, int.MaxValue);
        var input = body.Value("input") ?? throw new ApiException(400, "'input' is required", "input", "missing_field");
        var request = new EmbeddingRequest { Model = model, Base64 = base64, Dimensions = dimensions };
        switch (input.ValueKind)
        {
            case JsonValueKind.String:
                return request with { Texts = [input.GetString()!] };
            case JsonValueKind.Array:
                var items = body.Array("input").ToArray();
                if (items.Length == 0)
                    throw new ApiException(400, "'input' must not be an empty array", "input", "invalid_value");
                if (items[0].Item.ValueKind == JsonValueKind.Number)
                    return request with { Tokens = [TokenIds.Read(input, "input")] };
                if (items[0].Item.ValueKind == JsonValueKind.Array)
                    return request with { Tokens = items.Select(i => (IReadOnlyList<int>)TokenIds.Read(i.Item, i.Path)).ToArray() };
                return request with
                {
                    Texts = items.Select(i => i.Item.ValueKind == JsonValueKind.String
                        ? i.Item.GetString()!
                        : throw JsonFields.Invalid(i.Path, "a string", i.Item)).ToArray(),
                };
            default:
                throw JsonFields.Invalid("input", "a string, an array of strings or an array of token ids", input);
        }
    }
}
