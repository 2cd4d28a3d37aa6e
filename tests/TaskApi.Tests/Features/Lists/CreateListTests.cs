using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TaskApi.Tests.Features.Clients;
using TaskApi.Tests.Infrastructure.Access;
using Tasks.Shared;

namespace TaskApi.Tests.Features.Lists;

public sealed class CreateListTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Post_ValidName_Returns201WithLocationAndAnEmptyList()
    {
        var response = await _client.PostAsJsonAsync("/lists", new { name = "Weekly digest" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var list = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = list.GetProperty("id").GetInt64();
        Assert.Equal($"/lists/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("Weekly digest", list.GetProperty("name").GetString());
        Assert.Equal((0, 0), (list.GetProperty("subscribers").GetInt32(), list.GetProperty("unsubscribed").GetInt32()));
        var createdAt = list.GetProperty("createdAt").GetDateTimeOffset();
        Assert.True(createdAt > DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Equal(createdAt, list.GetProperty("updatedAt").GetDateTimeOffset());
    }

    [Theory]
    [InlineData(ActorKinds.Operator)]
    [InlineData(ActorKinds.App)]
    public async Task Post_ByCaller_RecordsTheCallerAsCreator(string actorKind)
    {
        var caller = await api.NewCallerAsync(actorKind, Scopes.Campaigns);

        var response = await caller.Http.PostAsJsonAsync("/lists", new { name = "Owned" });

        var list = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(caller.Id, list.GetProperty("createdBy").GetString());
        var id = list.GetProperty("id").GetInt64();
        Assert.Equal(caller.Id, (await caller.Http.GetFromJsonAsync<JsonElement>($"/lists/{id}")).GetProperty("createdBy").GetString());
        var listed = await caller.Http.GetFromJsonAsync<JsonElement>("/lists?pageSize=100");
        Assert.Equal(caller.Id, listed.GetProperty("items").EnumerateArray().Single(l => l.GetProperty("id").GetInt64() == id).GetProperty("createdBy").GetString());
    }

    [Fact]
    public async Task Post_ValidName_LocationReturnsTheSameList()
    {
        var created = await _client.PostAsJsonAsync("/lists", new { name = "Stored" });

        var fetched = await _client.GetAsync(created.Headers.Location);

        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        Assert.Equal(await created.Content.ReadAsStringAsync(), await fetched.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Post_NameOf200Characters_IsAccepted()
    {
        var response = await _client.PostAsJsonAsync("/lists", new { name = new string('n', 200) });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Post_SameNameTwice_CreatesTwoLists()
    {
        var first = await _client.CreateListAsync("Twice");
        var second = await _client.CreateListAsync("Twice");

        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData("""{}""", "name")]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"name":null}""", "name")]
    [InlineData("""{"name":"tab\there"}""", "name")]
    [InlineData("""{"name":"\u0000"}""", "name")]
    [InlineData("""{"name":"\ud800"}""", "name")]
    [InlineData("""{"name":5}""", "name")]
    [InlineData("""{"name":["a"]}""", "name")]
    [InlineData("""{"name":{"a":1}}""", "name")]
    [InlineData("""[]""", "body")]
    [InlineData("""not json""", "body")]
    public async Task Post_InvalidBody_Returns400NamingTheField(string body, string field)
    {
        var response = await _client.PostJsonAsync("/lists", body);

        await response.ReadFieldErrorsAsync(field);
    }

    [Fact]
    public async Task Post_NameOver200Characters_Returns400NamingName()
    {
        var response = await _client.PostAsJsonAsync("/lists", new { name = new string('n', 201) });

        await response.ReadFieldErrorsAsync("name");
    }

    [Fact]
    public async Task Post_BodyOver4KiB_Returns413()
    {
        var response = await _client.PostAsJsonAsync("/lists", new { name = new string('n', 5_000) });

        await response.ReadProblemAsync(413);
    }

    [Fact]
    public async Task Post_NonJsonContentType_Returns415()
    {
        var response = await _client.PostAsync("/lists", new StringContent("name=x", Encoding.UTF8, "application/x-www-form-urlencoded"));

        await response.ReadProblemAsync(415);
    }
}
