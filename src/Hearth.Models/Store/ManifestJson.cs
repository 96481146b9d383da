using System.Globalization;
using System.Text.Json;
using Hearth.Models.Naming;

namespace Hearth.Models.Store;

/// <summary>
/// Reads and writes manifest JSON (schema version 1, docs/formats.md "Model store"). Reading checks every field and
/// names the one at fault, so a hand-edited or foreign manifest gives a precise error instead of a null reference.
/// </summary>
public static class ManifestJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true };

    public static byte[] Serialize(ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", ModelManifest.CurrentSchemaVersion);
            w.WriteString("name", manifest.Name.Name);
            w.WriteString("tag", manifest.Name.Tag);
            w.WritePropertyName("model");
            WriteBlob(w, manifest.Model.Digest, manifest.Model.Size, manifest.Model.MediaType, scale: null);
            w.WriteStartArray("adapters");
            foreach (var a in manifest.Adapters)
                WriteBlob(w, a.Digest, a.Size, a.MediaType, a.Scale);
            w.WriteEndArray();
            w.WriteStartObject("parameters");
            foreach (var (key, value) in manifest.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                w.WritePropertyName(key);
                value.WriteTo(w);
            }
            w.WriteEndObject();
            WriteOptional(w, "template", manifest.Template);
            WriteOptional(w, "system", manifest.System);
            WriteOptional(w, "license", manifest.License);
            WriteOptional(w, "source", manifest.Source);
            w.WriteString("createdAt", manifest.CreatedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <param name="source">The file path (or other origin) quoted in errors.</param>
    public static ModelManifest Deserialize(ReadOnlySpan<byte> json, string source)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException e)
        {
            throw new ManifestFormatException(source, $"line {e.LineNumber + 1}", "not valid JSON: " + e.Message, e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new ManifestFormatException(source, "$", $"expected a JSON object, found {root.ValueKind}");
            var reader = new FieldReader(source);

            // The version is checked before anything else: a newer schema may have changed every other field.
            if (!root.TryGetProperty("schemaVersion", out var version))
                throw new ManifestFormatException(source, "schemaVersion", "missing; this is not a Hearth manifest");
            if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var v) || v != ModelManifest.CurrentSchemaVersion)
                throw new ManifestFormatException(source, "schemaVersion",
                    $"is {version.GetRawText()}, but this version of Hearth reads only schema version {ModelManifest.CurrentSchemaVersion} (a newer Hearth may have written it)");

            var nameText = reader.String(root, "name", required: true)!;
            var tagText = reader.String(root, "tag", required: true)!;
            if (!ModelName.TryParse($"{nameText}:{tagText}", out var name, out var nameError))
                throw new ManifestFormatException(source, "name", nameError);

            if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
                throw new ManifestFormatException(source, "model", "missing or not an object");
            var (digest, size, mediaType) = reader.Blob(model, "model");

            var adapters = new List<AdapterReference>();
            if (root.TryGetProperty("adapters", out var adapterArray) && adapterArray.ValueKind != JsonValueKind.Null)
            {
                if (adapterArray.ValueKind != JsonValueKind.Array)
                    throw new ManifestFormatException(source, "adapters", "is not an array");
                var i = 0;
                foreach (var a in adapterArray.EnumerateArray())
                {
                    var field = $"adapters[{i++}]";
                    if (a.ValueKind != JsonValueKind.Object)
                        throw new ManifestFormatException(source, field, "is not an object");
                    var (ad, asz, amt) = reader.Blob(a, field);
                    var scale = 1f;
                    if (a.TryGetProperty("scale", out var s))
                    {
                        if (s.ValueKind != JsonValueKind.Number || !float.IsFinite(s.GetSingle()))
                            throw new ManifestFormatException(source, field + ".scale", $"is {s.GetRawText()}, expected a finite number");
                        scale = s.GetSingle();
                    }
                    adapters.Add(new AdapterReference(ad, asz, scale, amt ?? MediaTypes.Adapter));
                }
            }

            var parameters = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            if (root.TryGetProperty("parameters", out var p) && p.ValueKind != JsonValueKind.Null)
            {
                if (p.ValueKind != JsonValueKind.Object)
                    throw new ManifestFormatException(source, "parameters", "is not an object");
                foreach (var prop in p.EnumerateObject())
                    parameters[prop.Name] = prop.Value.Clone();
            }

            var createdText = reader.String(root, "createdAt", required: true)!;
            if (!DateTimeOffset.TryParse(createdText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var created))
                throw new ManifestFormatException(source, "createdAt", $"'{createdText}' is not an ISO 8601 time");

            return new ModelManifest
            {
                Name = name,
                Model = new BlobReference(digest, size, mediaType ?? MediaTypes.Model),
                Adapters = adapters,
                Parameters = parameters,
                Template = reader.String(root, "template"),
                System = reader.String(root, "system"),
                License = reader.String(root, "license"),
                Source = reader.String(root, "source"),
                CreatedAt = created,
            };
        }
    }

    private static void WriteBlob(Utf8JsonWriter w, string digest, long size, string mediaType, float? scale)
    {
        w.WriteStartObject();
        w.WriteString("digest", digest);
        w.WriteNumber("size", size);
        w.WriteString("mediaType", mediaType);
        if (scale is { } s)
            w.WriteNumber("scale", s);
        w.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
            w.WriteNull(name);
        else
            w.WriteString(name, value);
    }

    private readonly struct FieldReader(string source)
    {
        public string? String(JsonElement obj, string name, bool required = false, string? prefix = null)
        {
            var field = prefix is null ? name : $"{prefix}.{name}";
            if (!obj.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null)
                return required ? throw new ManifestFormatException(source, field, "missing") : null;
            return e.ValueKind == JsonValueKind.String
                ? e.GetString()
                : throw new ManifestFormatException(source, field, $"is {e.ValueKind}, expected a string");
        }

        public (string Digest, long Size, string? MediaType) Blob(JsonElement obj, string field)
        {
            var digest = String(obj, "digest", required: true, prefix: field)!;
            if (!BlobDigest.IsValid(digest))
                throw new ManifestFormatException(source, field + ".digest", $"'{digest}' is not of the form sha256:<64 lowercase hex digits>");
            if (!obj.TryGetProperty("size", out var s) || s.ValueKind != JsonValueKind.Number || !s.TryGetInt64(out var size) || size < 0)
                throw new ManifestFormatException(source, field + ".size", "missing or not a non-negative integer");
            return (digest, size, String(obj, "mediaType", prefix: field));
        }
    }
}
