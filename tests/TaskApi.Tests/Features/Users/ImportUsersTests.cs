using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TaskApi.Tests.Features.Clients;
using TaskApi.Tests.Infrastructure.Access;

namespace TaskApi.Tests.Features.Users;

public sealed class ImportUsersTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Import_NewIds_CreatesEveryUserWithItsFieldsAndDefaults()
    {
        var ids = Enumerable.Range(0, 3).Select(_ => UserTesting.NewUserId()).ToList();
        var phone = ClientTesting.NewPhone();

        var counts = await ImportAsync(
            new { userId = ids[0], email = " ana@example.com", phone = "+" + phone, name = "Ana", timezone = "Europe/Moscow",
                preferences = new { sms = false }, quietHours = new { from = "22:00", to = "08:00" } },
            new { userId = ids[1] },
            new { userId = ids[2], preferences = new { email = false, sms = true, inApp = false } });

        Assert.Equal((3, 0), counts);
        var stored = await api.WithDbAsync(db => db.Users.AsNoTracking().Where(u => ids.Contains(u.UserId)).ToDictionaryAsync(u => u.UserId));
        var ana = stored[ids[0]];
        Assert.Equal(("ana@example.com", phone, "Ana", "Europe/Moscow"), (ana.Email, ana.Phone, ana.Name, ana.TimeZone));
        Assert.Equal((true, false, true), (ana.EmailEnabled, ana.SmsEnabled, ana.InAppEnabled));
        Assert.Equal((new TimeOnly(22, 0), new TimeOnly(8, 0)), (ana.QuietHoursFrom, ana.QuietHoursTo));
        var bare = stored[ids[1]];
        Assert.Equal((null, null, null, "UTC"), (bare.Email, bare.Phone, bare.Name, bare.TimeZone));
        Assert.Equal((true, true, true), (bare.EmailEnabled, bare.SmsEnabled, bare.InAppEnabled));
        Assert.Null(bare.QuietHoursFrom);
        Assert.Equal((false, true, false), (stored[ids[2]].EmailEnabled, stored[ids[2]].SmsEnabled, stored[ids[2]].InAppEnabled));
        Assert.All(stored.Values, u => Assert.Equal(u.CreatedAt, u.UpdatedAt));
    }

    [Fact]
    public async Task Import_KnownIds_ReplacesEveryFieldAndKeepsTheirCreation()
    {
        var creator = await api.NewOperatorAsync();
        var known = UserTesting.NewUserId();
        var original = await creator.Http.PutUserAsync(known, new { email = "old@example.com", name = "Old", quietHours = new { from = "22:00", to = "08:00" } });
        var fresh = UserTesting.NewUserId();

        var counts = await ImportAsync(new { userId = known, name = "Imported" }, new { userId = fresh });

        Assert.Equal((1, 1), counts);
        var replaced = await _client.GetFromJsonAsync<JsonElement>(UserTesting.PathOf(known));
        Assert.Equal("Imported", replaced.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, replaced.GetProperty("email").ValueKind);
        Assert.Equal(JsonValueKind.Null, replaced.GetProperty("quietHours").ValueKind);
        Assert.Equal(creator.Id, replaced.GetProperty("createdBy").GetString());
        Assert.Equal(original.GetProperty("createdAt").GetDateTimeOffset(), replaced.GetProperty("createdAt").GetDateTimeOffset());
        Assert.True(replaced.GetProperty("updatedAt").GetDateTimeOffset() > original.GetProperty("updatedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Import_SameRowsTwice_ReplacesTheSecondTime()
    {
        var rows = Enumerable.Range(0, 5).Select(_ => new { userId = UserTesting.NewUserId(), name = "again" }).ToArray<object>();

        Assert.Equal((5, 0), await ImportAsync(rows));
        Assert.Equal((0, 5), await ImportAsync(rows));
    }

    [Fact]
    public async Task Import_IdsDifferingInLetterCase_AreTwoUsers()
    {
        var userId = UserTesting.NewUserId("Case");

        Assert.Equal((2, 0), await ImportAsync(new { userId }, new { userId = userId.ToLowerInvariant() }));
    }

    [Fact]
    public async Task Import_InvalidRows_Returns400NamingEveryInvalidRowAndFieldAndStoresNothing()
    {
        var before = await api.CountUsersAsync();

        var response = await _client.PostAsJsonAsync("/users/import", new object[]
        {
            new { userId = UserTesting.NewUserId(), email = "ana@example.com" },
            new { userId = UserTesting.NewUserId(), email = "Ana <ana@example.com>" },
            new { userId = UserTesting.NewUserId(), phone = "74951234567", name = "tab\tinside" },
            new { userId = UserTesting.NewUserId() },
            new { userId = UserTesting.NewUserId(), quietHours = new { from = "22:00" } },
            new { userId = "bad\u0001id" },
            new { email = "no-id@example.com" },
            new { userId = "a/b" },
            new { userId = UserTesting.NewUserId(), timezone = "Nowhere", quietHours = new { from = "08:00", to = "08:00" } },
            new { userId = new string('u', 129) },
            new { userId = "" },
        });

        Assert.Equal(
            ["[10].userId", "[1].email", "[2].name", "[2].phone", "[4].quietHours.to", "[5].userId", "[6].userId", "[7].userId", "[8].quietHours.to", "[8].timezone", "[9].userId"],
            await response.ReadErrorFieldsAsync());
        Assert.Equal(before, await api.CountUsersAsync());
    }

    [Fact]
    public async Task Import_InvalidRow_SaysWhatIsWrongAsThePutWould()
    {
        var response = await _client.PostAsJsonAsync("/users/import", new object[] { new { userId = UserTesting.NewUserId(), phone = "74951234567" } });

        Assert.Equal("'phone' is not a mobile number.", Assert.Single(await response.ReadFieldErrorsAsync("[0].phone")));
    }

    [Fact]
    public async Task Import_SameIdTwice_Returns400NamingTheRepeatByItsFirstRowAndStoresNothing()
    {
        var userId = UserTesting.NewUserId();
        var before = await api.CountUsersAsync();

        var response = await _client.PostAsJsonAsync("/users/import", new object[]
        {
            new { userId = UserTesting.NewUserId() }, new { userId }, new { userId = UserTesting.NewUserId() }, new { userId, name = "again" }, new { userId },
        });

        var problem = await response.ReadProblemAsync(400);
        Assert.Equal(["[3].userId", "[4].userId"], ClientTesting.ErrorFields(problem));
        var message = Assert.Single(problem.GetProperty("errors").GetProperty("[3].userId").EnumerateArray()).GetString();
        Assert.Equal("The userId duplicates row [1]; give each userId once.", message);
        Assert.Equal(before, await api.CountUsersAsync());
    }

    [Fact]
    public async Task Import_10000Rows_CreatesThemAll()
    {
        var before = await api.CountUsersAsync();
        var rows = Enumerable.Range(0, 10_000).Select(i => new { userId = UserTesting.NewUserId("bulk"), email = $"bulk{i}@example.com", timezone = "Europe/Moscow" });

        Assert.Equal((10_000, 0), await ImportAsync(rows.ToArray<object>()));
        Assert.Equal(before + 10_000, await api.CountUsersAsync());
    }

    [Fact]
    public async Task Import_10001Rows_Returns400NamingBodyAndStoresNothing()
    {
        var before = await api.CountUsersAsync();

        var response = await _client.PostAsJsonAsync("/users/import", Enumerable.Range(0, 10_001).Select(_ => new { userId = UserTesting.NewUserId("over") }));

        Assert.Equal("The body must be an array of 1 to 10000 users; it has 10001.", Assert.Single(await response.ReadFieldErrorsAsync("body")));
        Assert.Equal(before, await api.CountUsersAsync());
    }

    [Theory]
    [InlineData("""[]""", "body")]
    [InlineData("""null""", "body")]
    [InlineData("""{"userId":"u"}""", "body")]
    [InlineData("""not json""", "body")]
    [InlineData("""[{"userId":"u1"},null]""", "[1]")]
    [InlineData("""[{"userId":"u1"},{"userId":2}]""", "[1].userId")]
    [InlineData("""[{"userId":"u1","preferences":{"inApp":"no"}}]""", "[0].preferences.inApp")]
    public async Task Import_InvalidBody_Returns400NamingTheFieldAndStoresNothing(string body, string field)
    {
        var before = await api.CountUsersAsync();

        var response = await _client.PostJsonAsync("/users/import", body);

        await response.ReadFieldErrorsAsync(field);
        Assert.Equal(before, await api.CountUsersAsync());
    }

    [Fact]
    public async Task Import_BodyOver8MiB_Returns413AndStoresNothing()
    {
        var before = await api.CountUsersAsync();
        var padded = Enumerable.Range(0, 100).Select(_ => new { userId = UserTesting.NewUserId("big"), timezone = "UTC" + new string(' ', 90_000) });
        // As curl sends a large body: the API refuses it on its Content-Length alone, before the client sends it.
        var request = new HttpRequestMessage(HttpMethod.Post, "/users/import") { Content = ClientTesting.JsonBody(JsonSerializer.SerializeToUtf8Bytes(padded, JsonSerializerOptions.Web)) };
        request.Headers.ExpectContinue = true;

        var response = await _client.SendAsync(request);

        await response.ReadProblemAsync(413);
        Assert.Equal(before, await api.CountUsersAsync());
    }

    [Fact]
    public async Task Import_NonJsonContentType_Returns415()
    {
        var response = await _client.PostAsync("/users/import", new StringContent("[]", Encoding.UTF8, "text/csv"));

        await response.ReadProblemAsync(415);
    }

    private async Task<(int Created, int Updated)> ImportAsync(params object[] rows)
    {
        var response = await _client.PostAsJsonAsync("/users/import", rows);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return ClientTesting.ReadImportCounts(await response.Content.ReadFromJsonAsync<JsonElement>());
    }
}
