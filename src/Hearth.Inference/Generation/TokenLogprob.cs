using System.Text;
using System.Text.Unicode;

namespace Hearth.Inference.Generation;

/// <summary>
/// One generated token with its log probability and the most likely tokens at its step: what OpenAI's
/// <c>logprobs.content[]</c> entries carry (https://platform.openai.com/docs/api-reference/chat/object). Produced only
/// when <see cref="Sampling.SamplingOptions.TopLogprobs"/> is set.
/// </summary>
/// <param name="Token">The token id.</param>
/// <param name="Text">
/// The token's text. A token whose bytes are not valid UTF-8 on their own (one piece of a character split across
/// tokens) reads <c>bytes:\xe2\x80</c>, every byte escaped, as OpenAI writes such tokens; <see cref="Bytes"/> has them raw.
/// </param>
/// <param name="Bytes">The UTF-8 bytes the token writes into the output (none for control tokens).</param>
/// <param name="Logprob">
/// Natural log of the token's probability under the model: the log-softmax of the raw logits at that step, before
/// temperature, penalties and grammar, so it describes the model rather than the sampler settings. Always ≤ 0.
/// </param>
public sealed record TokenLogprob(int Token, string Text, byte[] Bytes, float Logprob)
{
    /// <summary>Where the token's text begins in <see cref="GenerationResult.Text"/> (UTF-16 index).</summary>
    public int TextOffset { get; init; }

    /// <summary>The most likely tokens at this step, most likely first (as many as requested; the chosen token may be among them).</summary>
    public IReadOnlyList<TokenAlternative> TopLogprobs { get; init; } = [];

    /// <summary>How a token's bytes read as text: decoded when they are valid UTF-8, else <c>bytes:</c> and every byte as <c>\xNN</c>.</summary>
    public static string TextOf(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
            return Encoding.UTF8.GetString(bytes);
        var text = new StringBuilder("bytes:", 6 + 4 * bytes.Length);
        foreach (var b in bytes)
            text.Append("\\x").Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        return text.ToString();
    }
}
