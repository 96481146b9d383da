namespace Hearth.Inference.Embeddings;

/// <summary>Small vector helpers for embeddings.</summary>
public static class VectorMath
{
    /// <summary>
    /// Scales <paramref name="vector"/> in place to unit Euclidean length, as llama.cpp's <c>common_embd_normalize</c>
    /// with norm 2 (what llama-server and Ollama return). A zero vector is left as it is.
    /// </summary>
    public static void NormalizeInPlace(Span<float> vector)
    {
        double sum = 0;
        foreach (var v in vector)
            sum += (double)v * v;
        if (sum == 0)
            return;
        var scale = (float)(1.0 / Math.Sqrt(sum));
        for (var i = 0; i < vector.Length; i++)
            vector[i] *= scale;
    }

    /// <summary>Cosine similarity of two vectors of the same length.</summary>
    public static double CosineSimilarity(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
            throw new ArgumentException($"vectors differ in length: {a.Length} and {b.Length}", nameof(b));
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }
}
