using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TaskApi.Model;

namespace TaskApi.Tests.Features.Tasks;

/// <summary>Each test class has its own database, so the tasks here are exactly the ones seeded.</summary>
public sealed class ListTasksTests(ListTasksTests.SeededApi api) : IClassFixture<ListTasksTests.SeededApi>
{
    private readonly HttpClient _client = api.Factory.CreateClient();

    /// <summary>25 tasks "task 0" to "task 24", one per second, cycling through the statuses, created by two callers in turn; index 0 is the oldest.</summary>
    public sealed class SeededApi : IAsyncLifetime
    {
        public TaskApiFactory Factory { get; } = new();
        public List<TaskItem> Tasks { get; } = [];

        public async Task InitializeAsync()
        {
            await ((IAsyncLifetime)Factory).InitializeAsync();
            var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            var statuses = Enum.GetValues<TaskItemStatus>();
            for (var i = 0; i < 25; i++)
            {
                Tasks.Add(new TaskItem
                {
                    Id = Guid.NewGuid(),
                    Name = $"task {i}",
                    Status = statuses[i % statuses.Length],
                    CreatedAt = start.AddSeconds(i),
                    CreatedBy = i % 2 == 0 ? "creator-even" : "creator-odd",
                });
            }
            await Factory.WithDbAsync(db =>
            {
                db.Tasks.AddRange(Tasks);
                return db.SaveChangesAsync();
            });
        }

        public Task DisposeAsync() => ((IAsyncLifetime)Factory).DisposeAsync();
    }

    [Fact]
    public async Task List_NoParameters_ReturnsFirstPageOf20NewestFirst()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>("/tasks");

        Assert.Equal(1, page.GetProperty("page").GetInt32());
        Assert.Equal(20, page.GetProperty("pageSize").GetInt32());
        Assert.Equal(25, page.GetProperty("total").GetInt32());
        var expected = api.Tasks.OrderByDescending(t => t.CreatedAt).Take(20).Select(t => t.Id);
        Assert.Equal(expected, Ids(page));
    }

    [Fact]
    public async Task List_SecondPage_ReturnsTheNextSlice()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>("/tasks?page=2&pageSize=10");

        Assert.Equal(2, page.GetProperty("page").GetInt32());
        Assert.Equal(10, page.GetProperty("pageSize").GetInt32());
        Assert.Equal(25, page.GetProperty("total").GetInt32());
        var expected = api.Tasks.OrderByDescending(t => t.CreatedAt).Skip(10).Take(10).Select(t => t.Id);
        Assert.Equal(expected, Ids(page));
    }

    [Fact]
    public async Task List_PageBeyondTheEnd_ReturnsNoItemsAndTheTotal()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>("/tasks?page=4&pageSize=10");

        Assert.Empty(Ids(page));
        Assert.Equal(25, page.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("new", TaskItemStatus.New)]
    [InlineData("in_progress", TaskItemStatus.InProgress)]
    [InlineData("success", TaskItemStatus.Success)]
    [InlineData("error", TaskItemStatus.Error)]
    public async Task List_StatusFilter_ReturnsOnlyThatStatus(string status, TaskItemStatus expectedStatus)
    {
        var page = await _client.GetFromJsonAsync<JsonElement>($"/tasks?status={status}&pageSize=100");

        var expected = api.Tasks.Where(t => t.Status == expectedStatus).OrderByDescending(t => t.CreatedAt).Select(t => t.Id).ToList();
        Assert.Equal(expected, Ids(page));
        Assert.Equal(expected.Count, page.GetProperty("total").GetInt32());
        Assert.All(page.GetProperty("items").EnumerateArray(), item => Assert.Equal(status, item.GetProperty("status").GetString()));
    }

    [Theory]
    [InlineData("task 1", 11)] // task 1 and task 10 to task 19
    [InlineData("task 24", 1)]
    [InlineData("task", 25)]
    [InlineData("Task", 0)] // case-sensitive
    [InlineData("task_1", 0)] // _ and % are the prefix's own characters, not wildcards
    [InlineData("%", 0)]
    public async Task List_NameFilter_ReturnsTheTasksWhoseNameStartsWithIt(string prefix, int expected)
    {
        var page = await _client.GetFromJsonAsync<JsonElement>($"/tasks?name={Uri.EscapeDataString(prefix)}&pageSize=100");

        var matching = api.Tasks.Where(t => t.Name.StartsWith(prefix, StringComparison.Ordinal)).OrderByDescending(t => t.CreatedAt).Select(t => t.Id).ToList();
        Assert.Equal(expected, matching.Count);
        Assert.Equal(matching, Ids(page));
        Assert.Equal(expected, page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task List_CreatedByWithStatusAndName_ReturnsTheTasksMatchingAll()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>("/tasks?createdBy=creator-odd&status=success&name=task%201&pageSize=100");

        var expected = api.Tasks
            .Where(t => t.CreatedBy == "creator-odd" && t.Status == TaskItemStatus.Success && t.Name.StartsWith("task 1", StringComparison.Ordinal))
            .OrderByDescending(t => t.CreatedAt).Select(t => t.Id).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, Ids(page));
        Assert.All(page.GetProperty("items").EnumerateArray(), item => Assert.Equal("creator-odd", item.GetProperty("createdBy").GetString()));
    }

    [Fact]
    public async Task List_CreatedBy_IsExact()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>("/tasks?createdBy=creator");

        Assert.Empty(Ids(page));
    }

    [Theory]
    [InlineData("name=", "name")]
    [InlineData("createdBy=", "createdBy")]
    [InlineData("name=%00", "name")]
    [InlineData("createdBy=a%0Ab", "createdBy")]
    public async Task List_BadTextFilter_Returns400NamingIt(string query, string field)
    {
        await (await _client.GetAsync($"/tasks?{query}")).ReadFieldErrorsAsync(field);
    }

    [Theory]
    [InlineData("name", 201)]
    [InlineData("createdBy", 201)]
    public async Task List_TextFilterLongerThanItsColumn_Returns400NamingIt(string field, int length)
    {
        var messages = await (await _client.GetAsync($"/tasks?{field}={new string('x', length)}")).ReadFieldErrorsAsync(field);

        Assert.Contains(messages, message => message.Contains("200"));
    }

    [Theory]
    [InlineData("status=bogus", "status")]
    [InlineData("status=IN_PROGRESS", "status")]
    [InlineData("status=", "status")]
    [InlineData("page=0", "page")]
    [InlineData("page=-1", "page")]
    [InlineData("page=1000001", "page")]
    [InlineData("page=abc", "page")]
    [InlineData("page=99999999999", "page")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("pageSize=1.5", "pageSize")]
    public async Task List_InvalidQuery_Returns400NamingTheParameter(string query, string field)
    {
        var response = await _client.GetAsync($"/tasks?{query}");

        await response.ReadFieldErrorsAsync(field);
    }

    [Fact]
    public async Task List_PageSize100_IsAccepted()
    {
        var response = await _client.GetAsync("/tasks?pageSize=100");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static IEnumerable<Guid> Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetGuid()).ToList();
}
