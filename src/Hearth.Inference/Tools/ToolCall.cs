using System.Security.Cryptography;

namespace Hearth.Inference.Tools;

/// <summary>One call the model made: an id to answer it by, the tool's name, and its arguments as JSON object text.</summary>
public sealed record ToolCall(string Id, string Name, string Arguments)
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>A fresh id in OpenAI's shape, <c>call_</c> and 24 random letters and digits.</summary>
    public static string NewId() => "call_" + RandomNumberGenerator.GetString(Alphabet, 24);
}
