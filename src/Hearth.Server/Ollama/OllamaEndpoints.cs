using Microsoft.AspNetCore.Routing;

namespace Hearth.Server.Ollama;

internal static class OllamaEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
    }
}
