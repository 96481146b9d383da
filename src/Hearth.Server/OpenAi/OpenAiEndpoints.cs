using Microsoft.AspNetCore.Routing;

namespace Hearth.Server.OpenAi;

internal static class OpenAiEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
    }
}
