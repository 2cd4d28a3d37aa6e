using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TaskApi.Tests.Features.Templates;

public sealed class GetTemplateTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Get_ExistingTemplate_Returns200WithIt()
    {
        var created = await _client.CreateTemplateAsync(TemplateTesting.ValidTemplate(name: "Got", text: "plain"));

        var response = await _client.GetAsync($"/templates/{TemplateTesting.IdOf(created)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(created.ToString(), (await response.Content.ReadFromJsonAsync<JsonElement>()).ToString());
    }

    [Fact]
    public async Task Get_UnknownId_Returns404Problem()
    {
        var problem = await (await _client.GetAsync("/templates/987654321")).ReadProblemAsync(404);

        Assert.Contains("987654321", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Get_IdNotAnInteger_Returns400NamingIt()
    {
        var response = await _client.GetAsync("/templates/abc");

        Assert.NotEmpty(await response.ReadFieldErrorsAsync("id"));
    }
}
