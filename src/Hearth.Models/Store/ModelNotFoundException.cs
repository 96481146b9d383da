using Hearth.Models.Naming;

namespace Hearth.Models.Store;

/// <summary>No manifest for the name. The message suggests close names, like Ollama's "did you mean".</summary>
public sealed class ModelNotFoundException : ModelStoreException
{
    public ModelNotFoundException(ModelName name, IReadOnlyList<ModelName> suggestions)
        : base(Format(name, suggestions))
    {
        Name = name;
        Suggestions = suggestions;
    }

    public ModelName Name { get; }

    public IReadOnlyList<ModelName> Suggestions { get; }

    private static string Format(ModelName name, IReadOnlyList<ModelName> suggestions)
    {
        var message = $"model '{name.ShortText}' not found";
        return suggestions.Count == 0
            ? message + "; 'hearth list' shows the models you have, 'hearth pull' fetches one"
            : message + "; did you mean " + string.Join(" or ", suggestions.Select(s => $"'{s}'")) + "?";
    }
}
