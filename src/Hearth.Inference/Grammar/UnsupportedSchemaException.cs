namespace Hearth.Inference.Grammar;

/// <summary>
/// A JSON schema uses a keyword (or a value of one) that <see cref="JsonSchemaGrammar"/> cannot turn into a grammar.
/// Raised instead of ignoring the keyword, since an ignored constraint would let a reply through that the schema
/// forbids. The message names both: "unsupported JSON schema keyword 'patternProperties' at '#/properties/tags'", or
/// for a count beyond what llama.cpp's grammar engine takes, "minItems 4000 at '#' is above the 2000 hearth can enforce".
/// </summary>
public sealed class UnsupportedSchemaException : ArgumentException
{
    public UnsupportedSchemaException(string keyword, string schemaPath, string? detail = null)
        : this(keyword, schemaPath, detail, $"unsupported JSON schema keyword '{keyword}' at '{schemaPath}'" + (detail is null ? "" : $": {detail}"))
    {
    }

    private UnsupportedSchemaException(string keyword, string schemaPath, string? detail, string message)
        : base(message)
    {
        Keyword = keyword;
        SchemaPath = schemaPath;
        Detail = detail;
    }

    /// <summary>The keyword at fault (<c>pattern</c>, <c>not</c>, <c>$ref</c>, <c>minItems</c>, …).</summary>
    public string Keyword { get; }

    /// <summary>JSON pointer (as a URI fragment, <c>#/properties/tags</c>) of the schema object that holds it.</summary>
    public string SchemaPath { get; }

    /// <summary>Why, when there is more to say than the keyword's name.</summary>
    public string? Detail { get; }

    /// <summary>The count keyword <paramref name="keyword"/> = <paramref name="value"/> exceeds <paramref name="limit"/>.</summary>
    public static UnsupportedSchemaException AboveLimit(string keyword, string schemaPath, int value, int limit, string reason) =>
        new(keyword, schemaPath, reason, $"{keyword} {value} at '{schemaPath}' is above the {limit} hearth can enforce ({reason})");

    /// <summary>This error with <paramref name="context"/> (such as the tool whose schema it is) added to the message.</summary>
    public UnsupportedSchemaException In(string context) => new(Keyword, SchemaPath, Detail, $"{Message}, {context}");
}
