using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Hearth.Models.Naming;

/// <summary>
/// A name in the model store: <c>[namespace/]model[:tag]</c>, like Ollama's <c>llama3.2:1b</c> or <c>owner/model:q4_k_m</c>.
/// Case-insensitive (stored lowercase); the tag defaults to <c>latest</c>.
/// </summary>
/// <remarks>
/// Each part becomes a path segment under <c>manifests/</c>, so the rules are what keeps a name inside the store on every
/// OS: 1–80 characters of <c>a-z 0-9 _ - .</c>, starting with a letter or digit, no <c>..</c>, no trailing dot (Windows
/// drops it), and not a Windows device name (<c>con</c>, <c>nul</c>, <c>com1</c>…). At most one namespace.
/// </remarks>
public sealed record ModelName
{
    public const string DefaultTag = "latest";
    public const int MaxPartLength = 80;
    public const int MaxLength = 2 * MaxPartLength + 1 + MaxPartLength + 1;

    private const string AllowedText =
        "names look like 'model', 'model:tag' or 'namespace/model:tag'; each part is 1-80 characters of a-z, 0-9, '_', '-' and '.', starting with a letter or digit";

    private static readonly HashSet<string> WindowsDeviceNames = new(StringComparer.Ordinal)
    {
        "con", "prn", "aux", "nul",
        "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
        "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
    };

    private ModelName(string? ns, string model, string tag)
    {
        Namespace = ns;
        Model = model;
        Tag = tag;
    }

    /// <summary>The optional first segment (<c>owner</c> in <c>owner/model</c>).</summary>
    public string? Namespace { get; }

    public string Model { get; }

    public string Tag { get; }

    /// <summary><c>namespace/model</c> or <c>model</c>, without the tag.</summary>
    public string Name => Namespace is null ? Model : $"{Namespace}/{Model}";

    /// <summary>The name as users type it, dropping <c>:latest</c>.</summary>
    public string ShortText => Tag == DefaultTag ? Name : ToString();

    public override string ToString() => $"{Name}:{Tag}";

    public ModelName WithTag(string tag) => Create(Namespace, Model, tag);

    public static ModelName Parse(string text) =>
        TryParse(text, out var name, out var error) ? name : throw new InvalidModelNameException(text ?? "", error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out ModelName? name) => TryParse(text, out name, out _);

    /// <summary>Parses <c>[namespace/]model[:tag]</c>; on failure <paramref name="error"/> quotes the input and says what is allowed.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ModelName? name, out string error)
    {
        name = null;
        if (string.IsNullOrEmpty(text))
        {
            error = $"model name is empty; {AllowedText}";
            return false;
        }
        if (text.Length > MaxLength)
        {
            error = $"model name '{Quote(text[..40])}…' is {text.Length} characters long; the limit is {MaxLength}";
            return false;
        }

        var lower = text.ToLowerInvariant();
        var colon = lower.IndexOf(':');
        var path = colon < 0 ? lower : lower[..colon];
        var tag = colon < 0 ? DefaultTag : lower[(colon + 1)..];
        if (colon >= 0 && tag.Contains(':'))
        {
            error = Invalid(text, "has more than one ':'");
            return false;
        }

        var parts = path.Split('/');
        if (parts.Length > 2)
        {
            error = Invalid(text, "has more than one '/' (only one namespace is allowed); for Hugging Face use 'hf.co/OWNER/REPO' or 'hf:OWNER/REPO/FILE.gguf'");
            return false;
        }

        string? problem = null;
        for (var i = 0; i < parts.Length && problem is null; i++)
            problem = CheckPart(parts[i], i == parts.Length - 1 ? "model" : "namespace");
        problem ??= CheckPart(tag, "tag");
        if (problem is not null)
        {
            error = Invalid(text, problem);
            return false;
        }

        name = parts.Length == 2 ? new ModelName(parts[0], parts[1], tag) : new ModelName(null, parts[0], tag);
        error = "";
        return true;
    }

    /// <summary>Builds a name from its parts, applying the same rules as <see cref="Parse"/>.</summary>
    public static ModelName Create(string? ns, string model, string tag = DefaultTag)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tag);
        var text = (ns is null ? model : $"{ns}/{model}") + ":" + tag;
        return Parse(text);
    }

    /// <summary>Why a part is not allowed, or null when it is.</summary>
    private static string? CheckPart(string part, string what)
    {
        if (part.Length == 0)
            return $"has an empty {what}";
        if (part.Length > MaxPartLength)
            return $"has a {what} of {part.Length} characters; the limit is {MaxPartLength}";
        for (var i = 0; i < part.Length; i++)
        {
            var c = part[i];
            if (char.IsControl(c))
                return $"contains a control character (U+{(int)c:X4}) in the {what}";
            var ok = c is (>= 'a' and <= 'z') or (>= '0' and <= '9') || (i > 0 && c is '_' or '-' or '.');
            if (!ok)
                return i == 0 && c is '_' or '-' or '.'
                    ? $"has a {what} starting with '{c}'"
                    : $"contains '{Quote(c.ToString())}' in the {what}";
        }
        if (part.Contains(".."))
            return $"contains '..' in the {what}";
        if (part.EndsWith('.'))
            return $"has a {what} ending with '.'";
        var stem = part.Split('.')[0];
        if (WindowsDeviceNames.Contains(stem))
            return $"uses the reserved device name '{stem}' as its {what}";
        return null;
    }

    private static string Invalid(string input, string problem) => $"invalid model name '{Quote(input)}': it {problem}; {AllowedText}";

    /// <summary>Shows control characters as escapes so an error message cannot be garbled by the input it quotes.</summary>
    internal static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
            sb.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c);
        return sb.ToString();
    }
}
