using System.Security.Cryptography;

namespace Hearth.Server.OpenAi;

/// <summary>Ids and fixed values of OpenAI-shaped responses.</summary>
internal static class OpenAiIds
{
    /// <summary>Identifies the serving backend; OpenAI changes it with its configuration, Hearth names itself.</summary>
    public const string SystemFingerprint = "fp_hearth";

    /// <summary><c>chatcmpl-</c>, <c>cmpl-</c> or <c>call_</c> and 24 random base-62 characters, the shape OpenAI's ids have.</summary>
    public static string New(string prefix) =>
        prefix + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 24);

    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
