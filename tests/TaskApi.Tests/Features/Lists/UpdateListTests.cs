using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TaskApi.Tests.Features.Lists;

public sealed class UpdateListTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Patch_NewName_Returns200WithTheNameAndANewUpdatedAt()
    {
        var created = await (await _client.PostAsJsonAsync("/lists", new { name = "Before" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetInt64();
        await _client.ImportAsync(id, new { email = ListTesting.NewEmail() });

        var response = await _client.PatchAsJsonAsync($"/lists/{id}", new { name = "After" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var list = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("After", list.GetProperty("name").GetString());
        Assert.Equal(1, list.GetProperty("subscribers").GetInt32());
        Assert.Equal(created.GetProperty("createdAt").GetDateTimeOffset(), list.GetProperty("createdAt").GetDateTimeOffset());
        Assert.True(list.GetProperty("updatedAt").GetDateTimeOffset() > created.GetProperty("updatedAt").GetDateTimeOffset());
        Assert.Equal(list.GetRawText(), (await _client.GetFromJsonAsync<JsonElement>($"/lists/{id}")).GetRawText());
    }

    [Fact]
    public async Task Patch_NoFields_ChangesNothing()
    {
        var id = await _client.CreateListAsync("Unchanged");
        var before = await _client.GetStringAsync($"/lists/{id}");

        var response = await _client.PatchJsonAsync($"/lists/{id}", "{}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Patch_IdInTheBody_IsIgnored()
    {
        var id = await _client.CreateListAsync("Mine");
        var other = await _client.CreateListAsync("Other");

        var list = await (await _client.PatchJsonAsync($"/lists/{id}", $$"""{"id":{{other}},"name":"Renamed"}""")).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(id, list.GetProperty("id").GetInt64());
        Assert.Equal("Other", (await _client.GetFromJsonAsync<JsonElement>($"/lists/{other}")).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Patch_UnknownId_Returns404Problem()
    {
        var response = await _client.PatchAsJsonAsync("/lists/987654321", new { name = "Nobody" });

        await response.ReadProblemAsync(404);
    }

    [Theory]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"name":"line\nbreak"}""", "name")]
    [InlineData("""{"name":true}""", "name")]
    [InlineData("""[1]""", "body")]
    public async Task Patch_InvalidBody_Returns400NamingTheField(string body, string field)
    {
        var id = await _client.CreateListAsync("Kept");

        var response = await _client.PatchJsonAsync($"/lists/{id}", body);

        await response.ReadFieldErrorsAsync(field);
        Assert.Equal("Kept", (await _client.GetFromJsonAsync<JsonElement>($"/lists/{id}")).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Patch_IdThatIsNotAnInteger_Returns400NamingId()
    {
        var response = await _client.PatchAsJsonAsync("/lists/abc", new { name = "x" });

        await response.ReadFieldErrorsAsync("id");
    }
}
