using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TaskApi.Tests.Features.Clients;

public sealed class GetClientTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Get_ExistingClient_Returns200WithTheClient()
    {
        var phone = ClientTesting.NewPhone();
        var id = (await _client.CreateClientAsync(new { phone, tag = "find me" })).GetProperty("id").GetInt64();

        var response = await _client.GetAsync($"/clients/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var client = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(id, client.GetProperty("id").GetInt64());
        Assert.Equal(phone, client.GetProperty("phone").GetString());
        Assert.Equal("find me", client.GetProperty("tag").GetString());
    }

    [Theory]
    [InlineData(987654321)]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(long.MaxValue)]
    public async Task Get_UnknownId_Returns404Problem(long id)
    {
        var response = await _client.GetAsync($"/clients/{id}");

        var problem = await response.ReadProblemAsync(404);
        Assert.Contains(id.ToString(), problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("1e3")]
    [InlineData("9223372036854775808")]
    [InlineData("01a2076e-ec7d-7243-bc2d-addbebf69ff8")]
    public async Task Get_IdThatIsNotAnInteger_Returns400NamingId(string id)
    {
        var response = await _client.GetAsync($"/clients/{id}");

        var errors = await response.ReadFieldErrorsAsync("id");
        Assert.Contains("integer", Assert.Single(errors));
    }
}
