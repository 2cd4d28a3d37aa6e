using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TaskApi.Tests.Features.Templates;

public sealed class ListTemplatesTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>, IAsyncLifetime
{
    private readonly HttpClient _client = api.CreateClient();
    private readonly List<long> _ids = [];

    public async Task InitializeAsync()
    {
        if (_ids.Count == 0)
        {
            for (var i = 0; i < 5; i++)
            {
                _ids.Add(TemplateTesting.IdOf(await _client.CreateTemplateAsync(TemplateTesting.ValidTemplate(name: $"T{i}"))));
            }
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Get_Pages_ReturnTemplatesInIdOrderWithTheTotal()
    {
        var all = await ListAsync("/templates?pageSize=100");
        var total = all.GetProperty("total").GetInt64();
        var ids = Ids(all);
        Assert.Equal(ids.Order(), ids);
        Assert.Superset(_ids.ToHashSet(), ids.ToHashSet());

        var second = await ListAsync("/templates?page=2&pageSize=2");

        Assert.Equal(ids.Skip(2).Take(2), Ids(second));
        Assert.Equal((2, 2, total), (second.GetProperty("page").GetInt32(), second.GetProperty("pageSize").GetInt32(), second.GetProperty("total").GetInt64()));
    }

    [Fact]
    public async Task Get_NoPage_ReturnsTheFirst20()
    {
        var page = await ListAsync("/templates");

        Assert.Equal((1, 20), (page.GetProperty("page").GetInt32(), page.GetProperty("pageSize").GetInt32()));
        Assert.Equal("Hello {{ recipient.name }}", page.GetProperty("items")[0].GetProperty("subject").GetString());
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("pageSize=x", "pageSize")]
    public async Task Get_InvalidPaging_Returns400NamingIt(string query, string field)
    {
        var response = await _client.GetAsync($"/templates?{query}");

        Assert.NotEmpty(await response.ReadFieldErrorsAsync(field));
    }

    private async Task<JsonElement> ListAsync(string url)
    {
        var response = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static List<long> Ids(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(TemplateTesting.IdOf).ToList();
}
