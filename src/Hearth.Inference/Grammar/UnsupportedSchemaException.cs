namespace Hearth.Inference.Grammar;

/// <summary>
/// A JSON schema uses a keyword (or a value of one) that <see cref="JsonSchemaGrammar"/> cannot turn into a grammar.
/// Raised instead of ignoring the keyword, since an ignored constraint would let a reply through that the schema
/// forbids. The message names both: "unsupported JSON schema keyword 'patternProperties' at '#/properties/tags'".
/// </summary>
public sealed class UnsupportedSchemaException : ArgumentException
{
    public UnsupportedSchemaException(string keyword, string schemaPath, string? detail = null)
        : base($"unsupported JSON schema keyword '{keyword}' at '{schemaPath}'" + (detail is null ? "" : $": {detail}"))
    {
        Keyword = keyword;
        SchemaPath = schemaPath;
    }

    /// <summary>The keyword at fault (<c>pattern</c>, <c>not</c>, <c>$ref</c>, …).</summary>
    public string Keyword { get; }

    /// <summary>JSON pointer (as a URI fragment, <c>#/properties/tags</c>) of the schema object that holds it.</summary>
    public string SchemaPath { get; }
}
