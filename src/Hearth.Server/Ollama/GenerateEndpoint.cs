using System.Diagnostics;
using System.Text.Json;
using Hearth.Inference.Chat;
using Hearth.Inference.Generation;
using Hearth.Server.Errors;
using Hearth.Server.Observability;
using Hearth.Server.Serving;
using Microsoft.AspNetCore.Http;

namespace Hearth.Server.Ollama;

/// <summary>
/// <c>POST /api/generate</c> (Ollama docs/api.md "Generate a completion"): <c>model</c>, <c>prompt</c>, <c>system</c>,
/// <c>raw</c>, <c>format</c>, <c>options</c>, <c>keep_alive</c>, <c>stream</c> (default true). Without <c>raw</c> the
/// prompt is a user turn rendered with the model's chat template (after the system prompt); with it, the text is sent as
/// it is. Hearth extension: <c>truncate: true</c> keeps the end of a prompt that outgrows the context; without it an
/// overflow is a 400 with both lengths. Fields Hearth cannot honour (<c>suffix</c>, <c>images</c>, <c>template</c>,
/// <c>context</c>) are refused rather than ignored.
/// </summary>
internal static class GenerateEndpoint
{
    public static async Task HandleAsync(HttpContext context, ServedModels models, ServerMetrics metrics)
    {
        var startedAt = Stopwatch.GetTimestamp();
        var body = await OllamaRequestBody.ReadAsync(context.Request).ConfigureAwait(false);
        var model = body.Model();
        var stream = body.Bool("stream") ?? true;
        var keepAlive = body.KeepAliveValue();
        var text = body.String("prompt") ?? "";
        var system = body.String("system");
        var raw = body.Bool("raw") ?? false;
        var truncate = body.Bool("truncate") ?? false;
        var grammar = OllamaFormat.Grammar(body);
        RefuseUnsupported(body, model);
        if (raw && system is not null)
            throw new ApiException(400, "'system' cannot be used with 'raw': a raw prompt is sent exactly as given", "system");
        var options = body.Options();

        if (text.Length == 0)
        {
            var reason = await ModelLoading.LoadOrUnloadAsync(models, model, keepAlive, context.RequestAborted).ConfigureAwait(false);
            await context.Response.WriteAsJsonAsync(new GenerateLine(model, OllamaJson.Timestamp(), "", true) { DoneReason = reason },
                OllamaJson.Options, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var loadStarted = Stopwatch.GetTimestamp();
        using var served = await models.AcquireAsync(model, options, keepAlive, context.RequestAborted).ConfigureAwait(false);
        var loadDuration = Stopwatch.GetElapsedTime(loadStarted);

        var truncation = truncate ? Truncation.KeepEnd : Truncation.None;
        Prompt prompt;
        if (raw)
            prompt = Prompt.Raw(text, truncation);
        else
        {
            var messages = new List<ChatMessage>();
            if ((system ?? served.Manifest.System) is { Length: > 0 } s)
                messages.Add(ChatMessage.System(s));
            messages.Add(ChatMessage.User(text));
            prompt = Prompt.Chat(messages, truncation);
        }
        var sampling = served.Sampling with { Grammar = grammar };
        var generation = new OllamaGeneration(context, metrics, startedAt, loadDuration);
        await generation.RunAsync(served, prompt, sampling, new GenerateReply(model), stream).ConfigureAwait(false);
    }

    private static void RefuseUnsupported(OllamaRequestBody body, string model)
    {
        if (body.String("suffix") is { Length: > 0 })
            throw new ApiException(400, $"'suffix' is not supported: model '{model}' has no fill-in-the-middle template", "suffix");
        if (body.Get("images") is { ValueKind: JsonValueKind.Array } images && images.GetArrayLength() > 0)
            throw new ApiException(400, "'images' are not supported: Hearth serves text models", "images");
        if (body.String("template") is { Length: > 0 })
            throw new ApiException(400, "'template' is not supported: Hearth renders prompts with the model's chat template; send 'raw': true with a prompt you formatted yourself", "template");
        if (body.Get("context") is { ValueKind: JsonValueKind.Array } context && context.GetArrayLength() > 0)
            throw new ApiException(400, "'context' is not supported: keep the conversation in /api/chat messages instead", "context");
        if (body.Bool("think") == true)
            throw new ApiException(400, $"model '{model}' does not support thinking", "think");
        if (body.Bool("logprobs") == true)
            throw new ApiException(400, "'logprobs' are not supported on /api/generate", "logprobs");
    }
}
