using Hearth.Models.Naming;

namespace Hearth.Models.Store;

/// <summary>Picks the store names closest to a name that was not found (typos, missing namespace, other tags).</summary>
public static class NameSuggestions
{
    public const int MaxSuggestions = 3;

    public static IReadOnlyList<ModelName> Find(ModelName wanted, IEnumerable<ModelName> candidates)
    {
        var scored = new List<(ModelName Name, int Score)>();
        foreach (var c in candidates)
        {
            if (c == wanted)
                continue;
            int score;
            if (c.Name == wanted.Name)
                score = 0; // same model, other tag
            else if (c.Model == wanted.Model)
                score = 1; // same model, other namespace
            else
            {
                var distance = EditDistance(wanted.Name, c.Name);
                // Typos: a couple of edits, or up to a third of the name for long names.
                var allowed = Math.Max(2, wanted.Name.Length / 3);
                var prefix = wanted.Model.Length >= 3 && (c.Model.StartsWith(wanted.Model, StringComparison.Ordinal) || wanted.Model.StartsWith(c.Model, StringComparison.Ordinal));
                if (distance > allowed && !prefix)
                    continue;
                score = 2 + (prefix ? 0 : distance);
            }
            // Among equals, prefer the requested tag.
            scored.Add((c, score * 2 + (c.Tag == wanted.Tag ? 0 : 1)));
        }
        return scored.OrderBy(s => s.Score).ThenBy(s => s.Name.ToString(), StringComparer.Ordinal)
            .Take(MaxSuggestions).Select(s => s.Name).ToList();
    }

    /// <summary>Levenshtein distance (insert, delete, substitute each cost 1), two rows of memory.</summary>
    public static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitute, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
