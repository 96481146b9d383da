using System.Text.Json.Serialization;
using Hearth.Inference.Generation;

namespace Hearth.Server.OpenAi;

/// <summary>
/// A chat choice's <c>logprobs</c> object (https://platform.openai.com/docs/api-reference/chat/object): one entry per
/// token of the reply, each with its <c>top_logprobs</c>. Streamed chunks carry the entries of their own tokens.
/// </summary>
internal sealed record ChatLogprobs(IReadOnlyList<ChatTokenLogprob> Content)
{
    /// <summary>Log probabilities of refusal tokens: hearth has no separate refusal channel, so always null (as OpenAI sends it).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public object? Refusal => null;

    /// <summary>The entries in OpenAI's shape; null when log probabilities were not requested.</summary>
    public static ChatLogprobs? From(IReadOnlyList<TokenLogprob>? entries) =>
        entries is null ? null : new ChatLogprobs(entries.Select(ChatTokenLogprob.From).ToArray());

    /// <summary>
    /// A log probability as JSON can carry it: −∞ (a token the model rules out, only ever among the alternatives of a
    /// tiny vocabulary) becomes −9999, the value OpenAI uses for "very unlikely".
    /// </summary>
    public static float Finite(float logprob) => float.IsFinite(logprob) ? logprob : -9999f;

    /// <summary>The bytes as the JSON array of integers OpenAI sends (a byte[] would serialize as base64).</summary>
    public static int[] Bytes(byte[] bytes) => Array.ConvertAll(bytes, b => (int)b);
}

internal sealed record ChatTokenLogprob(string Token, float Logprob, IReadOnlyList<int> Bytes, IReadOnlyList<ChatTopLogprob> TopLogprobs)
{
    public static ChatTokenLogprob From(TokenLogprob entry) => new(entry.Text, ChatLogprobs.Finite(entry.Logprob), ChatLogprobs.Bytes(entry.Bytes),
        entry.TopLogprobs.Select(t => new ChatTopLogprob(t.Text, ChatLogprobs.Finite(t.Logprob), ChatLogprobs.Bytes(t.Bytes))).ToArray());
}

internal sealed record ChatTopLogprob(string Token, float Logprob, IReadOnlyList<int> Bytes);
