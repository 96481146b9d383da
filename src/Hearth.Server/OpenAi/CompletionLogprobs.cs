using Hearth.Inference.Generation;

namespace Hearth.Server.OpenAi;

/// <summary>
/// A legacy completion choice's <c>logprobs</c> object (https://platform.openai.com/docs/api-reference/completions/object):
/// parallel lists of tokens, their log probabilities, a dictionary of the most likely tokens per step (token text →
/// log probability; when two alternatives read the same, the more likely one is kept), and each token's character
/// offset. Offsets count UTF-16 code units from the start of the returned text (no prompt is echoed), across the
/// chunks of a stream.
/// </summary>
internal sealed record CompletionLogprobs(IReadOnlyList<string> Tokens, IReadOnlyList<float> TokenLogprobs,
    IReadOnlyList<Dictionary<string, float>> TopLogprobs, IReadOnlyList<int> TextOffset)
{
    /// <summary>The entries in OpenAI's shape; null when log probabilities were not requested.</summary>
    public static CompletionLogprobs? From(IReadOnlyList<TokenLogprob>? entries)
    {
        if (entries is null)
            return null;
        var top = new Dictionary<string, float>[entries.Count];
        for (var i = 0; i < top.Length; i++)
        {
            top[i] = new Dictionary<string, float>(entries[i].TopLogprobs.Count, StringComparer.Ordinal);
            foreach (var alternative in entries[i].TopLogprobs)
                top[i].TryAdd(alternative.Text, ChatLogprobs.Finite(alternative.Logprob));
        }
        return new CompletionLogprobs(entries.Select(e => e.Text).ToArray(), entries.Select(e => ChatLogprobs.Finite(e.Logprob)).ToArray(),
            top, entries.Select(e => e.TextOffset).ToArray());
    }
}
