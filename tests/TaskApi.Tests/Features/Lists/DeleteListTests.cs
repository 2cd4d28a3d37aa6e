using System.Net;

namespace TaskApi.Tests.Features.Lists;

public sealed class DeleteListTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Delete_ListWithSubscribers_Returns204AndDeletesThemWithIt()
    {
        var id = await _client.CreateListAsync();
        await _client.ImportAsync(id, new { email = ListTesting.NewEmail() }, new { email = ListTesting.NewEmail() });

        var response = await _client.DeleteAsync($"/lists/{id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        await (await _client.GetAsync($"/lists/{id}")).ReadProblemAsync(404);
        Assert.Equal(0, await api.CountSubscribersAsync(id));
    }

    [Fact]
    public async Task Delete_OneList_LeavesTheOthersAndTheirSubscribers()
    {
        var deleted = await _client.CreateListAsync();
        var kept = await _client.CreateListAsync();
        var email = ListTesting.NewEmail();
        await _client.ImportAsync(deleted, new { email });
        await _client.ImportAsync(kept, new { email });

        await _client.DeleteAsync($"/lists/{deleted}");

        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"/lists/{kept}")).StatusCode);
        Assert.Equal(1, await api.CountSubscribersAsync(kept));
    }

    [Fact]
    public async Task Delete_Twice_Returns404TheSecondTime()
    {
        var id = await _client.CreateListAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/lists/{id}")).StatusCode);
        var problem = await (await _client.DeleteAsync($"/lists/{id}")).ReadProblemAsync(404);
        Assert.Contains(id.ToString(), problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Delete_IdThatIsNotAnInteger_Returns400NamingId()
    {
        var response = await _client.DeleteAsync("/lists/abc");

        await response.ReadFieldErrorsAsync("id");
    }
}
