using TaskApi.Client;
using TaskApi.Tests.Features.Clients;
using TaskApi.Tests.Features.Lists;

namespace TaskApi.Tests;

/// <summary>
/// The C# client NSwag generates from the committed OpenAPI document at build time (TaskApi.Tests.csproj), used
/// against the running API as a consumer would: the document is complete enough to create, read, list and cancel tasks,
/// to keep the clients directory of SMS mailings, and the subscriber lists of email campaigns.
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

    [Fact]
    public async Task CreateClientAsync_NewClient_IsReadBackReplacedListedAndDeleted()
    {
        var created = await _client.CreateClientAsync(new ClientRequest { Phone = ClientTesting.NewPhone(), Tag = "generated" });

        var replaced = await _client.UpdateClientAsync(created.Id, new UpdateClientRequest { Phone = created.Phone, Tag = "replaced", Timezone = "Europe/Moscow" });
        var page = await _client.ListClientsAsync(tag: "replaced");
        await _client.DeleteClientAsync(created.Id);

        Assert.Equal("900", created.OperatorCode);
        Assert.Equal(("replaced", "Europe/Moscow"), (replaced.Tag, replaced.Timezone));
        Assert.Equal(created.Id, Assert.Single(page.Items).Id);
        Assert.Equal(404, (await Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => _client.GetClientAsync(created.Id))).StatusCode);
    }

    [Fact]
    public async Task ImportClientsAsync_NewAndKnownPhones_CountsEachKind()
    {
        var known = await _client.CreateClientAsync(new ClientRequest { Phone = ClientTesting.NewPhone() });

        var counts = await _client.ImportClientsAsync(new ImportClientsRequest
        {
            new ClientRequest { Phone = known.Phone, Tag = "imported" },
            new ClientRequest { Phone = ClientTesting.NewPhone("916") },
        });

        Assert.Equal((1, 1), (counts.Created, counts.Updated));
    }

    [Fact]
    public async Task CreateClientAsync_LandlineNumber_ThrowsWithTheValidationProblem()
    {
        var error = await Assert.ThrowsAsync<ApiException<HttpValidationProblemDetails>>(
            () => _client.CreateClientAsync(new ClientRequest { Phone = "74951234567" }));

        Assert.Equal(400, error.StatusCode);
        Assert.Contains("phone", error.Result.Errors.Keys);
    }

    [Fact]
    public async Task CreateListAsync_NewList_IsFilledRenamedListedAndDeleted()
    {
        var list = await _client.CreateListAsync(new SubscriberListRequest { Name = "generated" });
        var email = ListTesting.NewEmail();

        var counts = await _client.ImportSubscribersAsync(list.Id,
        [
            new SubscriberRequest { Email = email, Name = "Ana", Fields = new Dictionary<string, object> { ["plan"] = "pro" } },
            new SubscriberRequest { Email = ListTesting.NewEmail() },
        ]);
        var renamed = await _client.UpdateListAsync(list.Id, new UpdateListRequest { Name = "renamed" });
        var page = await _client.ListSubscribersAsync(list.Id, status: "subscribed");
        var subscriber = await _client.GetSubscriberAsync(list.Id, page.Items.First().Id);
        await _client.DeleteSubscriberAsync(list.Id, subscriber.Id);
        var lists = await _client.ListListsAsync(pageSize: 100);
        await _client.DeleteListAsync(list.Id);

        Assert.Equal((2, 0), (counts.Created, counts.Updated));
        Assert.Equal(("renamed", 2, 0), (renamed.Name, renamed.Subscribers, renamed.Unsubscribed));
        Assert.Equal((email, "Ana", "subscribed"), (subscriber.Email, subscriber.Name, subscriber.Status));
        Assert.Contains(lists.Items, item => item.Id == list.Id && item.Subscribers == 1);
        Assert.Equal(404, (await Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => _client.GetListAsync(list.Id))).StatusCode);
    }

    [Fact]
    public async Task ImportSubscribersAsync_InvalidAddress_ThrowsWithTheValidationProblemNamingTheRow()
    {
        var list = await _client.CreateListAsync(new SubscriberListRequest { Name = "generated" });

        var error = await Assert.ThrowsAsync<ApiException<HttpValidationProblemDetails>>(
            () => _client.ImportSubscribersAsync(list.Id, [new SubscriberRequest { Email = "Ana <ana@example.com>" }]));

        Assert.Equal(400, error.StatusCode);
        Assert.Contains("[0].email", error.Result.Errors.Keys);
    }
}
