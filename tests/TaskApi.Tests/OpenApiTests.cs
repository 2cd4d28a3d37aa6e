using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Readers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tasks.Testing;

namespace TaskApi.Tests;

public sealed class OpenApiTests(OpenApiTests.DefaultTokenUrl api) : IClassFixture<OpenApiTests.DefaultTokenUrl>
{
    /// <summary>The document as a deployment with the default settings serves it: the identity service at its default address.</summary>
    public sealed class DefaultTokenUrl : TaskApiFactory
    {
        public DefaultTokenUrl() => Settings["Auth:IdentityPublicUrl"] = new global::TaskApi.Infrastructure.Access.AuthOptions().IdentityPublicUrl.ToString();
    }

    /// <summary>The document as committed: what clients are generated from (this project's build generates one).</summary>
    public static readonly string CommittedDocument = Path.Combine(SolutionLayout.Directory, "TaskApi", "openapi", "v1.json");

    private readonly HttpClient _client = api.CreateClient();

    /// <summary>Every operation the API maps, as "GET /tasks/{id}", except the probes, the document and its UI.</summary>
    private List<string> ApiOperations() =>
        api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(endpoint => (Path: "/" + endpoint.RoutePattern.RawText!.Trim('/'), Verbs: endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []))
            // FastEndpoints maps "/_test_url_cache_" in the Testing environment for its own test helpers.
            .Where(route => !new[] { "/health", "/alive", "/openapi", "/swagger", "/_" }.Any(route.Path.StartsWith))
            .SelectMany(route => route.Verbs.Select(verb => $"{verb} {route.Path}"))
            .Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task Document_Served_IsValidOpenApi3()
    {
        await using var stream = await _client.GetStreamAsync("/openapi/v1.json");

        var document = new OpenApiStreamReader().Read(stream, out var diagnostic);

        Assert.Equal(OpenApiSpecVersion.OpenApi3_0, diagnostic.SpecificationVersion);
        Assert.Empty(diagnostic.Errors.Select(error => $"{error.Pointer}: {error.Message}"));
        var documented = document.Paths.SelectMany(path => path.Value.Operations.Keys.Select(verb => $"{verb.ToString().ToUpperInvariant()} {path.Key}"));
        Assert.Equal(ApiOperations(), documented.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Document_Served_IsTheCommittedDocument()
    {
        var served = await _client.GetStringAsync("/openapi/v1.json");
        if (Environment.GetEnvironmentVariable("TASKS_WRITE_OPENAPI") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(CommittedDocument)!);
            await File.WriteAllTextAsync(CommittedDocument, JsonNode.Parse(served)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        }

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(await File.ReadAllTextAsync(CommittedDocument)), JsonNode.Parse(served)),
            "TaskApi/openapi/v1.json differs from what the API serves: run `TASKS_WRITE_OPENAPI=1 dotnet test tests/TaskApi.Tests " +
            "--filter Document_Served_IsTheCommittedDocument` and commit the file.");
    }

    [Theory]
    [InlineData("CreateTaskRequest", "name", "minLength", 1)]
    [InlineData("CreateTaskRequest", "name", "maxLength", 200)]
    [InlineData("CreateTaskRequest", "delaySeconds", "minimum", 0)]
    [InlineData("CreateTaskRequest", "delaySeconds", "maximum", 31_536_000)]
    [InlineData("CreateTaskRequest", "maxAttempts", "minimum", 1)]
    [InlineData("CreateTaskRequest", "maxAttempts", "maximum", 10)]
    [InlineData("ClientRequest", "phone", "minLength", 1)]
    [InlineData("ClientRequest", "tag", "maxLength", 64)]
    public async Task Document_RequestSchema_CarriesTheValidatorsBounds(string schema, string property, string keyword, int bound)
    {
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var field = document.GetProperty("components").GetProperty("schemas").GetProperty(schema).GetProperty("properties").GetProperty(property);
        Assert.Equal(bound, field.GetProperty(keyword).GetDouble());
    }

