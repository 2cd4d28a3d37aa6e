using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TaskApi.Model;

namespace TaskApi.Tests.Features.Tasks;

public sealed class GetTaskTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Get_ExistingTask_Returns200WithTheTask()
    {
        var created = await (await _client.PostAsJsonAsync("/tasks", new { name = "find me" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetGuid();

        var response = await _client.GetAsync($"/tasks/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var task = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(id, task.GetProperty("id").GetGuid());
        Assert.Equal("find me", task.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Get_StoredPayloadThatIsNotUnicode_Returns200WithThePayloadAsStored()
    {
        // Rows written before payloads were checked for unpaired surrogates may hold one.
        var legacy = new TaskItem { Id = Guid.NewGuid(), Name = "legacy", CreatedAt = DateTimeOffset.UtcNow, Payload = """{"s":"\ud800"}""" };
        await api.WithDbAsync(db =>
        {
            db.Tasks.Add(legacy);
            return db.SaveChangesAsync();
        });

        var response = await _client.GetAsync($"/tasks/{legacy.Id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("""
            "payload":{"s":"\ud800"}
            """.Trim(), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_UnknownId_Returns404Problem()
    {
        var id = Guid.NewGuid();

        var response = await _client.GetAsync($"/tasks/{id}");

        var problem = await response.ReadProblemAsync(404);
        Assert.Contains(id.ToString(), problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("12345")]
    [InlineData("01a2076e-ec7d-7243-bc2d-addbebf69ff")]
    public async Task Get_IdThatIsNotAGuid_Returns400NamingId(string id)
    {
        var response = await _client.GetAsync($"/tasks/{id}");

        await response.ReadFieldErrorsAsync("id");
    }
}
