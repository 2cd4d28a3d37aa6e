using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace TaskApi.Tests;

/// <summary>
/// Every operation of the committed OpenAPI document called with hostile input and an operator's token: bodies of the
/// wrong shape or not JSON at all, every property of the body's schema (nested ones too) given each extreme or
/// wrongly typed value, every path and query parameter given hostile text. The API must answer each with less than
/// 500, and each 4xx as the document declares it: <c>application/problem+json</c> unless the operation documents
/// another type for that status (the unsubscribe pages are HTML). Deterministic: the cases are fixed lists, and the
/// only random text comes from a fixed seed.
/// </summary>
public sealed class OpenApiFuzzTests(TaskApiFactory api, ITestOutputHelper output) : IClassFixture<TaskApiFactory>
{
    private const string ProblemJson = "application/problem+json";
    private const int MaxNesting = 3;
    private const int LargeBodyBytes = 1024 * 1024;

    // A NUL in the path: Kestrel answers 400 with no body while parsing the request line, before any application code
    // runs, so no problem can be written for it. It must still be a 400.
    private const string KestrelRefuses = "%00";

    private static readonly JsonObject Document = JsonNode.Parse(File.ReadAllText(OpenApiTests.CommittedDocument))!.AsObject();
    private static readonly Random Seeded = new(20261206);

    /// <summary>Text for path and query parameters: numbers past every range, encodings of what paths must not hold, junk.</summary>
    private static readonly string[] HostileParameters =
    [
        "0", "-1", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "2147483648", "1e309", "NaN", "0x10",
        "", " ", "null", "true", KestrelRefuses, "%0A", "%0D%0Aa:b", "..%2F..%2Fadmin", "%FF%FE", "%C0%AF", "'--", "\"", "{id}",
        "9999-12-31", "0001-01-01", "10000-01-01", "9999-12-31T23:59:59Z", "-0001-01-01T00:00:00Z", "2026-02-30",
        new string('9', 400), new string('a', 5000), Uri.EscapeDataString("ж😀\u202E"), Guid.Empty.ToString(), "00000000-0000-0000-0000-00000000000g",
        Uri.EscapeDataString(RandomText(64)),
    ];

    /// <summary>Values for a body property: nulls, every JSON type, numbers past every range, extreme dates, huge or odd text.</summary>
    private static readonly Func<JsonNode?>[] HostileValues =
    [
        () => null, () => true, () => 0, () => -1, () => JsonValue.Create(long.MaxValue), () => JsonValue.Create(long.MinValue),
        () => JsonNode.Parse("9223372036854775808"), () => JsonNode.Parse("1e308"), () => JsonNode.Parse("-1e308"), () => JsonNode.Parse("0.5"),
        () => JsonNode.Parse("1e-400"), () => "", () => " ", () => "\n", () => "\u0000", () => "x\n", () => new string('x', 100_000),
        () => new string('ж', 60_000), () => "😀", () => RandomText(200), () => "9999-12-31T23:59:59Z",
        () => "0001-01-01T00:00:00Z", () => "9999-12-31T23:59:59-14:00", () => "0001-01-01T00:00:00+14:00", () => "2026-13-01T00:00:00Z",
        () => "25:00", () => "Etc/Unknown", () => "99999999999999999999", () => "-1", () => new JsonObject(), () => new JsonArray(),
        () => new JsonArray(JsonValue.Create(1), JsonValue.Create("x"), null), () => Nested(200),
    ];

    [Fact]
    public async Task EveryOperation_HostileInput_AnswersBelow500AndEvery4xxAsDocumented()
    {
        using var client = api.CreateClient();
        var failures = new List<string>();
        var calls = 0;
        foreach (var (method, template, operation) in Operations())
        {
            foreach (var (path, query, body, what) in Cases(template, operation))
            {
                calls++;
                using var request = new HttpRequestMessage(new HttpMethod(method), path + query) { Content = body };
                HttpResponseMessage response;
                try
                {
                    response = await client.SendAsync(request);
                }
                catch (HttpRequestException e) when (body?.Headers.ContentLength > LargeBodyBytes && e.InnerException is IOException)
                {
                    // Kestrel answers a body over the endpoint's limit with 413 before reading it and closes the
                    // connection, which the client sees as a broken pipe while it is still sending.
                    continue;
                }
                using var answered = response;
                var status = (int)response.StatusCode;
                var mediaType = response.Content.Headers.ContentType?.MediaType;
                if (status >= 500)
                {
                    failures.Add($"{method} {template} {what}: {status} {Excerpt(await response.Content.ReadAsStringAsync())}");
                }
                else if (path.Contains(KestrelRefuses, StringComparison.Ordinal) && status == 400 && response.Content.Headers.ContentLength == 0)
                {
                    continue;
                }
                else if (status >= 400 && mediaType != ProblemJson && !Declares(operation, status, mediaType))
                {
                    failures.Add($"{method} {template} {what}: {status} as {mediaType ?? "no content type"}, not a problem");
                }
            }
        }

        output.WriteLine($"{calls} calls, {failures.Count} failures");
        foreach (var failure in failures)
        {
            output.WriteLine(failure);
        }
        Assert.True(calls > 1000, $"Only {calls} calls were made from the document.");
        Assert.Empty(failures);
    }

