using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TaskApi.Tests.Features.Users;

public sealed class GetUserTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Get_UnknownId_Returns404ProblemNamingIt()
    {
        var response = await _client.GetAsync(UserTesting.PathOf("nobody here"));

        var problem = await response.ReadProblemAsync(404);
        Assert.Contains("'nobody here'", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Get_IdWithAControlCharacter_Returns400NamingUserId()
    {
        // %00 Kestrel refuses itself, before any endpoint.
        var response = await _client.GetAsync("/users/a%1Fb");

        await response.ReadFieldErrorsAsync("userId");
    }

    [Fact]
    public async Task Get_IdsDifferingInLetterCase_AreDifferentUsers()
    {
        var userId = UserTesting.NewUserId("Mixed");
        await _client.PutUserAsync(userId, new { name = "the one" });

        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(UserTesting.PathOf(userId))).StatusCode);
        await (await _client.GetAsync(UserTesting.PathOf(userId.ToUpperInvariant()))).ReadProblemAsync(404);
    }
}
