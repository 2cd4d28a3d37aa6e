using System.Net.Http.Json;
using System.Text.Json;

namespace TaskApi.Tests.Features.Lists;

public sealed class GetSubscriberTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Get_SubscriberOfTheList_ReturnsItAsTheListShowsIt()
    {
        var listId = await _client.CreateListAsync();
        var email = ListTesting.NewEmail();
        await _client.ImportAsync(listId, new { email, name = "Ana", fields = new { plan = "pro", tags = new[] { "a", "b" } } });
        var listed = (await _client.GetFromJsonAsync<JsonElement>($"/lists/{listId}/subscribers")).GetProperty("items")[0];

        var subscriber = await _client.GetFromJsonAsync<JsonElement>($"/lists/{listId}/subscribers/{listed.GetProperty("id").GetInt64()}");

        Assert.Equal(listed.GetRawText(), subscriber.GetRawText());
        Assert.Equal(email, subscriber.GetProperty("email").GetString());
        Assert.Equal("b", subscriber.GetProperty("fields").GetProperty("tags")[1].GetString());
    }

    [Fact]
    public async Task Get_SubscriberOfAnotherList_Returns404NamingTheSubscriber()
    {
        var listId = await _client.CreateListAsync();
        var otherListId = await _client.CreateListAsync();
        var subscriberId = await api.AddSubscriberAsync(otherListId, ListTesting.NewEmail());

        var problem = await (await _client.GetAsync($"/lists/{listId}/subscribers/{subscriberId}")).ReadProblemAsync(404);

        Assert.Equal("Subscriber not found", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Get_UnknownList_Returns404NamingTheList()
    {
        var problem = await (await _client.GetAsync("/lists/987654321/subscribers/1")).ReadProblemAsync(404);

        Assert.Equal("List not found", problem.GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("abc/subscribers/1", "id")]
    [InlineData("1/subscribers/abc", "subscriberId")]
    public async Task Get_IdThatIsNotAnInteger_Returns400NamingIt(string path, string field)
    {
        var response = await _client.GetAsync($"/lists/{path}");

        await response.ReadFieldErrorsAsync(field);
    }
}
