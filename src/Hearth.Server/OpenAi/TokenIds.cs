using System.Text.Json;
using Hearth.Server.Errors;

namespace Hearth.Server.OpenAi;

/// <summary>Token-id arrays, which completions and embeddings accept in place of text.</summary>
internal static class TokenIds
{
    /// <summary>The ids of a non-empty JSON array of integers; whether they are in the vocabulary is the model's check.</summary>
    public static int[] Read(JsonElement array, string path)
    {
        if (array.ValueKind != JsonValueKind.Array)
            throw JsonFields.Invalid(path, "an array of token ids", array);
        var ids = new int[array.GetArrayLength()];
        if (ids.Length == 0)
            throw new ApiException(400, $"'{path}' must not be empty", path, "invalid_value");
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var id) || id < 0)
                throw JsonFields.Invalid($"{path}[{i}]", "a token id (an integer 0 or more)", item);
            ids[i++] = id;
        }
        return ids;
    }
}
