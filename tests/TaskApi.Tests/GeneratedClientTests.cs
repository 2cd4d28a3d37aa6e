using TaskApi.Client;

namespace TaskApi.Tests;

/// <summary>
/// The C# client NSwag generates from the committed OpenAPI document at build time (TaskApi.Tests.csproj), used
/// against the running API as a consumer would: the document is complete enough to create, read, list and cancel.
/// </summary>
public sealed class GeneratedClientTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private readonly TasksClient _client = new(api.CreateClient());

    [Fact]
    public async Task CreateTaskAsync_NewTask_IsReadBackByGetTaskAsync()
    {
        var created = await _client.CreateTaskAsync(new CreateTaskRequest { Name = "generated client", MaxAttempts = 2 });

        var fetched = await _client.GetTaskAsync(created.Id);

        Assert.Equal("generated client", fetched.Name);
        Assert.Equal(TaskItemStatus.New, fetched.Status);
        Assert.Equal(2, fetched.MaxAttempts);
    }

    [Fact]
    public async Task CreateTaskAsync_SameIdempotencyKeyTwice_ReturnsTheFirstTask()
    {
        var key = $"client-{Guid.NewGuid():N}";

        var first = await _client.CreateTaskAsync(new CreateTaskRequest { Name = "first" }, key);
        var second = await _client.CreateTaskAsync(new CreateTaskRequest { Name = "second" }, key);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal("first", second.Name);
    }

    [Fact]
    public async Task ListTasksAsync_ByStatus_ListsTheNewTask()
    {
        var created = await _client.CreateTaskAsync(new CreateTaskRequest { Name = "to be listed" });

        var page = await _client.ListTasksAsync(status: "new", pageSize: 100);

        Assert.Contains(page.Items, task => task.Id == created.Id);
        Assert.All(page.Items, task => Assert.Equal(TaskItemStatus.New, task.Status));
    }

    [Fact]
    public async Task CancelTaskAsync_NewTask_ReturnsItCancelled()
    {
        var created = await _client.CreateTaskAsync(new CreateTaskRequest { Name = "to be cancelled", DelaySeconds = 3600 });

        var cancelled = await _client.CancelTaskAsync(created.Id);

        Assert.Equal(TaskItemStatus.Cancelled, cancelled.Status);
        Assert.NotNull(cancelled.FinishedAt);
    }

    [Fact]
    public async Task CreateTaskAsync_EmptyName_ThrowsWithTheValidationProblem()
    {
        var error = await Assert.ThrowsAsync<ApiException<HttpValidationProblemDetails>>(
            () => _client.CreateTaskAsync(new CreateTaskRequest { Name = "" }));

        Assert.Equal(400, error.StatusCode);
        Assert.Contains("name", error.Result.Errors.Keys);
    }

    [Fact]
    public async Task GetTaskAsync_UnknownId_ThrowsWithTheNotFoundProblem()
    {
        var error = await Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => _client.GetTaskAsync(Guid.NewGuid()));

        Assert.Equal(404, error.StatusCode);
        Assert.Equal("Task not found", error.Result.Title);
    }
}
