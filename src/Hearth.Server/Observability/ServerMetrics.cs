using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Hearth.Inference.Pool;
using Microsoft.AspNetCore.Http;

namespace Hearth.Server.Observability;

/// <summary>
/// The server's Prometheus metrics: requests by route and status, tokens in and out, time-to-first-token and
/// inter-token latency histograms, queue depth, loaded models, errors by kind. Rendered as text format 0.0.4.
/// </summary>
public sealed class ServerMetrics(ModelPool pool)
{
    private static readonly double[] LatencyBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private static readonly double[] TokenBounds = [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1];

    private readonly ConcurrentDictionary<(string Route, int Status), long> _requests = new();
    private readonly ConcurrentDictionary<string, long> _errors = new();
    private long _promptTokens;
    private long _completionTokens;

    public Histogram RequestDuration { get; } = new("hearth_request_duration_seconds", "Time to answer a request, whole body included.", LatencyBounds);
    public Histogram TimeToFirstToken { get; } = new("hearth_time_to_first_token_seconds", "From request start to the first generated token.", LatencyBounds);
    public Histogram InterTokenLatency { get; } = new("hearth_inter_token_latency_seconds", "Time between consecutive generated tokens of one request.", TokenBounds);

    /// <summary>The route as a low-cardinality label (/v1/chat/completions, /api/chat, …; everything else "other").</summary>
    public static string RouteLabel(PathString path)
    {
        var p = path.Value ?? "/";
        return p.StartsWith("/v1/", StringComparison.Ordinal) || p.StartsWith("/api/", StringComparison.Ordinal) || p is "/metrics" or "/health" or "/"
            ? p : "other";
    }

    public void Request(string route, int status, TimeSpan elapsed)
    {
        _requests.AddOrUpdate((route, status), 1, (_, n) => n + 1);
        RequestDuration.Observe(elapsed.TotalSeconds);
    }

    public void Error(string kind) => _errors.AddOrUpdate(kind, 1, (_, n) => n + 1);

    public void Tokens(int prompt, int completion)
    {
        Interlocked.Add(ref _promptTokens, prompt);
        Interlocked.Add(ref _completionTokens, completion);
    }

    public string Render()
    {
        var text = new StringBuilder();
        text.Append("# HELP hearth_requests_total Requests answered, by route and HTTP status.\n# TYPE hearth_requests_total counter\n");
        foreach (var ((route, status), n) in _requests.OrderBy(kv => kv.Key.Route).ThenBy(kv => kv.Key.Status))
            text.Append(CultureInfo.InvariantCulture, $"hearth_requests_total{{route=\"{Escape(route)}\",status=\"{status}\"}} {n}\n");
        text.Append("# HELP hearth_errors_total Failed requests, by kind.\n# TYPE hearth_errors_total counter\n");
        foreach (var (kind, n) in _errors.OrderBy(kv => kv.Key))
            text.Append(CultureInfo.InvariantCulture, $"hearth_errors_total{{kind=\"{Escape(kind)}\"}} {n}\n");
        text.Append(CultureInfo.InvariantCulture, $"# HELP hearth_prompt_tokens_total Prompt tokens evaluated.\n# TYPE hearth_prompt_tokens_total counter\nhearth_prompt_tokens_total {Interlocked.Read(ref _promptTokens)}\n");
        text.Append(CultureInfo.InvariantCulture, $"# HELP hearth_completion_tokens_total Tokens generated.\n# TYPE hearth_completion_tokens_total counter\nhearth_completion_tokens_total {Interlocked.Read(ref _completionTokens)}\n");
        RequestDuration.Render(text);
        TimeToFirstToken.Render(text);
        InterTokenLatency.Render(text);
        var loaded = pool.Loaded;
        text.Append("# HELP hearth_queue_depth Requests waiting for a decode slot, by model file.\n# TYPE hearth_queue_depth gauge\n");
        foreach (var m in loaded)
            text.Append(CultureInfo.InvariantCulture, $"hearth_queue_depth{{model=\"{Escape(Path.GetFileName(m.Path))}\"}} {m.QueueDepth}\n");
        text.Append("# HELP hearth_active_sequences Requests decoding now, by model file.\n# TYPE hearth_active_sequences gauge\n");
        foreach (var m in loaded)
            text.Append(CultureInfo.InvariantCulture, $"hearth_active_sequences{{model=\"{Escape(Path.GetFileName(m.Path))}\"}} {m.ActiveSequences}\n");
        text.Append(CultureInfo.InvariantCulture, $"# HELP hearth_loaded_models Models loaded now.\n# TYPE hearth_loaded_models gauge\nhearth_loaded_models {loaded.Count}\n");
        text.Append(CultureInfo.InvariantCulture, $"# HELP hearth_loaded_model_bytes Estimated memory of loaded models.\n# TYPE hearth_loaded_model_bytes gauge\nhearth_loaded_model_bytes {pool.UsedBytes}\n");
        return text.ToString();
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
