using System.Runtime.InteropServices;
using System.Text;
using LLama;
using LLama.Exceptions;
using LLama.Native;

namespace Hearth.Inference.Chat;

/// <summary>
/// The chat template a loaded model renders conversations with, resolved once at load: an override if given, else the
/// model's own <c>tokenizer.chat_template</c>, else ChatML. Rendering goes through llama.cpp's
/// <c>llama_chat_apply_template</c>, which recognises the common templates by their text (it does not run Jinja),
/// so a template it does not know falls back to ChatML and says so in <see cref="FallbackReason"/>.
/// </summary>
public sealed class ChatTemplate
{
    /// <summary>llama.cpp's name for the ChatML template, the fallback.</summary>
    public const string ChatMlName = "chatml";

    private const string TemplateKey = "tokenizer.chat_template";

    // A short conversation rendered to recognise a template and to name it after the built-in template that renders it the same way.
    private static readonly (string Role, string Content)[] Probe =
        [("system", "S"), ("user", "U1"), ("assistant", "A1"), ("user", "U2")];

    private readonly string _template;

    private ChatTemplate(string template, ChatTemplateSource source, string name, string? fallbackReason)
    {
        _template = template;
        Source = source;
        Name = name;
        FallbackReason = fallbackReason;
    }

    /// <summary>Where the template came from.</summary>
    public ChatTemplateSource Source { get; }

    /// <summary>
    /// The llama.cpp built-in template it renders as (<c>chatml</c>, <c>llama3</c>, …), or <c>custom</c> when it matches
    /// none of them exactly.
    /// </summary>
    public string Name { get; }

    /// <summary>Why ChatML was used instead of the model's template; null unless <see cref="Source"/> is <see cref="ChatTemplateSource.ChatMlFallback"/>.</summary>
    public string? FallbackReason { get; }

    /// <summary>
    /// Renders <paramref name="messages"/>; with <paramref name="addGenerationPrompt"/> the text ends with the header of
    /// an assistant turn so the model's continuation is the reply.
    /// </summary>
    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var template = new LLamaTemplate(_template) { AddAssistant = addGenerationPrompt };
        for (var i = 0; i < messages.Count; i++)
        {
            var m = messages[i] ?? throw new ArgumentException($"messages[{i}] is null", nameof(messages));
            template.Add(m.RoleName, m.Content ?? throw new ArgumentException($"messages[{i}] has no content", nameof(messages)));
        }
        return Encoding.UTF8.GetString(template.Apply());
    }

    /// <summary>
    /// Picks the template for a model: <paramref name="templateOverride"/> (a built-in name or template text) when given,
    /// which must be one llama.cpp recognises; otherwise the model's own, falling back to ChatML with a reason.
    /// </summary>
    /// <exception cref="ArgumentException">The override is not a template llama.cpp recognises.</exception>
    public static ChatTemplate Resolve(SafeLlamaModelHandle model, string? templateOverride)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (templateOverride is not null)
        {
            if (TryRenderProbe(templateOverride) is not { } rendered)
                throw new ArgumentException(
                    $"chat template override {Describe(templateOverride)} is not a template llama.cpp recognises; " +
                    $"use one of: {string.Join(", ", BuiltInNames())}, or that template's text", nameof(templateOverride));
            return new(templateOverride, ChatTemplateSource.Override, NameOf(rendered), null);
        }

        var own = ReadModelTemplate(model);
        if (string.IsNullOrWhiteSpace(own))
            return Fallback($"the model has no {TemplateKey}");
        if (TryRenderProbe(own) is not { } ownRendered)
            return Fallback($"llama.cpp does not recognise the model's {TemplateKey} ({Describe(own)})");
        return new(own, ChatTemplateSource.Model, NameOf(ownRendered), null);
    }

    /// <summary>The names of llama.cpp's built-in templates (what an override may name).</summary>
    public static IReadOnlyList<string> BuiltInNames() => BuiltIns.Value;

    private static readonly Lazy<IReadOnlyList<string>> BuiltIns = new(ReadBuiltInNames);

    private static unsafe IReadOnlyList<string> ReadBuiltInNames()
    {
        Runtime.LlamaRuntime.EnsureInitialized();
        var count = NativeApi.llama_chat_builtin_templates(null, 0);
        if (count <= 0)
            return [];
        var pointers = new nint[count];
        fixed (nint* p = pointers)
            count = Math.Min(count, NativeApi.llama_chat_builtin_templates((char**)p, (nuint)pointers.Length));
        var names = new List<string>(count);
        for (var i = 0; i < count; i++)
            if (Marshal.PtrToStringUTF8(pointers[i]) is { Length: > 0 } name)
                names.Add(name);
        return names;
    }

    private static ChatTemplate Fallback(string reason) => new(ChatMlName, ChatTemplateSource.ChatMlFallback, ChatMlName, reason);

    private static string? ReadModelTemplate(SafeLlamaModelHandle model)
    {
        var value = model.MetadataValueByKey(TemplateKey);
        return value is { } bytes ? Encoding.UTF8.GetString(bytes.Span).TrimEnd('\0') : null;
    }

    private static string? TryRenderProbe(string template)
    {
        try
        {
            var t = new LLamaTemplate(template) { AddAssistant = true };
            foreach (var (role, content) in Probe)
                t.Add(role, content);
            return Encoding.UTF8.GetString(t.Apply());
        }
        catch (MissingTemplateException)
        {
            return null;
        }
    }

    private static string NameOf(string rendered)
    {
        foreach (var name in BuiltInNames())
            if (TryRenderProbe(name) == rendered)
                return name;
        return "custom";
    }

    private static string Describe(string template)
    {
        var oneLine = template.ReplaceLineEndings(" ");
        return oneLine.Length <= 60 ? $"'{oneLine}'" : $"'{oneLine[..57]}...' ({template.Length} chars)";
    }
}
