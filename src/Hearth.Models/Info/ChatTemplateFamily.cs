namespace Hearth.Models.Info;

/// <summary>
/// Names the chat format a Jinja chat template implements, from the special tokens it emits — enough for
/// <c>hearth show</c> to say "chatml" or "llama3" instead of printing a page of Jinja.
/// </summary>
public static class ChatTemplateFamily
{
    // Ordered: more specific markers first (gemma's and llama3's tokens never appear in the others' templates).
    private static readonly (string Marker, string Family)[] Markers =
    [
        ("<|start_header_id|>", "llama3"),
        ("<start_of_turn>", "gemma"),
        ("<|channel|>", "harmony"),
        ("<|im_start|>", "chatml"),
        ("[INST]", "mistral/llama2"),
        ("<|assistant|>", "phi3/zephyr"),
        ("<|user|>", "phi3/zephyr"),
        ("### Instruction", "alpaca"),
    ];

    /// <summary>The family name, or <c>custom</c> for a template with none of the known markers.</summary>
    public static string Detect(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        foreach (var (marker, family) in Markers)
            if (template.Contains(marker, StringComparison.Ordinal))
                return family;
        return "custom";
    }
}
