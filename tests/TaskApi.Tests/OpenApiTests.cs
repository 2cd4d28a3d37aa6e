using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TaskApi.Tests;

public sealed class OpenApiTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Theory]
    [InlineData("/tasks", "post", new[] { "201", "200", "400", "413", "415" })]
    [InlineData("/tasks", "get", new[] { "200", "400" })]
    [InlineData("/tasks/{id}", "get", new[] { "200", "400", "404" })]
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
