using System.Diagnostics;
using Hearth.Inference.Chat;
using Hearth.Inference.Generation;
using Hearth.Inference.Tools;
using Hearth.Server.Errors;
using Hearth.Server.Observability;
using Hearth.Server.Serving;
using Microsoft.AspNetCore.Http;

namespace Hearth.Server.Ollama;

/// <summary>
/// <c>POST /api/chat</c> (Ollama docs/api.md "Generate a chat completion"): <c>model</c>, <c>messages</c>, <c>tools</c>,
/// <c>format</c>, <c>options</c>, <c>keep_alive</c>, <c>stream</c> (default true). Hearth extensions: <c>truncate: true</c>
/// drops the oldest messages when the conversation outgrows the context (without it an overflow is a 400 with both
/// lengths); <c>tool_choice</c> as in OpenAI's API (see <see cref="OllamaTools"/>).
/// </summary>
internal static class ChatEndpoint
{
    public static async Task HandleAsync(HttpContext context, ServedModels models, ServerMetrics metrics)
    {
        var startedAt = Stopwatch.GetTimestamp();
        var body = await OllamaRequestBody.ReadAsync(context.Request).ConfigureAwait(false);
        var model = body.Model();
        var stream = body.Bool("stream") ?? true;
        var keepAlive = body.KeepAliveValue();
        var messages = OllamaMessages.Parse(body);
        var tools = OllamaTools.Parse(body);
        var toolChoice = OllamaTools.Choice(body, tools);
        var formatGrammar = OllamaFormat.Grammar(body);
        var truncate = body.Bool("truncate") ?? false;
        if (body.Bool("think") == true)
            throw new ApiException(400, $"model '{model}' does not support thinking", "think");
        if (formatGrammar is not null && tools.Count > 0)
            throw new ApiException(400, "'format' and 'tools' cannot be combined: a tool call's arguments already follow the tool's schema", "format");
        var options = body.Options();

        if (messages.Count == 0)
        {
            var reason = await ModelLoading.LoadOrUnloadAsync(models, model, keepAlive, context.RequestAborted).ConfigureAwait(false);
            await context.Response.WriteAsJsonAsync(
                new ChatLine(model, OllamaJson.Timestamp(), new OllamaMessage("assistant", ""), true) { DoneReason = reason },
                OllamaJson.Options, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var loadStarted = Stopwatch.GetTimestamp();
        using var served = await models.AcquireAsync(model, options, keepAlive, context.RequestAborted).ConfigureAwait(false);
        var loadDuration = Stopwatch.GetElapsedTime(loadStarted);

        // The model's default system prompt applies when the conversation brings none (as Ollama's SYSTEM).
        if (served.Manifest.System is { Length: > 0 } system && messages.All(m => m.Role != ChatRole.System))
            messages = [ChatMessage.System(system), .. messages];
        var grammar = formatGrammar;
        // Tool definitions, earlier calls and tool results become text every chat template renders.
        if (tools.Count > 0 || messages.Any(m => m.Role == ChatRole.Tool || m.ToolCalls is { Count: > 0 }))
            messages = ToolPrompting.Prepare(messages, tools, toolChoice);
        if (tools.Count > 0)
            grammar = ToolPrompting.Grammar(tools, toolChoice);
        var sampling = served.Sampling with { Grammar = grammar };
        var prompt = Prompt.Chat(messages, truncate ? Truncation.DropOldestMessages : Truncation.None);
        var generation = new OllamaGeneration(context, metrics, startedAt, loadDuration);
        await generation.RunAsync(served, prompt, sampling, new ChatReply(model, toolChoice.Mode == ToolChoiceMode.None ? [] : tools), stream).ConfigureAwait(false);
    }
}
