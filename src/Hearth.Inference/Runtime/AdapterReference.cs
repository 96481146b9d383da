namespace Hearth.Inference.Runtime;

/// <summary>A LoRA adapter GGUF file and the scale to apply it with (1 = as trained; llama.cpp's <c>--lora-scaled</c>).</summary>
public sealed record AdapterReference(string Path, float Scale = 1f);
