using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Hearth.Server.Tests;

/// <summary>/health, /metrics, API keys and request limits.</summary>
public sealed class OperationsEndpointsTests
{
    [Fact]
    public async Task HealthAnswersOk()
    {
        await using var server = await ServerFixture.StartAsync();
        var response = await server.Http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"ok\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task MetricsAreInPrometheusTextFormatAndCountRequests()
    {
        await using var server = await ServerFixture.StartAsync();
        await server.Http.GetAsync("/health");
        var response = await server.Http.GetAsync("/metrics");
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE hearth_requests_total counter", text);
        Assert.Contains("hearth_requests_total{route=\"/health\",status=\"200\"} 1", text);
        Assert.Contains("# TYPE hearth_time_to_first_token_seconds histogram", text);
        Assert.Contains("hearth_loaded_models 0", text);
    }

    [Fact]
    public async Task WithApiKeysARequestWithoutOneIsRefusedInTheSurfacesShape()
    {
        await using var server = await ServerFixture.StartAsync(o => o with { ApiKeys = new HashSet<string> { "sekret" } });
        var openAi = await server.Http.GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.Unauthorized, openAi.StatusCode);
        Assert.Contains("\"authentication_error\"", await openAi.Content.ReadAsStringAsync());

        var ollama = await server.Http.GetAsync("/api/tags");
        Assert.Equal(HttpStatusCode.Unauthorized, ollama.StatusCode);
        Assert.Equal("{\"error\":\"missing API key: send 'Authorization: Bearer KEY'\"}", await ollama.Content.ReadAsStringAsync());

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "guess");
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.SendAsync(wrong)).StatusCode);

        using var right = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sekret");
        Assert.Equal(HttpStatusCode.OK, (await server.Http.SendAsync(right)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/health")).StatusCode); // probes need no key
    }

    [Fact]
    public async Task AnOversizedBodyGets413AndTheServerKeepsServing()
    {
        await using var server = await ServerFixture.StartAsync(o => o with { MaxRequestBodyBytes = 4096 });
        var body = new StringContent("{\"model\":\"tiny\",\"prompt\":\"" + new string('x', 10_000) + "\"}", Encoding.UTF8, "application/json");
        var response = await server.Http.PostAsync("/api/generate", body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/health")).StatusCode);
    }
}
