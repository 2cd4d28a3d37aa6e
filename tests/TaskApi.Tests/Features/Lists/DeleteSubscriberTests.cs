using System.Net;

namespace TaskApi.Tests.Features.Lists;

public sealed class DeleteSubscriberTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Delete_SubscriberOfTheList_Returns204AndLeavesTheOthers()
    {
        var listId = await _client.CreateListAsync();
        var deleted = await api.AddSubscriberAsync(listId, ListTesting.NewEmail());
        var kept = await api.AddSubscriberAsync(listId, ListTesting.NewEmail());

        var response = await _client.DeleteAsync($"/lists/{listId}/subscribers/{deleted}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await (await _client.GetAsync($"/lists/{listId}/subscribers/{deleted}")).ReadProblemAsync(404);
        Assert.Equal([kept], (await api.SubscribersAsync(listId)).Select(s => s.Id));
    }

    [Fact]
    public async Task Delete_SubscriberOfAnotherList_Returns404AndKeepsIt()
    {
        var listId = await _client.CreateListAsync();
        var otherListId = await _client.CreateListAsync();
        var subscriberId = await api.AddSubscriberAsync(otherListId, ListTesting.NewEmail());

        var problem = await (await _client.DeleteAsync($"/lists/{listId}/subscribers/{subscriberId}")).ReadProblemAsync(404);

        Assert.Equal("Subscriber not found", problem.GetProperty("title").GetString());
        Assert.Equal(1, await api.CountSubscribersAsync(otherListId));
    }

    [Fact]
    public async Task Delete_Twice_Returns404TheSecondTime()
    {
        var listId = await _client.CreateListAsync();
        var subscriberId = await api.AddSubscriberAsync(listId, ListTesting.NewEmail());

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/lists/{listId}/subscribers/{subscriberId}")).StatusCode);
        await (await _client.DeleteAsync($"/lists/{listId}/subscribers/{subscriberId}")).ReadProblemAsync(404);
    }

    [Fact]
    public async Task Delete_UnknownList_Returns404NamingTheList()
    {
        var problem = await (await _client.DeleteAsync("/lists/987654321/subscribers/1")).ReadProblemAsync(404);

        Assert.Equal("List not found", problem.GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("abc/subscribers/1", "id")]
    [InlineData("1/subscribers/abc", "subscriberId")]
    public async Task Delete_IdThatIsNotAnInteger_Returns400NamingIt(string path, string field)
    {
        var response = await _client.DeleteAsync($"/lists/{path}");

        await response.ReadFieldErrorsAsync(field);
    }
}
