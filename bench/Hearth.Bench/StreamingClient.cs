using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Hearth.Bench;

/// <summary>What one streamed request saw: status, time to first token, the gaps between tokens, token count.</summary>
public sealed record StreamSample(int Status, double TimeToFirstTokenMs, IReadOnlyList<double> InterTokenMs, int CompletionTokens, double TotalMs);

/// <summary>
/// A minimal OpenAI streaming client (SSE over <c>/v1/chat/completions</c>), timing each content delta as it arrives —
/// what a real client experiences, HTTP and JSON included.
/// </summary>
public sealed class StreamingClient(HttpClient http)
{
    public async Task<StreamSample> ChatAsync(string model, string? system, string user, int maxTokens, int seed, CancellationToken ct = default,
        double temperature = 0.8, double repeatPenalty = 1.1)
    {
        var messages = new List<object>();
        if (system is not null)
            messages.Add(new { role = "system", content = system });
        messages.Add(new { role = "user", content = user });
        var body = JsonSerializer.Serialize(new
        {
            model,
            messages,
            stream = true,
            stream_options = new { include_usage = true },
            max_tokens = maxTokens,
            temperature,
            repeat_penalty = repeatPenalty,
            seed,
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var start = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            await response.Content.ReadAsStringAsync(ct);
            return new StreamSample((int)response.StatusCode, 0, [], 0, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(stream);
        double? first = null;
        var last = 0.0;
        var gaps = new List<double>();
        var deltas = 0;
        int? usageTokens = null;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
                continue;
            var data = line.AsSpan(6);
            if (data.SequenceEqual("[DONE]"))
                break;
            using var doc = JsonDocument.Parse(data.ToString());
            var root = doc.RootElement;
            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
                usageTokens = usage.GetProperty("completion_tokens").GetInt32();
            if (!root.TryGetProperty("choices", out var choices) || choices.GetArrayLength() == 0)
                continue;
            if (!choices[0].TryGetProperty("delta", out var delta) || !delta.TryGetProperty("content", out var content) ||
                content.ValueKind != JsonValueKind.String || content.GetString()!.Length == 0)
                continue;
            var now = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (first is null)
                first = now;
            else
                gaps.Add(now - last);
            last = now;
            deltas++;
        }
        return new StreamSample(200, first ?? 0, gaps, usageTokens ?? deltas, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }
}
