using System.Text.Json;

namespace Hearth.Server.Ollama;

// The response objects of Ollama's API (docs/api.md), written with OllamaJson.Options (snake_case, nulls omitted).

/// <summary>Counts and timings of the final <c>done: true</c> object; durations in nanoseconds.</summary>
internal sealed record OllamaDoneStats(long TotalDuration, long LoadDuration, int PromptEvalCount, long PromptEvalDuration, int EvalCount, long EvalDuration);

/// <summary>One line of <c>/api/generate</c>.</summary>
internal sealed record GenerateLine(string Model, string CreatedAt, string Response, bool Done)
{
    public string? DoneReason { get; init; }
    public long? TotalDuration { get; init; }
    public long? LoadDuration { get; init; }
    public int? PromptEvalCount { get; init; }
    public long? PromptEvalDuration { get; init; }
    public int? EvalCount { get; init; }
    public long? EvalDuration { get; init; }

    public GenerateLine WithStats(OllamaDoneStats s) => this with
    {
        TotalDuration = s.TotalDuration, LoadDuration = s.LoadDuration, PromptEvalCount = s.PromptEvalCount,
        PromptEvalDuration = s.PromptEvalDuration, EvalCount = s.EvalCount, EvalDuration = s.EvalDuration,
    };
}

/// <summary>One line of <c>/api/chat</c>.</summary>
internal sealed record ChatLine(string Model, string CreatedAt, OllamaMessage Message, bool Done)
{
    public string? DoneReason { get; init; }
    public long? TotalDuration { get; init; }
    public long? LoadDuration { get; init; }
    public int? PromptEvalCount { get; init; }
    public long? PromptEvalDuration { get; init; }
    public int? EvalCount { get; init; }
    public long? EvalDuration { get; init; }

    public ChatLine WithStats(OllamaDoneStats s) => this with
    {
        TotalDuration = s.TotalDuration, LoadDuration = s.LoadDuration, PromptEvalCount = s.PromptEvalCount,
        PromptEvalDuration = s.PromptEvalDuration, EvalCount = s.EvalCount, EvalDuration = s.EvalDuration,
    };
}

/// <summary>A chat message as Ollama writes it; <c>tool_calls</c> carry arguments as a JSON object.</summary>
internal sealed record OllamaMessage(string Role, string Content)
{
    public IReadOnlyList<OllamaToolCall>? ToolCalls { get; init; }
}

internal sealed record OllamaToolCall(OllamaFunctionCall Function)
{
    public string? Id { get; init; }
}

internal sealed record OllamaFunctionCall(int Index, string Name, JsonElement Arguments);

/// <summary>Model details as <c>/api/tags</c>, <c>/api/show</c> and <c>/api/ps</c> give them.</summary>
internal sealed record OllamaModelDetails(string ParentModel, string Format, string Family, IReadOnlyList<string> Families, string ParameterSize, string QuantizationLevel);

internal sealed record TagsResponse(IReadOnlyList<TagEntry> Models);

internal sealed record TagEntry(string Name, string Model, string ModifiedAt, long Size, string Digest, OllamaModelDetails Details);

internal sealed record RunningResponse(IReadOnlyList<RunningEntry> Models);

/// <summary>One <c>/api/ps</c> entry; <c>context_length</c> (Ollama ≥ 0.6) is one request's context window in tokens.</summary>
internal sealed record RunningEntry(string Name, string Model, long Size, string Digest, OllamaModelDetails Details, string ExpiresAt, long SizeVram,
    int ContextLength);

internal sealed record ShowResponse(string License, string Modelfile, string Parameters, string Template, string? System,
    OllamaModelDetails Details, IReadOnlyDictionary<string, object?> ModelInfo, IReadOnlyList<string> Capabilities, string ModifiedAt);

internal sealed record PullStatus(string Status)
{
    public string? Digest { get; init; }
    public long? Total { get; init; }
    public long? Completed { get; init; }
}

internal sealed record EmbedResponse(string Model, IReadOnlyList<float[]> Embeddings, long TotalDuration, long LoadDuration, int PromptEvalCount);

internal sealed record LegacyEmbeddingResponse(float[] Embedding);

internal sealed record VersionResponse(string Version);
