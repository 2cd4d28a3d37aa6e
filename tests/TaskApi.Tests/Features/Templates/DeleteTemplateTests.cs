using System.Net;

namespace TaskApi.Tests.Features.Templates;

public sealed class DeleteTemplateTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Delete_ExistingTemplate_Returns204AndTheTemplateIsGone()
    {
        var id = TemplateTesting.IdOf(await _client.CreateTemplateAsync());

        var response = await _client.DeleteAsync($"/templates/{id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        await (await _client.GetAsync($"/templates/{id}")).ReadProblemAsync(404);
    }

    [Fact]
    public async Task Delete_Twice_Returns404TheSecondTime()
    {
        var id = TemplateTesting.IdOf(await _client.CreateTemplateAsync());

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/templates/{id}")).StatusCode);
        var problem = await (await _client.DeleteAsync($"/templates/{id}")).ReadProblemAsync(404);
        Assert.Contains(id.ToString(), problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Delete_IdNotAnInteger_Returns400NamingIt()
    {
        Assert.NotEmpty(await (await _client.DeleteAsync("/templates/x1")).ReadFieldErrorsAsync("id"));
    }
}
