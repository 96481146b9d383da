using Microsoft.AspNetCore.Builder;

namespace Hearth.Server.Playground;

internal static class PlaygroundEndpoints
{
    public static void Map(WebApplication app)
    {
    }
}
