using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TaskApi.Tests.Infrastructure.Access;
using Tasks.Shared;

namespace TaskApi.Tests.Features.Clients;

public sealed class UpdateClientTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Put_ValidClient_Returns200WithEveryFieldReplaced()
    {
        var original = await _client.CreateClientAsync(new { phone = ClientTesting.NewPhone(), operatorCode = "900", tag = "old", timezone = "UTC" });
        var id = original.GetProperty("id").GetInt64();
        var phone = ClientTesting.NewPhone("916");

        var response = await _client.PutAsJsonAsync($"/clients/{id}", new { phone = "+" + phone, operatorCode = "917", tag = "new", timezone = "Asia/Yekaterinburg" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var client = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(id, client.GetProperty("id").GetInt64());
        Assert.Equal(phone, client.GetProperty("phone").GetString());
        Assert.Equal("917", client.GetProperty("operatorCode").GetString());
        Assert.Equal("new", client.GetProperty("tag").GetString());
        Assert.Equal("Asia/Yekaterinburg", client.GetProperty("timezone").GetString());
        Assert.Equal(original.GetProperty("createdAt").GetDateTimeOffset(), client.GetProperty("createdAt").GetDateTimeOffset());
        Assert.True(client.GetProperty("updatedAt").GetDateTimeOffset() > original.GetProperty("updatedAt").GetDateTimeOffset());
        Assert.Equal(client.GetRawText(), (await _client.GetFromJsonAsync<JsonElement>($"/clients/{id}")).GetRawText());
    }

    [Fact]
    public async Task Put_ByAnotherCaller_KeepsTheCreator()
    {
        var creator = await api.NewAppAsync(Scopes.Mailings);
        var id = (await creator.Http.CreateClientAsync(new { phone = ClientTesting.NewPhone(), tag = "old" })).GetProperty("id").GetInt64();

        var client = await PutAsync(id, new { phone = ClientTesting.NewPhone(), tag = "new" });

        Assert.Equal(("new", creator.Id), (client.GetProperty("tag").GetString(), client.GetProperty("createdBy").GetString()));
    }

    [Fact]
    public async Task Put_OnlyAPhone_ResetsTheOtherFieldsToTheirDefaults()
    {
        var id = await CreateAsync(new { phone = ClientTesting.NewPhone(), operatorCode = "999", tag = "vip", timezone = "Europe/Moscow" });
        var phone = ClientTesting.NewPhone("925");

        var client = await PutAsync(id, new { phone });

        Assert.Equal("925", client.GetProperty("operatorCode").GetString());
        Assert.Equal("", client.GetProperty("tag").GetString());
        Assert.Equal("UTC", client.GetProperty("timezone").GetString());
    }

    [Fact]
    public async Task Put_SamePhoneAsBefore_IsAccepted()
    {
        var phone = ClientTesting.NewPhone();
        var id = await CreateAsync(new { phone, tag = "before" });

        var client = await PutAsync(id, new { phone, tag = "after" });

        Assert.Equal(phone, client.GetProperty("phone").GetString());
        Assert.Equal("after", client.GetProperty("tag").GetString());
    }

    [Fact]
    public async Task Put_PhoneOfAnotherClient_Returns409NamingItAndChangesNothing()
    {
        var otherPhone = ClientTesting.NewPhone();
        var other = await CreateAsync(new { phone = otherPhone });
        var original = await _client.CreateClientAsync(new { phone = ClientTesting.NewPhone(), tag = "unchanged" });
        var id = original.GetProperty("id").GetInt64();

        var response = await _client.PutAsJsonAsync($"/clients/{id}", new { phone = "+" + otherPhone, tag = "changed" });

        var problem = await response.ReadProblemAsync(409);
        Assert.Equal(other, problem.GetProperty("clientId").GetInt64());
        Assert.Equal(original.GetRawText(), (await _client.GetFromJsonAsync<JsonElement>($"/clients/{id}")).GetRawText());
    }

    [Fact]
    public async Task Put_UnknownId_Returns404AndCreatesNothing()
    {
        var before = await api.CountClientsAsync();

        var response = await _client.PutAsJsonAsync("/clients/987654321", new { phone = ClientTesting.NewPhone() });

        var problem = await response.ReadProblemAsync(404);
        Assert.Contains("987654321", problem.GetProperty("detail").GetString());
        Assert.Equal(before, await api.CountClientsAsync());
    }

    [Fact]
    public async Task Put_IdThatIsNotAnInteger_Returns400NamingId()
    {
        var response = await _client.PutAsJsonAsync("/clients/abc", new { phone = ClientTesting.NewPhone() });

        await response.ReadFieldErrorsAsync("id");
    }

    [Fact]
    public async Task Put_IdInTheBody_IsIgnored()
    {
        var id = await CreateAsync(new { phone = ClientTesting.NewPhone() });
        var otherId = await CreateAsync(new { phone = ClientTesting.NewPhone() });

        var response = await _client.PutJsonAsync($"/clients/{id}", $$"""{"id":{{otherId}},"phone":"{{ClientTesting.NewPhone()}}","tag":"by route"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("by route", (await _client.GetFromJsonAsync<JsonElement>($"/clients/{id}")).GetProperty("tag").GetString());
        Assert.Equal("", (await _client.GetFromJsonAsync<JsonElement>($"/clients/{otherId}")).GetProperty("tag").GetString());
    }

    [Theory]
    [InlineData("""{}""", "phone")]
    [InlineData("""{"phone":"74951234567"}""", "phone")]
    [InlineData("""{"phone":"7900-123-45-67"}""", "phone")]
    [InlineData("""{"phone":"79001234567","operatorCode":"9"}""", "operatorCode")]
    [InlineData("""{"phone":"79001234567","tag":"line\nbreak"}""", "tag")]
    [InlineData("""{"phone":"79001234567","timezone":"Europe/Atlantis"}""", "timezone")]
    [InlineData("""{"phone":"79001234567","timezone":false}""", "timezone")]
    [InlineData("""not json""", "body")]
    public async Task Put_InvalidBody_Returns400NamingFieldAndChangesNothing(string body, string field)
    {
        var original = await _client.CreateClientAsync(new { phone = ClientTesting.NewPhone(), tag = "unchanged" });
        var id = original.GetProperty("id").GetInt64();

        var response = await _client.PutJsonAsync($"/clients/{id}", body);

        await response.ReadFieldErrorsAsync(field);
        Assert.Equal(original.GetRawText(), (await _client.GetFromJsonAsync<JsonElement>($"/clients/{id}")).GetRawText());
    }

    [Fact]
    public async Task Put_BodyOverRequestLimit_Returns413()
    {
        var id = await CreateAsync(new { phone = ClientTesting.NewPhone() });

        var response = await _client.PutAsJsonAsync($"/clients/{id}", new { phone = ClientTesting.NewPhone(), tag = new string('x', 20_000) });

        await response.ReadProblemAsync(413);
    }

    private async Task<long> CreateAsync(object client) => (await _client.CreateClientAsync(client)).GetProperty("id").GetInt64();

    private async Task<JsonElement> PutAsync(long id, object client)
    {
        var response = await _client.PutAsJsonAsync($"/clients/{id}", client);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
