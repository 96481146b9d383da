using System.Net;

namespace Hearth.Server.Tests.OpenAi;

/// <summary>A prompt longer than the context is a 400 whose <c>param</c> names the field that holds the prompt.</summary>
public sealed class PromptOverflowTests(OpenAiServer server) : IClassFixture<OpenAiServer>
{
    [Theory]
    [InlineData("/v1/completions", """{"model":"tiny","max_tokens":4,"prompt":"PROMPT"}""", "prompt")]
    [InlineData("/v1/completions", """{"model":"tiny","max_tokens":4,"stream":true,"prompt":"PROMPT"}""", "prompt")]
    [InlineData("/v1/chat/completions", """{"model":"tiny","max_tokens":4,"messages":[{"role":"user","content":"PROMPT"}]}""", "messages")]
    public async Task ATooLongPromptIs400NamingThePromptField(string path, string template, string param)
    {
        var (status, body) = await server.PostAsync(path, template.Replace("PROMPT", OpenAiServer.TooLong("words"), StringComparison.Ordinal));
        Assert.Equal((int)HttpStatusCode.BadRequest, status);
        var error = OpenAiServer.Error(body);
        Assert.Equal("context_length_exceeded", error.GetProperty("code").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Contains($"the context is {OpenAiServer.ContextSize} tokens", error.GetProperty("message").GetString());
    }
}
