namespace Hearth.Server.OpenAi;

/// <summary>https://platform.openai.com/docs/api-reference/models/object</summary>
internal sealed record ModelObject(string Id, long Created)
{
    public string Object => "model";
    public string OwnedBy => "hearth";
}

internal sealed record ModelList(IReadOnlyList<ModelObject> Data)
{
    public string Object => "list";
}
