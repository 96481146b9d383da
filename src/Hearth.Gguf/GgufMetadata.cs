using System.Collections;

namespace Hearth.Gguf;

/// <summary>Key/value metadata of a GGUF file, in file order. Keys are unique (duplicates are a format error).</summary>
public sealed class GgufMetadata : IReadOnlyDictionary<string, GgufValue>
{
    private readonly List<KeyValuePair<string, GgufValue>> _ordered = new();
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    public int Count => _ordered.Count;

    public GgufValue this[string key] =>
        _index.TryGetValue(key, out var i) ? _ordered[i].Value : throw new KeyNotFoundException($"metadata key '{key}' not found");

    public IEnumerable<string> Keys => _ordered.Select(kv => kv.Key);

    public IEnumerable<GgufValue> Values => _ordered.Select(kv => kv.Value);

    /// <summary>Adds or replaces a key (replacing keeps the original position).</summary>
    public void Set(string key, GgufValue value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        if (_index.TryGetValue(key, out var i))
            _ordered[i] = new(key, value);
        else
        {
            _index[key] = _ordered.Count;
            _ordered.Add(new(key, value));
        }
    }

    /// <summary>Adds a key that must not exist yet; false when it does (the reader turns that into a format error).</summary>
    public bool TryAdd(string key, GgufValue value)
    {
        if (_index.ContainsKey(key))
            return false;
        Set(key, value);
        return true;
    }

    public bool Remove(string key)
    {
        if (!_index.Remove(key, out var i))
            return false;
        _ordered.RemoveAt(i);
        for (var j = i; j < _ordered.Count; j++)
            _index[_ordered[j].Key] = j;
        return true;
    }

    public void Set(string key, string value) => Set(key, GgufValue.From(value));
    public void Set(string key, uint value) => Set(key, GgufValue.From(value));
    public void Set(string key, int value) => Set(key, GgufValue.From(value));
    public void Set(string key, float value) => Set(key, GgufValue.From(value));
    public void Set(string key, bool value) => Set(key, GgufValue.From(value));
    public void Set(string key, ulong value) => Set(key, GgufValue.From(value));

    public bool ContainsKey(string key) => _index.ContainsKey(key);

    public bool TryGetValue(string key, out GgufValue value)
    {
        if (_index.TryGetValue(key, out var i))
        {
            value = _ordered[i].Value;
            return true;
        }
        value = null!;
        return false;
    }

    public string? GetString(string key) => TryGetValue(key, out var v) && v.Value is string s ? s : null;

    public long? GetInt(string key) => TryGetValue(key, out var v) && !v.IsArray && v.Type is not (GgufValueType.String or GgufValueType.Bool or GgufValueType.Float32 or GgufValueType.Float64) ? v.AsInt64() : null;

    public double? GetDouble(string key) => TryGetValue(key, out var v) && !v.IsArray && v.Type is not (GgufValueType.String or GgufValueType.Bool) ? v.AsDouble() : null;

    public bool? GetBool(string key) => TryGetValue(key, out var v) && v.Value is bool b ? b : null;

    public T[]? GetArray<T>(string key) => TryGetValue(key, out var v) ? v.Value as T[] : null;

    public IEnumerator<KeyValuePair<string, GgufValue>> GetEnumerator() => _ordered.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
