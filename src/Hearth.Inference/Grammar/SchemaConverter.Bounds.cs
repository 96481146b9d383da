namespace Hearth.Inference.Grammar;

internal sealed partial class SchemaConverter
{
    /// <summary>A count keyword (<c>minItems</c>, <c>maxLength</c>, …) and its value in the schema.</summary>
    private readonly record struct Bound(string Keyword, int Value);

    /// <summary>
    /// <paramref name="item"/> repeated <paramref name="min"/>..<paramref name="max"/> times for the schema's count
    /// keywords, where <paramref name="written"/> is how many of the counted things (items, characters) the caller writes
    /// outside the repetition, so that keyword value = repetition count + written. Checked against llama.cpp's limit
    /// (<see cref="GbnfRules.RepetitionThreshold"/>) so that a schema it would refuse is an
    /// <see cref="UnsupportedSchemaException"/> naming the keyword rather than a vague "failed to parse grammar".
    /// A repeated item that is not a plain sequence, and a repetition that generates rules, get rules of their own:
    /// llama.cpp multiplies the rules a group generates by the count, and a group that holds a repetition by its
    /// rules, so without that an enum item or an optional array would lower the limit.
    /// </summary>
    private string BoundedRepeat(string item, int min, int? max, Bound lower, Bound? upper, int written, string path, string hint)
    {
        if (GbnfRules.RulesGeneratedBy(item) > 0)
            item = rules.Add($"{hint}-each", item);
        // Now the group "(item)" generates exactly one rule, so the count itself must stay below the threshold.
        const int largest = GbnfRules.RepetitionThreshold - 1;
        if (min > largest)
            throw TooLarge(lower, largest + written, path);
        if (max > largest)
            throw TooLarge(upper!.Value, largest + written, path);

        var repetition = GbnfRules.Repeat(item, min, max);
        return GbnfRules.RulesGeneratedBy(repetition) > 1 ? rules.Add($"{hint}-repeat", repetition) : repetition;
    }

    private static UnsupportedSchemaException TooLarge(Bound bound, int limit, string path) =>
        UnsupportedSchemaException.AboveLimit(bound.Keyword, path, bound.Value, limit,
            $"llama.cpp's grammar parser refuses a repetition of {GbnfRules.RepetitionThreshold} or more");
}
