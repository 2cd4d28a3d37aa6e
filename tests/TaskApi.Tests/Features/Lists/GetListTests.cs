using System.Net.Http.Json;
using System.Text.Json;
using TaskApi.Features.Lists;

namespace TaskApi.Tests.Features.Lists;

public sealed class GetListTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Get_ListWithSubscribers_CountsSubscribedAndUnsubscribedApart()
    {
        var id = await _client.CreateListAsync("Counted");
        var emails = Enumerable.Range(0, 5).Select(_ => ListTesting.NewEmail()).ToList();
        await _client.ImportAsync(id, emails.Select(email => (object)new { email }).ToArray());
        await api.WithDbAsync(db => Unsubscription.UnsubscribeAsync(db, emails[1], [id], DateTimeOffset.UtcNow, default));
        await api.WithDbAsync(db => Unsubscription.UnsubscribeAsync(db, emails[3], [id], DateTimeOffset.UtcNow, default));

        var list = await _client.GetFromJsonAsync<JsonElement>($"/lists/{id}");

        Assert.Equal(id, list.GetProperty("id").GetInt64());
        Assert.Equal("Counted", list.GetProperty("name").GetString());
        Assert.Equal(3, list.GetProperty("subscribers").GetInt32());
        Assert.Equal(2, list.GetProperty("unsubscribed").GetInt32());
    }

    [Fact]
    public async Task Get_TwoLists_CountsEachListsOwnSubscribers()
    {
        var first = await _client.CreateListAsync();
        var second = await _client.CreateListAsync();
        var shared = ListTesting.NewEmail();
        await _client.ImportAsync(first, new { email = shared }, new { email = ListTesting.NewEmail() });
        await _client.ImportAsync(second, new { email = shared });

        var firstList = await _client.GetFromJsonAsync<JsonElement>($"/lists/{first}");
        var secondList = await _client.GetFromJsonAsync<JsonElement>($"/lists/{second}");

        Assert.Equal(2, firstList.GetProperty("subscribers").GetInt32());
        Assert.Equal(1, secondList.GetProperty("subscribers").GetInt32());
    }

    [Fact]
    public async Task Get_UnknownId_Returns404Problem()
    {
        var response = await _client.GetAsync("/lists/987654321");

        var problem = await response.ReadProblemAsync(404);
        Assert.Contains("987654321", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("99999999999999999999")]
    public async Task Get_IdThatIsNotAnInteger_Returns400NamingId(string id)
    {
        var response = await _client.GetAsync($"/lists/{id}");

        await response.ReadFieldErrorsAsync("id");
    }
}
