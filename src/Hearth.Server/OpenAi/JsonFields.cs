using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Hearth.Server.Errors;
using Microsoft.AspNetCore.Http;

namespace Hearth.Server.OpenAi;

/// <summary>
/// Typed access to the fields of one JSON object in a request body. A field of the wrong type is a 400 naming its full
/// path and what was sent (<c>'temperature' must be a number, got a string</c>); an absent field or a JSON null reads as
/// null (OpenAI's clients send explicit nulls for unset options). Unknown fields are never looked at, so they are
/// ignored, as the OpenAI API's many optional fields require.
/// </summary>
internal readonly struct JsonFields
{
    private readonly JsonElement _object;

    public JsonFields(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw Invalid(path.Length == 0 ? "the request body" : path, "an object", element);
        _object = element;
        Path = path;
    }

    /// <summary>Where this object is in the request (<c>""</c> for the body, <c>messages[2]</c>, …).</summary>
    public string Path { get; }

    /// <summary>Reads the whole body as one JSON object. Malformed JSON surfaces as <see cref="JsonException"/> (a 400).</summary>
    public static async Task<JsonFields> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var document = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = 128 }, cancellationToken)
            .ConfigureAwait(false);
        return new JsonFields(document.RootElement.Clone(), "");
    }

    public string Name(string field) => Path.Length == 0 ? field : $"{Path}.{field}";

    /// <summary>The raw value, or null when absent or JSON null.</summary>
    public JsonElement? Value(string field) =>
        _object.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public bool Has(string field) => Value(field) is not null;

    public string? String(string field) => Value(field) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        var v => throw Invalid(Name(field), "a string", v.Value),
    };

    public string RequiredString(string field) =>
        String(field) ?? throw new ApiException(400, $"'{Name(field)}' is required", Name(field), "missing_field");

    public bool? Bool(string field) => Value(field) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        var v => throw Invalid(Name(field), "a boolean", v.Value),
    };

    /// <summary>A number within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public double? Number(string field, double min, double max)
    {
        if (Value(field) is not { } v)
            return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var number))
            throw Invalid(Name(field), "a number", v);
        if (!(number >= min && number <= max))
            throw OutOfRange(Name(field), F(min), F(max), v);
        return number;
    }

    /// <summary>An integer within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public long? Integer(string field, long min, long max)
    {
        if (Value(field) is not { } v)
            return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var number))
            throw Invalid(Name(field), "an integer", v);
        if (number < min || number > max)
            throw OutOfRange(Name(field), F(min), F(max), v);
        return number;
    }

    public JsonFields? Object(string field) => Value(field) is { } v ? new JsonFields(v, Name(field)) : null;

    /// <summary>The items of an array field with their paths; empty when absent.</summary>
    public IEnumerable<(JsonElement Item, string Path)> Array(string field)
    {
        if (Value(field) is not { } v)
            return [];
        if (v.ValueKind != JsonValueKind.Array)
            throw Invalid(Name(field), "an array", v);
        var name = Name(field);
        return v.EnumerateArray().Select((item, i) => (item, $"{name}[{i}]")).ToArray();
    }

    /// <summary>A string field limited to <paramref name="allowed"/> values.</summary>
    public string? OneOf(string field, params string[] allowed)
    {
        var value = String(field);
        if (value is not null && System.Array.IndexOf(allowed, value) < 0)
            throw new ApiException(400, $"'{Name(field)}' must be one of {string.Join(", ", allowed.Select(a => $"'{a}'"))}, got '{value}'",
                Name(field), "invalid_value");
        return value;
    }

    public static ApiException Invalid(string path, string expected, JsonElement got) =>
        new(400, $"'{path}' must be {expected}, got {Describe(got)}", path, "invalid_type");

    public static ApiException Unsupported(string path, string message) => new(400, message, path, "unsupported_value");

    private static ApiException OutOfRange(string path, string min, string max, JsonElement got) =>
        new(400, $"'{path}' must be between {min} and {max}, got {got.GetRawText()}", path, "invalid_value");

    /// <summary>What a JSON value is, for error messages: "a string (\"hot\")", "an array", …</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"a string (\"{Shorten(value.GetString()!)}\")",
        JsonValueKind.Number => $"a number ({value.GetRawText()})",
        JsonValueKind.True or JsonValueKind.False => $"a boolean ({value.GetRawText()})",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    [return: NotNullIfNotNull(nameof(text))]
    private static string? Shorten(string? text) => text is { Length: > 40 } ? text[..40] + "…" : text;

    private static string F(double value) => value.ToString(CultureInfo.InvariantCulture);
}
