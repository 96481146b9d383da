using System.Text.Json.Serialization;

namespace Hearth.Server.OpenAi;

/// <summary>The legacy completion object (https://platform.openai.com/docs/api-reference/completions/object); streamed chunks have the same shape.</summary>
internal sealed record TextCompletion(string Id, long Created, string Model, IReadOnlyList<TextChoice> Choices, Usage? Usage)
{
    public string Object => "text_completion";
    public string SystemFingerprint => OpenAiIds.SystemFingerprint;
}

/// <param name="Logprobs">Null unless the request asked for <c>logprobs</c>; written as <c>null</c> then, as OpenAI does.</param>
internal sealed record TextChoice(string Text, int Index, string? FinishReason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] CompletionLogprobs? Logprobs = null)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? FinishReason { get; init; } = FinishReason;
}
