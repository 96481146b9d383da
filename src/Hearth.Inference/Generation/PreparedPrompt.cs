using Hearth.Inference.Chat;
using LLama.Native;

namespace Hearth.Inference.Generation;

/// <summary>A prompt turned into the tokens to decode, with what truncation did to it.</summary>
internal sealed record PreparedPrompt(LLamaToken[] Tokens, int TruncatedTokens, int DroppedMessages, ChatTemplate? Template);
