namespace Hearth.Models.Naming;

/// <summary>A model name or reference does not follow the allowed form. <see cref="Input"/> is what the caller gave.</summary>
public sealed class InvalidModelNameException : Exception
{
    public InvalidModelNameException(string input, string message) : base(message) => Input = input;

    public string Input { get; }
}
