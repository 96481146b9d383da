using System.Text.Json;
using Hearth.Server.Errors;
using Microsoft.AspNetCore.Http;

namespace Hearth.Server.Ollama;

/// <summary>
/// A request body read as JSON, with typed getters whose errors name the field and say what was expected
/// ("'stream' must be a boolean, got a string"). Unknown fields are ignored, as Ollama does.
/// </summary>
internal sealed class OllamaRequestBody
{
    private OllamaRequestBody(JsonElement root) => Root = root;

    public JsonElement Root { get; }

    /// <summary>Reads the whole body; malformed JSON throws <see cref="JsonException"/> (400), an oversized body Kestrel's 413.</summary>
    public static async Task<OllamaRequestBody> ReadAsync(HttpRequest request)
    {
        using var document = await JsonDocument.ParseAsync(request.Body, default, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            throw new ApiException(400, $"request body must be a JSON object, got {Describe(document.RootElement.ValueKind)}");
        return new OllamaRequestBody(document.RootElement.Clone());
    }

    public static OllamaRequestBody From(JsonElement root) => new(root);

    /// <summary>The field, or null when it is absent or JSON null.</summary>
    public JsonElement? Get(string name) =>
        Root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public string? String(string name) => Get(name) is { } v ? StringValue(v, name) : null;

    public bool? Bool(string name) => Get(name) is { } v
        ? v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : throw WrongType(name, "a boolean", v)
        : null;

    /// <summary>The model name from <c>model</c> or, for older clients, <c>name</c>; required.</summary>
    public string Model() =>
        (String("model") is { Length: > 0 } model ? model : String("name")) is { Length: > 0 } name
            ? name
            : throw new ApiException(400, "'model' is required", "model");

    /// <summary><c>options</c>: an object of Ollama parameters (checked by name when applied).</summary>
    public IReadOnlyDictionary<string, JsonElement>? Options()
    {
        if (Get("options") is not { } options)
            return null;
        if (options.ValueKind != JsonValueKind.Object)
            throw WrongType("options", "an object", options);
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in options.EnumerateObject())
            if (property.Value.ValueKind != JsonValueKind.Null) // clients send unset options as null
                result[property.Name] = property.Value;
        return result;
    }

    /// <summary><c>keep_alive</c> as a duration (see <see cref="KeepAlive"/>).</summary>
    public TimeSpan? KeepAliveValue() => Get("keep_alive") is { } v ? KeepAlive.Parse(v) : null;

    public static string StringValue(JsonElement value, string field) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw WrongType(field, "a string", value);

    public static ApiException WrongType(string field, string expected, JsonElement value) =>
        new(400, $"'{field}' must be {expected}, got {Describe(value.ValueKind)}", field);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