    private static IEnumerable<(string Method, string Template, JsonObject Operation)> Operations() =>
        Document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Select(operation => (operation.Key.ToUpperInvariant(), path.Key, operation.Value!.AsObject())));

    /// <summary>The requests for one operation: what is made (path and query, body) and a description for the report.</summary>
    private static IEnumerable<(string Path, string Query, HttpContent? Body, string What)> Cases(string template, JsonObject operation)
    {
        var parameters = operation["parameters"]?.AsArray().Select(p => p!.AsObject()).ToList() ?? [];
        var pathParameters = parameters.Where(p => (string?)p["in"] == "path").ToList();
        var queryParameters = parameters.Where(p => (string?)p["in"] == "query").ToList();
        var plausiblePath = Fill(template, pathParameters, name: null, value: null);
        var bodySchema = operation["requestBody"]?["content"]?["application/json"]?["schema"]?.AsObject();
        var plausibleBody = bodySchema is null ? null : Plausible(bodySchema, 0);

        foreach (var parameter in pathParameters)
        {
            foreach (var value in HostileParameters)
            {
                yield return (Fill(template, pathParameters, (string)parameter["name"]!, value), "", Json(plausibleBody), $"path {parameter["name"]}='{Excerpt(value)}'");
            }
        }
        foreach (var parameter in queryParameters)
        {
            foreach (var value in HostileParameters)
            {
                yield return (plausiblePath, $"?{parameter["name"]}={value}", Json(plausibleBody), $"query {parameter["name"]}='{Excerpt(value)}'");
            }
            yield return (plausiblePath, $"?{parameter["name"]}=1&{parameter["name"]}=2", Json(plausibleBody), $"query {parameter["name"]} twice");
        }
        if (bodySchema is null)
        {
            yield break;
        }

        foreach (var (raw, what) in RawBodies())
        {
            yield return (plausiblePath, "", raw, what);
        }
        yield return (plausiblePath, "", Json(plausibleBody), "plausible body");
        if (plausibleBody is JsonObject plausibleObject)
        {
            var extra = plausibleObject.DeepClone().AsObject();
            extra["unexpected"] = "extra property";
            extra["__proto__"] = new JsonObject();
            yield return (plausiblePath, "", Json(extra), "extra properties");
        }
        foreach (var (propertyPath, set) in PropertySetters(bodySchema, [], 0))
        {
            for (var i = 0; i < HostileValues.Length; i++)
            {
                var body = plausibleBody!.DeepClone();
                var value = HostileValues[i]();
                set(body, value);
                yield return (plausiblePath, "", Json(body), $"body {propertyPath}={Excerpt(value?.ToJsonString() ?? "null")}");
            }
        }
    }

    /// <summary>Bodies that are not the schema's JSON at all.</summary>
    private static IEnumerable<(HttpContent Body, string What)> RawBodies()
    {
        yield return (Raw(""u8.ToArray()), "empty body");
        yield return (Raw("{"u8.ToArray()), "truncated JSON");
        yield return (Raw("null"u8.ToArray()), "JSON null");
        yield return (Raw("[]"u8.ToArray()), "JSON array");
        yield return (Raw("\"text\""u8.ToArray()), "JSON string");
        yield return (Raw("1e400"u8.ToArray()), "JSON number out of range");
        yield return (Raw("{\"a\":1,\"a\":2}"u8.ToArray()), "duplicate property");
        yield return (Raw([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D]), "invalid UTF-8");
        yield return (Raw(Encoding.UTF8.GetBytes("{\"x\":\"\\uD800\"}")), "lone surrogate escape");
        yield return (Raw(Encoding.UTF8.GetBytes(new string('[', 10_000) + new string(']', 10_000))), "10,000 levels of arrays");
        yield return (Raw(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "{}" + new string('}', 10_000))), "10,000 levels of objects");
        yield return (Raw(Encoding.UTF8.GetBytes("\"" + new string('x', 4 * 1024 * 1024) + "\"")), "4 MiB string");
        yield return (new StringContent("name=x", Encoding.UTF8, "application/x-www-form-urlencoded"), "a form, not JSON");
        yield return (new ByteArrayContent("{}"u8.ToArray()), "no content type");
    }

    /// <summary>For every property of <paramref name="schema"/> (nested ones too, to <see cref="MaxNesting"/>): its path and how to set it in a plausible body.</summary>
    private static IEnumerable<(string Path, Action<JsonNode, JsonNode?> Set)> PropertySetters(JsonObject schema, string[] path, int depth)
    {
        schema = Resolve(schema);
        if (depth > MaxNesting)
        {
            yield break;
        }
        if ((string?)schema["type"] == "array" && schema["items"] is JsonObject items)
        {
            // The first element stands for every element.
            yield return (string.Join('.', path) + "[0]", (body, value) => ((JsonArray)Walk(body, path)!)[0] = value);
            foreach (var nested in PropertySetters(items, [.. path, "0"], depth + 1))
            {
                yield return nested;
            }
            yield break;
        }
        foreach (var (name, property) in schema["properties"]?.AsObject() ?? new JsonObject())
        {
            string[] propertyPath = [.. path, name];
            yield return (string.Join('.', propertyPath), (body, value) => ((JsonObject)Walk(body, path)!)[name] = value);
            foreach (var nested in PropertySetters(property!.AsObject(), propertyPath, depth + 1))
            {
                yield return nested;
            }
        }
    }

    private static JsonNode? Walk(JsonNode body, string[] path) =>
        path.Aggregate<string, JsonNode?>(body, (node, step) => node is JsonArray array ? array[int.Parse(step)] : node![step]);

    /// <summary>A value the schema would take, roughly: every property present, so each hostile value meets the rest valid-looking.</summary>
    private static JsonNode? Plausible(JsonObject schema, int depth)
    {
        schema = Resolve(schema);
        return (string?)schema["type"] switch
        {
            "object" or null when schema["properties"] is JsonObject properties && depth <= MaxNesting =>
                new JsonObject(properties.Select(p => KeyValuePair.Create(p.Key, Plausible(p.Value!.AsObject(), depth + 1)))),
            "object" or null => new JsonObject(),
            "array" => schema["items"] is JsonObject items && depth <= MaxNesting ? new JsonArray(Plausible(items, depth + 1)) : new JsonArray(),
            "integer" => 1,
            "number" => 1.5,
            "boolean" => true,
            "string" when (string?)schema["format"] == "date-time" => DateTimeOffset.UtcNow.AddHours(1).ToString("O"),
            "string" when schema["enum"] is JsonArray values && values.Count > 0 => values[0]!.DeepClone(),
            _ => "x",
        };
    }

    /// <summary>The schema a <c>$ref</c> (or a one-element <c>oneOf</c>/<c>allOf</c> around one, as the generator writes nullable references) points at.</summary>
    private static JsonObject Resolve(JsonObject schema)
    {
        if (schema["$ref"] is JsonValue reference)
        {
            return Resolve(Document["components"]!["schemas"]![((string)reference!).Split('/')[^1]]!.AsObject());
        }
        if ((schema["oneOf"] ?? schema["allOf"] ?? schema["anyOf"]) is JsonArray { Count: 1 } single)
        {
            return Resolve(single[0]!.AsObject());
        }
        return schema;
    }

    private static string Fill(string template, List<JsonObject> pathParameters, string? name, string? value)
    {
        foreach (var parameter in pathParameters)
        {
            var parameterName = (string)parameter["name"]!;
            var plausible = (string?)parameter["schema"]?["format"] == "guid" ? "0b5e3c4e-7a51-4c0e-9a7e-3f1d2c6b8a90" : "1";
            template = template.Replace($"{{{parameterName}}}", parameterName == name ? value : plausible);
        }
        return template;
    }

    private static bool Declares(JsonObject operation, int status, string? mediaType) =>
        mediaType is not null && operation["responses"]?[status.ToString()]?["content"]?[mediaType] is not null;

    private static HttpContent? Json(JsonNode? body) => body is null ? null : Raw(Encoding.UTF8.GetBytes(body.ToJsonString(new() { MaxDepth = 1000 })));

    private static ByteArrayContent Raw(byte[] bytes) => new(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };

    private static JsonNode Nested(int depth)
    {
        JsonNode node = new JsonObject();
        for (var i = 0; i < depth; i++)
        {
            node = new JsonObject { ["a"] = node };
        }
        return node;
    }

    /// <summary>Random text over the whole of Unicode's planes (control characters, surrogate pairs, private use included).</summary>
    private static string RandomText(int length)
    {
        lock (Seeded)
        {
            var text = new StringBuilder();
            while (text.Length < length)
            {
                var codePoint = Seeded.Next(0, 0x110000);
                if (codePoint is < 0xD800 or > 0xDFFF)
                {
                    text.Append(char.ConvertFromUtf32(codePoint));
                }
            }
            return text.ToString();
        }
    }

    private static string Excerpt(string text) => text.Length <= 60 ? text.ReplaceLineEndings("⏎") : text[..60].ReplaceLineEndings("⏎") + $"…({text.Length})";
}
