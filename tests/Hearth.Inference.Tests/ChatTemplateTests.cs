using Hearth.Inference.Chat;
using Hearth.Inference.Runtime;

namespace Hearth.Inference.Tests;

[Collection(ModelCollection.Name)]
public sealed class ChatTemplateTests(ModelFiles files)
{
    private static readonly ChatMessage[] Conversation = [ChatMessage.System("be brief"), ChatMessage.User("hi")];

    [Fact]
    public async Task RendersWithTheModelsOwnChatMlTemplateAndAddsTheGenerationPrompt()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        Assert.Equal(ChatTemplateSource.Model, model.Template.Source);
        Assert.Equal("chatml", model.Template.Name);
        Assert.Null(model.Template.FallbackReason);
        Assert.Equal("<|im_start|>system\nbe brief<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n",
            model.Template.Render(Conversation));
        Assert.EndsWith("hi<|im_end|>\n", model.Template.Render(Conversation, addGenerationPrompt: false));
    }

    [Fact]
    public async Task FallsBackToChatMlWhenTheModelHasNoTemplate()
    {
        using var model = await TestModels.LoadAsync(files.TinyWithoutTemplate);
        Assert.Equal(ChatTemplateSource.ChatMlFallback, model.Template.Source);
        Assert.Equal("chatml", model.Template.Name);
        Assert.Contains("has no tokenizer.chat_template", model.Template.FallbackReason);
        Assert.StartsWith("<|im_start|>system\nbe brief<|im_end|>", model.Template.Render(Conversation));
    }

    [Fact]
    public async Task FallsBackToChatMlWhenLlamaCppDoesNotRecogniseTheTemplate()
    {
        using var model = await TestModels.LoadAsync(files.TinyWithUnknownTemplate);
        Assert.Equal(ChatTemplateSource.ChatMlFallback, model.Template.Source);
        Assert.Contains("does not recognise", model.Template.FallbackReason);
        Assert.Contains("speak like a pirate", model.Template.FallbackReason);
    }

    [Fact]
    public async Task UsesAnOverrideByBuiltInName()
    {
        using var model = await TestModels.LoadAsync(files.Tiny, TestModels.Options with { ChatTemplate = "llama3" });
        Assert.Equal(ChatTemplateSource.Override, model.Template.Source);
        Assert.Equal("llama3", model.Template.Name);
        Assert.Contains("<|start_header_id|>user<|end_header_id|>", model.Template.Render(Conversation));
    }

    [Fact]
    public async Task RejectsAnOverrideLlamaCppDoesNotKnowListingTheNames()
    {
        var ex = await Assert.ThrowsAsync<ModelLoadException>(() =>
            TestModels.LoadAsync(files.Tiny, TestModels.Options with { ChatTemplate = "no-such-template" }));
        Assert.Contains("'no-such-template' is not a template llama.cpp recognises", ex.Message);
        Assert.Contains("chatml", ex.Message);
    }

    [Fact]
    public async Task TokenizesSpecialTokensInTheRenderedPromptAsSingleTokens()
    {
        using var model = await TestModels.LoadAsync(files.Tiny);
        var tokens = model.Tokenize("<|im_start|>user\nhi<|im_end|>", addBos: true);
        // BOS (1), <|im_start|> (3) ... <|im_end|> (4): the factory vocabulary's ids.
        Assert.Equal([1, 3], tokens[..2]);
        Assert.Equal(4, tokens[^1]);
        var plain = model.Tokenize("<|im_start|>", addBos: false, parseSpecial: false);
        Assert.True(plain.Length > 1);
    }
}
