namespace Hearth.Inference.Chat;

/// <summary>Who wrote a chat message. Rendered as the lowercase role names chat templates expect.</summary>
public enum ChatRole
{
    System,
    User,
    Assistant,
    Tool,
}
