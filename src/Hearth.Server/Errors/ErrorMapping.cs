using System.Text.Json;
using Hearth.Inference.Generation;
using Hearth.Inference.Pool;
using Hearth.Inference.Runtime;
using Hearth.Inference.Sampling;
using Hearth.Inference.Scheduling;
using Hearth.Models.Naming;
using Hearth.Models.Pull;
using Hearth.Models.Store;
using Microsoft.AspNetCore.Http;

namespace Hearth.Server.Errors;

/// <summary>
/// One table from library exceptions to HTTP answers, used by <see cref="ErrorHandling"/> and by streaming endpoints
/// that must turn a late failure into a final error event.
/// </summary>
public static class ErrorMapping
{
    public sealed record Mapped(int Status, string Message, string Kind, string? Param = null, TimeSpan? RetryAfter = null);

    /// <summary>
    /// <see cref="Map(Exception)"/> for a failed <paramref name="request"/>, with the fields that depend on the endpoint:
    /// a prompt too long for the context is the <c>prompt</c> of <c>/v1/completions</c> (and Ollama's <c>/api/generate</c>),
    /// the <c>messages</c> of the chat endpoints.
    /// </summary>
    public static Mapped Map(Exception ex, HttpRequest request)
    {
        var mapped = Map(ex);
        if (ex is ContextOverflowException && IsRawPrompt(request.Path))
            mapped = mapped with { Param = "prompt" };
        return mapped;
    }

    private static bool IsRawPrompt(PathString path) =>
        path.StartsWithSegments("/v1/completions", StringComparison.OrdinalIgnoreCase) ||
        path.StartsWithSegments("/api/generate", StringComparison.OrdinalIgnoreCase);

    public static Mapped Map(Exception ex) => ex switch
    {
        ApiException api => new(api.Status, api.Message, api.Code ?? KindOf(api.Status), api.Param, api.RetryAfter),
        ModelNotFoundException nf => new(404, $"model '{nf.Name.ShortText}' not found", "model_not_found", "model"),
        InvalidModelNameException bad => new(400, bad.Message, "invalid_model_name", "model"),
        // A full decode queue is back-pressure, not failure: 429 with the scheduler's estimate of when a slot frees up.
        SchedulerQueueFullException full => new(429, full.Message, "queue_full", RetryAfter: full.RetryAfter),
        ContextOverflowException overflow => new(400, overflow.Message, "context_length_exceeded", "messages"),
        InvalidSamplingOptionException option => new(400, option.Message, "invalid_option", option.Option),
        Hearth.Inference.Grammar.UnsupportedSchemaException schema => new(400, schema.Message, "unsupported_schema", schema.Keyword),
        StoreLockTimeoutException locked => new(503, locked.Message, "store_busy", RetryAfter: TimeSpan.FromSeconds(5)),
        // Pulls: a repo, revision or quantization the Hub does not have is the client's 404; the Hub (or the link to
        // it) failing, or sending bytes that do not verify, is a bad gateway.
        RepositoryNotFoundException missing => new(404, missing.Message, "model_not_found", "model"),
        FileSelectionException noFile => new(404, noFile.Message, "model_not_found", "model"),
        PullException pull => new(502, pull.Message, "pull_failed", "model"),
        // Store failures (an unreadable manifest, a blob that cannot be written) carry messages that name the file.
        ModelStoreException store => new(500, store.Message, "store_error"),
        ModelBudgetExceededException budget => new(507, budget.Message, "insufficient_memory"),
        ModelLoadException load => new(500, load.Message, "model_load_failed", "model"),
        JsonException json => new(400, $"malformed JSON: {json.Message}", "invalid_json"),
        BadHttpRequestException { StatusCode: 413 } => new(413, "request body too large", "body_too_large"),
        BadHttpRequestException badRequest => new(badRequest.StatusCode, badRequest.Message, "bad_request"),
        ArgumentException argument => new(400, argument.Message, "invalid_request", argument.ParamName),
        _ => new(500, "internal error: " + ex.Message, "internal_error"),
    };

    private static string KindOf(int status) => status switch
    {
        400 => "invalid_request",
        401 => "unauthorized",
        404 => "not_found",
        413 => "body_too_large",
        429 => "queue_full",
        503 => "unavailable",
        _ => "error",
    };
}
