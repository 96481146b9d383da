using System.Text;
using System.Text.Json.Nodes;

namespace Hearth.Server.Tests.Ollama;

/// <summary>
/// Adds Hearth's <c>tool_choice</c> extension to the JSON body of OllamaSharp's <c>/api/chat</c> requests (Ollama's API
/// has no such field, so the client has no property for it): a random-weight model then must call a tool.
/// </summary>
internal sealed class ToolChoiceHandler(string toolChoice) : DelegatingHandler(new HttpClientHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null && request.RequestUri!.AbsolutePath.EndsWith("/api/chat", StringComparison.Ordinal))
        {
            var body = JsonNode.Parse(await request.Content.ReadAsStringAsync(cancellationToken))!.AsObject();
            body["tool_choice"] = toolChoice;
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        return await base.SendAsync(request, cancellationToken);
    }
}