    [Fact]
    public async Task Document_ListQueries_CarryThePagingBounds()
    {
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paging = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (Route: $"{operation.Name} {path.Name}", Operation: operation.Value)))
            .SelectMany(operation => operation.Operation.TryGetProperty("parameters", out var parameters)
                ? parameters.EnumerateArray().Select(parameter => (operation.Route, Parameter: parameter))
                : [])
            .Where(query => query.Parameter.GetProperty("in").GetString() == "query"
                && query.Parameter.GetProperty("name").GetString() is "page" or "pageSize" or "after")
            .Select(query => (query.Route, Name: query.Parameter.GetProperty("name").GetString()!, Schema: query.Parameter.GetProperty("schema")))
            .ToList();

        Assert.Contains(paging, query => query is { Route: "get /clients", Name: "after" });
        // Users page by their ids, which are text: that cursor has no numeric bounds.
        var byUserId = Assert.Single(paging, query => query is { Route: "get /users", Name: "after" });
        Assert.Equal("string", byUserId.Schema.GetProperty("type").GetString());
        Assert.False(byUserId.Schema.TryGetProperty("minimum", out _));
        paging.Remove(byUserId);
        var expected = new Dictionary<string, string> { ["page"] = "1..10000", ["pageSize"] = "1..100", ["after"] = "1.." };
        Assert.Equal(
            paging.Select(query => $"{query.Route} {query.Name} {expected[query.Name]}"),
            paging.Select(query => $"{query.Route} {query.Name} {Bound(query.Schema, "minimum")}..{Bound(query.Schema, "maximum")}"));

        static string Bound(JsonElement schema, string keyword) => schema.TryGetProperty(keyword, out var bound) ? bound.GetDouble().ToString(CultureInfo.InvariantCulture) : "";
    }

    [Theory]
    [InlineData("phone", "^\\+?[0-9]+$")]
    [InlineData("operatorCode", "^[0-9]{3}$")]
    public async Task Document_ClientRequest_CarriesTheValidatorsPatterns(string property, string pattern)
    {
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var field = document.GetProperty("components").GetProperty("schemas").GetProperty("ClientRequest").GetProperty("properties").GetProperty(property);
        Assert.Equal(pattern, field.GetProperty("pattern").GetString());
    }

    [Fact]
    public async Task Document_ClientRequest_RequiresOnlyThePhone()
    {
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var schema = document.GetProperty("components").GetProperty("schemas").GetProperty("ClientRequest");
        Assert.Equal(["phone"], schema.GetProperty("required").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task Document_EveryErrorResponse_IsAProblem()
    {
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var errors = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (Operation: $"{operation.Name} {path.Name}", operation.Value)))
            .SelectMany(o => o.Value.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('4')).Select(r => (o.Operation, Status: r.Name, Response: r.Value)))
            // The unsubscribe pages are for people in a browser: their 404 is a page too.
            .Where(error => !IsHtmlPage(error.Response))
            .ToList();
        Assert.NotEmpty(errors);
        Assert.All(errors, error => Assert.True(
            error.Response.TryGetProperty("content", out var content) && content.TryGetProperty("application/problem+json", out _),
            $"{error.Operation} {error.Status} has no application/problem+json body"));
    }

    [Fact]
    public async Task Document_SecurityScheme_OffersThePasswordAndClientCredentialsGrantsOfTheIdentityService()
    {
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var flows = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("identity").GetProperty("flows");
        Assert.Equal("http://127.0.0.1:5070/connect/token", flows.GetProperty("password").GetProperty("tokenUrl").GetString());
        Assert.Equal("http://127.0.0.1:5070/connect/token", flows.GetProperty("clientCredentials").GetProperty("tokenUrl").GetString());
        Assert.Equal(["campaigns", "mailings", "notifications", "tasks"],
            flows.GetProperty("clientCredentials").GetProperty("scopes").EnumerateObject().Select(scope => scope.Name).Order());
    }

    [Fact]
    public async Task Document_EveryOperationButTheEmailLinks_RequiresTheSchemeAndDescribes401And403()
    {
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (Path: path.Name, Name: $"{operation.Name} {path.Name}", operation.Value)))
            .ToList();
        var (links, secured) = (operations.Where(o => o.Path.StartsWith("/t/") || o.Path.StartsWith("/u/")).ToList(),
            operations.Where(o => !o.Path.StartsWith("/t/") && !o.Path.StartsWith("/u/")).ToList());
        Assert.NotEmpty(links);
        Assert.All(links, o => Assert.False(o.Value.TryGetProperty("security", out _), $"{o.Name} asks for a token"));
        Assert.All(secured, o =>
        {
            Assert.True(o.Value.TryGetProperty("security", out var security) && security.EnumerateArray().Any(r => r.TryGetProperty("identity", out _)),
                $"{o.Name} does not declare the identity scheme");
            var responses = o.Value.GetProperty("responses");
            Assert.True(responses.TryGetProperty("401", out _) && responses.TryGetProperty("403", out _), $"{o.Name} does not describe 401 and 403");
        });
    }

    private static bool IsHtmlPage(JsonElement response) =>
        response.TryGetProperty("content", out var content) && content.EnumerateObject().Select(c => c.Name).SequenceEqual(["text/html"]);

    [Theory]
    [InlineData("/tasks", "post", new[] { "201", "200", "400", "413", "415" })]
    [InlineData("/tasks", "get", new[] { "200", "400" })]
    [InlineData("/tasks/{id}", "get", new[] { "200", "400", "404" })]
    [InlineData("/clients", "post", new[] { "201", "400", "409", "413", "415" })]
    [InlineData("/clients", "get", new[] { "200", "400" })]
    [InlineData("/clients/{id}", "get", new[] { "200", "400", "404" })]
    [InlineData("/clients/{id}", "put", new[] { "200", "400", "404", "409", "413", "415" })]
    [InlineData("/clients/{id}", "delete", new[] { "204", "400", "404" })]
    [InlineData("/clients/import", "post", new[] { "200", "400", "413", "415" })]
    [InlineData("/lists", "post", new[] { "201", "400", "413", "415" })]
    [InlineData("/lists", "get", new[] { "200", "400" })]
    [InlineData("/lists/{id}", "get", new[] { "200", "400", "404" })]
    [InlineData("/lists/{id}", "patch", new[] { "200", "400", "404", "413", "415" })]
    [InlineData("/lists/{id}", "delete", new[] { "204", "400", "404", "409" })]
    [InlineData("/lists/{id}/subscribers", "post", new[] { "200", "400", "404", "413", "415" })]
    [InlineData("/lists/{id}/subscribers", "get", new[] { "200", "400", "404" })]
    [InlineData("/lists/{id}/subscribers/{subscriberId}", "get", new[] { "200", "400", "404" })]
    [InlineData("/lists/{id}/subscribers/{subscriberId}", "delete", new[] { "204", "400", "404" })]
    public async Task Document_EveryRoute_DescribesItsResponses(string path, string method, string[] statuses)
    {
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);
        var responses = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
        Assert.All(statuses, status => Assert.Contains(status, responses));
        Assert.False(string.IsNullOrEmpty(operation.GetProperty("summary").GetString()));
    }

    [Fact]
    public async Task Document_CreateTask_DescribesBodyAndIdempotencyKeyHeader()
    {
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var operation = document.GetProperty("paths").GetProperty("/tasks").GetProperty("post");
        Assert.Contains(operation.GetProperty("parameters").EnumerateArray(),
            p => p.GetProperty("name").GetString() == "Idempotency-Key" && p.GetProperty("in").GetString() == "header");
        Assert.True(operation.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
    }

    [Fact]
    public async Task Document_TaskStatus_ListsTheFiveStatusValues()
    {
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var status = document.GetProperty("components").GetProperty("schemas").GetProperty("TaskItemStatus");
        Assert.Equal(["new", "in_progress", "success", "error", "cancelled"], status.GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task Document_Description_DocumentsTheKafkaIntakeFormat()
    {
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var description = document.GetProperty("info").GetProperty("description").GetString();
        Assert.Contains("tasks.requests", description);
        Assert.Contains("tasks.requests.dlq", description);
        Assert.Contains("idempotency key", description);
    }

    [Fact]
    public async Task SwaggerUi_Requested_ServesThePage()
    {
        var response = await _client.GetAsync("/swagger/index.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger-ui", await response.Content.ReadAsStringAsync());
    }
}
