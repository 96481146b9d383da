using Hearth.Inference.Generation;
using Hearth.Server.Errors;

namespace Hearth.Server.OpenAi;

/// <summary>How a finished generation reads in OpenAI's terms.</summary>
internal static class GenerationOutcome
{
    /// <summary><c>stop</c>, <c>length</c>, or <c>tool_calls</c> when the reply ended as tool calls.</summary>
    public static string FinishReason(GenerationResult result, bool toolCalls) => result.FinishReason switch
    {
        Inference.Generation.FinishReason.Length => "length",
        _ when toolCalls => "tool_calls",
        _ => "stop",
    };

    /// <summary>
    /// A generation cut short is never passed off as a finished reply: if the client left, the request is over
    /// (cancellation); otherwise the model was unloaded under it (server shutting down), which is worth a retry.
    /// </summary>
    public static void ThrowIfInterrupted(GenerationResult result, CancellationToken requestAborted)
    {
        if (result.FinishReason != Inference.Generation.FinishReason.Cancelled)
            return;
        requestAborted.ThrowIfCancellationRequested();
        throw new ApiException(503, "generation was interrupted because the model was unloaded; retry the request",
            code: "generation_interrupted", retryAfter: TimeSpan.FromSeconds(1));
    }

    public static Usage Usage(GenerationResult result) => new(result.Stats.PromptTokens, result.Stats.CompletionTokens);
}
