namespace Hearth.Models.Factory;

/// <summary>
/// A SentencePiece-style vocabulary that llama.cpp's "llama" (SPM) tokenizer runs: control tokens for the
/// ChatML template, the 256 byte-fallback tokens <c>&lt;0xXX&gt;</c> (so every input, any Unicode, tokenizes),
/// then printable characters and frequent English pieces with <c>▁</c> as the word boundary, scored so that
/// llama.cpp merges longer, more frequent pieces first.
/// </summary>
public sealed class SpmVocabulary
{
    // llama_token_type numbering (llama.cpp include/llama.h).
    public const int Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6;

    public const int UnknownId = 0, BosId = 1, EosId = 2, ImStartId = 3, ImEndId = 4;

    /// <summary>Specials plus the 256 byte tokens: the smallest vocabulary that can encode any text.</summary>
    public const int MinimumSize = 5 + 256;

    public const string WordBoundary = "\u2581"; // ▁, SentencePiece's space marker

    private SpmVocabulary(string[] tokens, float[] scores, int[] types)
    {
        Tokens = tokens;
        Scores = scores;
        Types = types;
    }

    public string[] Tokens { get; }
    public float[] Scores { get; }
    public int[] Types { get; }

    public static SpmVocabulary Build(int size)
    {
        if (size < MinimumSize)
            throw new ArgumentOutOfRangeException(nameof(size), size, $"vocabulary needs at least {MinimumSize} tokens");
        var tokens = new List<string>(size) { "<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>" };
        var types = new List<int>(size) { Unknown, Control, Control, Control, Control };
        for (var b = 0; b < 256; b++)
        {
            tokens.Add($"<0x{b:X2}>");
            types.Add(Byte);
        }

        var seen = new HashSet<string>(tokens, StringComparer.Ordinal);
        foreach (var piece in Pieces())
        {
            if (tokens.Count == size)
                break;
            if (seen.Add(piece))
            {
                tokens.Add(piece);
                types.Add(Normal);
            }
        }
        // Only very large vocabularies get here: pad with unused slots, as real models do.
        for (var i = 0; tokens.Count < size; i++)
        {
            tokens.Add($"<unused{i}>");
            types.Add(Unused);
        }

        // SPM merges the adjacent pair whose joined piece has the highest score: rank by order of appearance.
        var scores = new float[size];
        for (var i = MinimumSize; i < size; i++)
            scores[i] = types[i] == Normal ? -(i - MinimumSize) : -1e9f;
        return new SpmVocabulary(tokens.ToArray(), scores, types.ToArray());
    }

    /// <summary>Candidate pieces, most useful first: characters, then word starts and common words, then letter n-grams.</summary>
    private static IEnumerable<string> Pieces()
    {
        yield return WordBoundary;
        for (var c = 'a'; c <= 'z'; c++)
            yield return c.ToString();
        for (var c = 'A'; c <= 'Z'; c++)
            yield return c.ToString();
        for (var c = '0'; c <= '9'; c++)
            yield return c.ToString();
        foreach (var c in ".,!?;:'\"-()[]{}<>/\\@#$%^&*_+=|~`")
            yield return c.ToString();
        yield return "\n";
        for (var c = 'a'; c <= 'z'; c++)
            yield return WordBoundary + c;
        for (var c = 'A'; c <= 'Z'; c++)
            yield return WordBoundary + c;
        foreach (var word in CommonWords)
        {
            // Every prefix of a word is a piece too, so SPM's pairwise merges can reach the whole word.
            for (var len = 2; len <= word.Length; len++)
                yield return WordBoundary + word[..len];
        }
        const string letters = "etaoinshrdlcumwfgypbvkjxqz";
        foreach (var a in letters)
            foreach (var b in letters)
                yield return $"{a}{b}";
        foreach (var a in letters)
            foreach (var b in letters)
                yield return $"{WordBoundary}{a}{b}";
        foreach (var a in letters)
            foreach (var b in letters)
                foreach (var c in letters)
                    yield return $"{a}{b}{c}";
        foreach (var a in letters)
            foreach (var b in letters)
                foreach (var c in letters)
                    yield return $"{WordBoundary}{a}{b}{c}";
    }

    private static readonly string[] CommonWords =
    [
        "the", "of", "and", "to", "in", "is", "you", "that", "it", "he", "was", "for", "on", "are", "as", "with", "his",
        "they", "at", "be", "this", "have", "from", "or", "one", "had", "by", "word", "but", "not", "what", "all", "were",
        "we", "when", "your", "can", "said", "there", "use", "an", "each", "which", "she", "do", "how", "their", "if",
        "will", "up", "other", "about", "out", "many", "then", "them", "these", "so", "some", "her", "would", "make",
        "like", "him", "into", "time", "has", "look", "two", "more", "write", "go", "see", "number", "no", "way", "could",
        "people", "my", "than", "first", "water", "been", "call", "who", "now", "find", "long", "down", "day", "did",
        "get", "come", "made", "may", "part", "hello", "world", "model", "answer", "question", "user", "assistant",
        "system", "yes", "thank", "please", "help", "good", "new", "know", "think", "well", "also", "because", "any",
    ];
}
