using System.Globalization;
using System.Text.Json.Nodes;

namespace Hearth.Inference.Tests.Grammar;

/// <summary>
/// Seeded random JSON schemas over everything the converter supports: nested objects with required and optional
/// properties and additionalProperties, arrays with bounds and prefixItems, enums, consts, integer and number ranges
/// (exclusive too), strings with lengths and formats, anyOf/oneOf, type lists, nullable, allOf of objects and
/// (recursive) $refs. Strings and arrays always have an upper bound here: a random-weight model under a grammar ends
/// an unbounded string only by chance, which can take thousands of tokens (the grammar allows the ending; the test
/// budget is what is short).
/// </summary>
internal sealed class RandomSchemas(int seed)
{
    private static readonly string[] Names = ["id", "name", "tags", "count", "x-y", "a b", "ünï", "value", "kind", "is_ok"];
    private readonly Random _random = new(seed);
    private JsonObject _defs = new();

    public JsonObject Next()
    {
        _defs = new JsonObject();
        var root = Schema(3, topLevel: true);
        if (_defs.Count > 0)
            root["$defs"] = _defs;
        return root;
    }

    private JsonObject Schema(int depth, bool topLevel = false)
    {
        var pick = topLevel ? _random.Next(3) : _random.Next(depth > 0 ? 19 : 12);
        return pick switch
        {
            0 or 12 or 13 => Object(depth),
            1 or 14 => Array(depth),
            2 when topLevel => Object(depth),
            2 => Enum(),
            3 => new JsonObject { ["const"] = Scalar() },
            4 => Integer(),
            5 => Number(),
            6 => String(),
            7 => Format(),
            8 => new JsonObject { ["type"] = "boolean" },
            9 => new JsonObject { ["type"] = new JsonArray("string", "null"), ["maxLength"] = _random.Next(0, 6) },
            10 => With(Integer(), "nullable", true),
            11 => new JsonObject { ["type"] = "null" },
            15 => new JsonObject { ["anyOf"] = new JsonArray(Schema(depth - 1), Schema(depth - 1)) },
            16 => new JsonObject { ["oneOf"] = new JsonArray(String(), Integer()) }, // disjoint, so oneOf holds
            17 => Reference(depth),
            _ => RecursiveList(),
        };
    }

    private JsonObject Object(int depth)
    {
        var properties = new JsonObject();
        var required = new JsonArray();
        var count = _random.Next(0, 4);
        foreach (var name in Names.OrderBy(_ => _random.Next()).Take(count))
        {
            properties[name] = depth > 0 ? Schema(depth - 1) : Integer();
            if (_random.Next(2) == 0)
                required.Add(name);
        }
        var schema = new JsonObject { ["type"] = "object", ["properties"] = properties, ["required"] = required };
        switch (_random.Next(4))
        {
            case 0:
                schema["additionalProperties"] = false;
                break;
            case 1:
                schema["additionalProperties"] = new JsonObject { ["type"] = "integer", ["minimum"] = -5, ["maximum"] = 5 };
                break;
        }
        if (depth > 0 && _random.Next(6) == 0 && !schema.ContainsKey("additionalProperties"))
            return new JsonObject
            {
                ["allOf"] = new JsonArray(schema, new JsonObject { ["properties"] = new JsonObject { ["extra"] = Integer() }, ["required"] = new JsonArray("extra") }),
            };
        return schema;
    }

    private JsonObject Array(int depth)
    {
        var min = _random.Next(0, 3);
        var schema = new JsonObject { ["type"] = "array", ["items"] = depth > 0 ? Schema(depth - 1) : Integer(), ["maxItems"] = min + _random.Next(0, 3) };
        if (min > 0)
            schema["minItems"] = min;
        if (_random.Next(4) == 0)
            schema["prefixItems"] = new JsonArray(String(), Integer());
        return schema;
    }

    private JsonObject Enum()
    {
        var values = new JsonArray();
        for (var i = _random.Next(1, 5); i > 0; i--)
            values.Add(Scalar());
        return new JsonObject { ["enum"] = values };
    }

    private JsonNode? Scalar() => _random.Next(5) switch
    {
        0 => JsonValue.Create(_random.Next(-1000, 1000)),
        1 => JsonValue.Create(new[] { "red", "gr\"een", "blue sky", "ünïcödé", "a\\b" }[_random.Next(5)]),
        2 => JsonValue.Create(_random.Next(2) == 0),
        3 => null,
        _ => JsonValue.Create(Math.Round(_random.NextDouble() * 100 - 50, 2)),
    };

    private JsonObject Integer()
    {
        var schema = new JsonObject { ["type"] = "integer" };
        var low = _random.Next(-2000, 2000);
        switch (_random.Next(5))
        {
            case 0:
                schema["minimum"] = low;
                break;
            case 1:
                schema["maximum"] = low;
                break;
            case 2:
                schema["minimum"] = low;
                schema["maximum"] = low + _random.Next(0, 300);
                break;
            case 3:
                schema["exclusiveMinimum"] = low;
                schema["exclusiveMaximum"] = low + _random.Next(2, 50);
                break;
        }
        return schema;
    }

    private JsonObject Number()
    {
        var schema = new JsonObject { ["type"] = "number" };
        var low = Math.Round(_random.NextDouble() * 200 - 100, 1);
        switch (_random.Next(4))
        {
            case 0:
                schema["minimum"] = low;
                break;
            case 1:
                schema["exclusiveMaximum"] = low;
                break;
            case 2:
                schema["minimum"] = low;
                schema["maximum"] = low + _random.Next(1, 40);
                break;
        }
        return schema;
    }

    private JsonObject String()
    {
        var min = _random.Next(0, 4);
        return new JsonObject { ["type"] = "string", ["minLength"] = min, ["maxLength"] = min + _random.Next(0, 10) };
    }

    private JsonObject Format() =>
        new() { ["type"] = "string", ["format"] = new[] { "date", "time", "date-time", "uuid", "email" }[_random.Next(5)] };

    private JsonObject Reference(int depth)
    {
        var name = "def" + _defs.Count.ToString(CultureInfo.InvariantCulture);
        _defs[name] = Schema(depth - 1);
        return new JsonObject { ["$ref"] = $"#/$defs/{name}", ["description"] = "a reference" };
    }

    // A linked list through a recursive $ref: each node holds a value and at most one next node.
    private JsonObject RecursiveList()
    {
        _defs["node"] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["v"] = new JsonObject { ["type"] = "integer", ["minimum"] = 0, ["maximum"] = 9 },
                ["next"] = new JsonObject { ["type"] = "array", ["maxItems"] = 1, ["items"] = new JsonObject { ["$ref"] = "#/$defs/node" } },
            },
            ["required"] = new JsonArray("v"),
            ["additionalProperties"] = false,
        };
        return new JsonObject { ["$ref"] = "#/$defs/node" };
    }

    private static JsonObject With(JsonObject schema, string keyword, JsonNode value)
    {
        schema[keyword] = value;
        return schema;
    }
}
