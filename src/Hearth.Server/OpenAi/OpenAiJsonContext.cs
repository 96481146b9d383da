using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hearth.Server.OpenAi;

/// <summary>Source-generated serialization of every OpenAI response shape: snake_case names, nulls left out unless a member says otherwise.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ChatCompletion))]
[JsonSerializable(typeof(ChatCompletionChunk))]
[JsonSerializable(typeof(TextCompletion))]
[JsonSerializable(typeof(EmbeddingList))]
[JsonSerializable(typeof(ModelList))]
[JsonSerializable(typeof(ModelObject))]
[JsonSerializable(typeof(StreamError))]
[JsonSerializable(typeof(float[]))]
[JsonSerializable(typeof(string))]
internal sealed partial class OpenAiJsonContext : JsonSerializerContext
{
    /// <summary>The same settings plus relaxed escaping, which keeps non-ASCII text readable in streamed output (it is JSON, never HTML).</summary>
    public static OpenAiJsonContext Relaxed { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
