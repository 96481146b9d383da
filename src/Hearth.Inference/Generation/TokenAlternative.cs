namespace Hearth.Inference.Generation;

/// <summary>
/// One of the most likely tokens at a generation step (<see cref="TokenLogprob.TopLogprobs"/>); fields as in
/// <see cref="TokenLogprob"/>.
/// </summary>
public sealed record TokenAlternative(int Token, string Text, byte[] Bytes, float Logprob);
