using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TaskApi.Tests.Infrastructure.Access;
using Tasks.Shared;

namespace TaskApi.Tests.Features.Tasks;

/// <summary>An app sees, lists and cancels only the tasks it created; operators see every task.</summary>
public sealed class TaskVisibilityTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    [Fact]
    public async Task Get_TaskOfAnotherApp_Returns404AsForAnUnknownId()
    {
        var owner = await api.NewAppAsync(Scopes.Tasks);
        var other = await api.NewAppAsync(Scopes.Tasks);
        var id = await CreateAsync(owner.Http, "owner's");

        var response = await other.Http.GetAsync($"/tasks/{id}");

        var problem = await response.ReadProblemAsync(404);
        Assert.Equal($"No task has id '{id}'.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Get_AppsTask_IsVisibleToTheAppAndToOperatorsOfEveryRole()
    {
        var owner = await api.NewAppAsync(Scopes.Tasks);
        var id = await CreateAsync(owner.Http, "owner's");
        var viewer = await api.NewOperatorAsync(Roles.Viewer);

        foreach (var reader in new[] { owner.Http, api.CreateClient(), viewer.Http })
        {
            var task = await reader.GetFromJsonAsync<JsonElement>($"/tasks/{id}");
            Assert.Equal((id, owner.Id), (task.GetProperty("id").GetGuid(), task.GetProperty("createdBy").GetString()));
        }
    }

    [Fact]
    public async Task List_AsApp_ListsOnlyItsOwnTasksNewestFirst()
    {
        var app = await api.NewAppAsync(Scopes.Tasks);
        var other = await api.NewAppAsync(Scopes.Tasks);
        var own = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            own.Add(await CreateAsync(app.Http, $"own {i}"));
            await CreateAsync(other.Http, $"other's {i}");
        }
        await CreateAsync(api.CreateClient(), "the operator's");

        var page = await app.Http.GetFromJsonAsync<JsonElement>("/tasks");

        Assert.Equal(3, page.GetProperty("total").GetInt32());
        Assert.Equal(Enumerable.Reverse(own), Ids(page));
    }

    [Fact]
    public async Task List_AsAppByStatusAndPage_FiltersAndPagesItsOwnTasks()
    {
        var app = await api.NewAppAsync(Scopes.Tasks);
        var other = await api.NewAppAsync(Scopes.Tasks);
        var oldestNew = await CreateAsync(app.Http, "own, stays new");
        var cancelled = await CreateAsync(app.Http, "own, cancelled");
        await app.Http.DeleteAsync($"/tasks/{cancelled}");
        var newestNew = await CreateAsync(app.Http, "own, also new");
        await CreateAsync(other.Http, "other's, new");

        var first = await app.Http.GetFromJsonAsync<JsonElement>("/tasks?status=new&page=1&pageSize=1");
        var second = await app.Http.GetFromJsonAsync<JsonElement>("/tasks?status=new&page=2&pageSize=1");

        Assert.Equal((2, 2), (first.GetProperty("total").GetInt32(), second.GetProperty("total").GetInt32()));
        Assert.Equal([newestNew], Ids(first));
        Assert.Equal([oldestNew], Ids(second));
    }

    [Fact]
    public async Task List_AsOperator_ListsEveryAppsTasks()
    {
        var firstApp = await api.NewAppAsync(Scopes.Tasks);
        var secondApp = await api.NewAppAsync(Scopes.Tasks);
        var first = await CreateAsync(firstApp.Http, "first app's");
        var second = await CreateAsync(secondApp.Http, "second app's");

        var page = await api.CreateClient().GetFromJsonAsync<JsonElement>("/tasks?pageSize=100");

        Assert.Contains(first, Ids(page));
        Assert.Contains(second, Ids(page));
    }

    [Fact]
    public async Task Delete_TaskOfAnotherApp_Returns404AndLeavesItNew()
    {
        var owner = await api.NewAppAsync(Scopes.Tasks);
        var other = await api.NewAppAsync(Scopes.Tasks);
        var id = await CreateAsync(owner.Http, "owner's");

        var response = await other.Http.DeleteAsync($"/tasks/{id}");

        var problem = await response.ReadProblemAsync(404);
        Assert.Equal($"No task has id '{id}'.", problem.GetProperty("detail").GetString());
        Assert.Equal("new", (await owner.Http.GetFromJsonAsync<JsonElement>($"/tasks/{id}")).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(ActorKinds.App)]
    [InlineData(ActorKinds.Operator)]
    public async Task Delete_AppsTaskByItsAppOrAnOperator_CancelsIt(string canceller)
    {
        var owner = await api.NewAppAsync(Scopes.Tasks);
        var id = await CreateAsync(owner.Http, "owner's");

        var response = await (canceller == ActorKinds.App ? owner.Http : api.CreateClient()).DeleteAsync($"/tasks/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("cancelled", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    /// <summary>A deferred task, so it stays new until a test cancels it.</summary>
    private static async Task<Guid> CreateAsync(HttpClient http, string name)
    {
        var response = await http.PostAsJsonAsync("/tasks", new { name, delaySeconds = 3600 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static List<Guid> Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetGuid()).ToList();
}
