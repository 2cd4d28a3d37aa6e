using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using TaskApi.Features.Mailings;

namespace TaskApi.Tests.Features.Clients;

public sealed class DeleteClientTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Delete_ExistingClient_Returns204AndTheClientIsGone()
    {
        var id = await CreateAsync();

        var response = await _client.DeleteAsync($"/clients/{id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        await (await _client.GetAsync($"/clients/{id}")).ReadProblemAsync(404);
    }

    [Fact]
    public async Task Delete_Twice_Returns404TheSecondTime()
    {
        var id = await CreateAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/clients/{id}")).StatusCode);
        var problem = await (await _client.DeleteAsync($"/clients/{id}")).ReadProblemAsync(404);
        Assert.Contains(id.ToString(), problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Delete_UnknownId_Returns404Problem()
    {
        var response = await _client.DeleteAsync("/clients/987654321");

        await response.ReadProblemAsync(404);
    }

    [Fact]
    public async Task Delete_IdThatIsNotAnInteger_Returns400NamingId()
    {
        var response = await _client.DeleteAsync("/clients/abc");

        await response.ReadFieldErrorsAsync("id");
    }

    [Fact]
    public async Task Delete_OneClient_LeavesTheOthers()
    {
        var deleted = await CreateAsync();
        var kept = await CreateAsync();

        await _client.DeleteAsync($"/clients/{deleted}");

        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"/clients/{kept}")).StatusCode);
    }

    [Fact]
    public async Task Delete_ClientWithSentMessages_KeepsItsMessagesForTheStatistics()
    {
        var id = await CreateAsync();
        var message = await api.WithDbAsync(async db =>
        {
            var mailing = new Mailing { Text = "hello", StartAt = DateTimeOffset.UtcNow, EndAt = DateTimeOffset.UtcNow.AddHours(1), CreatedAt = DateTimeOffset.UtcNow };
            db.Mailings.Add(mailing);
            await db.SaveChangesAsync();
            var sms = new SmsMessage { MailingId = mailing.Id, ClientId = id, Phone = "79000000000", TimeZone = "UTC", Status = MessageStatus.Sent, CreatedAt = DateTimeOffset.UtcNow };
            db.SmsMessages.Add(sms);
            await db.SaveChangesAsync();
            return sms.Id;
        });

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/clients/{id}")).StatusCode);

        var kept = await api.WithDbAsync(db => db.SmsMessages.AsNoTracking().SingleAsync(m => m.Id == message));
        Assert.Equal(id, kept.ClientId);
        Assert.Equal(MessageStatus.Sent, kept.Status);
    }

    [Fact]
    public async Task Delete_Client_FreesItsPhoneForANewClient()
    {
        var phone = ClientTesting.NewPhone();
        var id = (await _client.CreateClientAsync(new { phone })).GetProperty("id").GetInt64();
        await _client.DeleteAsync($"/clients/{id}");

        var response = await _client.PostAsJsonAsync("/clients", new { phone });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task<long> CreateAsync() =>
        (await _client.CreateClientAsync(new { phone = ClientTesting.NewPhone() })).GetProperty("id").GetInt64();
}
