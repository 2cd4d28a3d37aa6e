using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TaskApi.Tests.Features.Clients;
using TaskApi.Tests.Infrastructure.Access;
using Tasks.Shared;

namespace TaskApi.Tests.Features.Templates;

public sealed class UpdateTemplateTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Put_ValidTemplate_ReplacesEveryFieldAndKeepsCreatedAt()
    {
        var created = await _client.CreateTemplateAsync(TemplateTesting.ValidTemplate(text: "old text"));
        var id = TemplateTesting.IdOf(created);

        var response = await _client.PutAsJsonAsync($"/templates/{id}", new { name = "New", subject = "New {{ campaign.name }}", html = "<b>{{ message }}</b>" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var replaced = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(id, TemplateTesting.IdOf(replaced));
        Assert.Equal(("New", "New {{ campaign.name }}", "<b>{{ message }}</b>", JsonValueKind.Null),
            (replaced.GetProperty("name").GetString(), replaced.GetProperty("subject").GetString(), replaced.GetProperty("html").GetString(), replaced.GetProperty("text").ValueKind));
        Assert.Equal(created.GetProperty("createdAt").GetDateTimeOffset(), replaced.GetProperty("createdAt").GetDateTimeOffset());
        Assert.True(replaced.GetProperty("updatedAt").GetDateTimeOffset() > created.GetProperty("updatedAt").GetDateTimeOffset());
        Assert.Equal(replaced.ToString(), (await _client.GetFromJsonAsync<JsonElement>($"/templates/{id}")).ToString());
    }

    [Fact]
    public async Task Put_ByAnotherCaller_KeepsTheCreator()
    {
        var creator = await api.NewAppAsync(Scopes.Campaigns);
        var id = TemplateTesting.IdOf(await creator.Http.CreateTemplateAsync());

        var response = await _client.PutAsJsonAsync($"/templates/{id}", TemplateTesting.ValidTemplate(name: "Renamed"));

        var template = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Renamed", creator.Id), (template.GetProperty("name").GetString(), template.GetProperty("createdBy").GetString()));
    }

    [Fact]
    public async Task Put_IdInBody_IsIgnored()
    {
        var id = TemplateTesting.IdOf(await _client.CreateTemplateAsync());

        var response = await _client.PutJsonAsync($"/templates/{id}", """{"id":1,"name":"n","subject":"s","html":"h"}""");

        Assert.Equal(id, TemplateTesting.IdOf(await response.Content.ReadFromJsonAsync<JsonElement>()));
    }

    [Fact]
    public async Task Put_PartThatDoesNotCompile_Returns400WithLineAndColumnAndKeepsTheTemplate()
    {
        var created = await _client.CreateTemplateAsync();
        var id = TemplateTesting.IdOf(created);

        var response = await _client.PutAsJsonAsync($"/templates/{id}", TemplateTesting.ValidTemplate(html: "<p>\n  {{ recipient.nmae }}</p>"));

        Assert.StartsWith("line 2, column 6: Unknown variable 'recipient.nmae'", Assert.Single(await response.ReadFieldErrorsAsync("html")));
        Assert.Equal(created.ToString(), (await _client.GetFromJsonAsync<JsonElement>($"/templates/{id}")).ToString());
    }

    [Theory]
    [InlineData("""{"subject":"s","html":"h"}""", "name")]
    [InlineData("""{"name":"n","subject":"","html":"h"}""", "subject")]
    [InlineData("""{"name":"n","subject":"s"}""", "html")]
    public async Task Put_InvalidField_Returns400NamingIt(string body, string field)
    {
        var id = TemplateTesting.IdOf(await _client.CreateTemplateAsync());

        var response = await _client.PutJsonAsync($"/templates/{id}", body);

        Assert.Equal([field], (await response.ReadErrorsAsync()).Keys);
    }

    [Fact]
    public async Task Put_UnknownId_Returns404Problem()
    {
        var response = await _client.PutAsJsonAsync("/templates/987654321", TemplateTesting.ValidTemplate());

        await response.ReadProblemAsync(404);
    }
}
