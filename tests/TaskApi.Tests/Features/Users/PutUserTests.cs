using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TaskApi.Tests.Features.Clients;
using TaskApi.Tests.Infrastructure.Access;
using Tasks.Shared;
using Tasks.Testing;

namespace TaskApi.Tests.Features.Users;

public sealed class PutUserTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Put_NewUser_Returns201WithLocationAndEveryField()
    {
        var userId = UserTesting.NewUserId();
        var phone = ClientTesting.NewPhone();

        var response = await _client.PutAsJsonAsync(UserTesting.PathOf(userId), new
        {
            email = "ana@example.com", phone, name = "Ana", timezone = "Europe/Moscow",
            preferences = new { email = true, sms = false, inApp = true },
            quietHours = new { from = "22:00", to = "08:00" },
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(UserTesting.PathOf(userId), response.Headers.Location?.OriginalString);
        var user = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(userId, user.GetProperty("userId").GetString());
        Assert.Equal("ana@example.com", user.GetProperty("email").GetString());
        Assert.Equal(phone, user.GetProperty("phone").GetString());
        Assert.Equal("Ana", user.GetProperty("name").GetString());
        Assert.Equal("Europe/Moscow", user.GetProperty("timezone").GetString());
        Assert.Equal((true, false, true), Preferences(user));
        Assert.Equal(("22:00", "08:00"), QuietHours(user));
        var createdAt = user.GetProperty("createdAt").GetDateTimeOffset();
        Assert.InRange(createdAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
        Assert.Equal(createdAt, user.GetProperty("updatedAt").GetDateTimeOffset());
        Assert.Equal(await response.Content.ReadAsStringAsync(), await (await _client.GetAsync(response.Headers.Location)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Put_EmptyObject_TakesEveryDefault()
    {
        var user = await _client.PutUserAsync(UserTesting.NewUserId(), new { });

        Assert.Equal(JsonValueKind.Null, user.GetProperty("email").ValueKind);
        Assert.Equal(JsonValueKind.Null, user.GetProperty("phone").ValueKind);
        Assert.Equal(JsonValueKind.Null, user.GetProperty("name").ValueKind);
        Assert.Equal("UTC", user.GetProperty("timezone").GetString());
        Assert.Equal((true, true, true), Preferences(user));
        Assert.Equal(JsonValueKind.Null, user.GetProperty("quietHours").ValueKind);
    }

    [Fact]
    public async Task Put_SomePreferences_DefaultsTheOthersToTrue()
    {
        var user = await _client.PutUserAsync(UserTesting.NewUserId(), new { preferences = new { sms = false } });

        Assert.Equal((true, false, true), Preferences(user));
    }

    [Fact]
    public async Task Put_PhoneWithPlusAndEmailWithSpaces_AreStoredNormalised()
    {
        var phone = ClientTesting.NewPhone("916");

        var user = await _client.PutUserAsync(UserTesting.NewUserId(), new { phone = "+" + phone, email = "  ana@example.com " });

        Assert.Equal(phone, user.GetProperty("phone").GetString());
        Assert.Equal("ana@example.com", user.GetProperty("email").GetString());
    }

    [Fact]
    public async Task Put_ExistingUserByAnotherCaller_Returns200ReplacingEveryFieldAndKeepingItsCreation()
    {
        var userId = UserTesting.NewUserId();
        var creator = await api.NewOperatorAsync();
        var original = await creator.Http.PutUserAsync(userId, new
        {
            email = "old@example.com", phone = ClientTesting.NewPhone(), name = "Old", timezone = "Asia/Tokyo",
            preferences = new { email = false, sms = false, inApp = false }, quietHours = new { from = "23:00", to = "07:00" },
        });
        var before = await api.CountUsersAsync();

        var replaced = await _client.PutUserAsync(userId, new { email = "new@example.com" }, HttpStatusCode.OK);

        Assert.Equal("new@example.com", replaced.GetProperty("email").GetString());
        Assert.Equal(JsonValueKind.Null, replaced.GetProperty("phone").ValueKind);
        Assert.Equal(JsonValueKind.Null, replaced.GetProperty("name").ValueKind);
        Assert.Equal("UTC", replaced.GetProperty("timezone").GetString());
        Assert.Equal((true, true, true), Preferences(replaced));
        Assert.Equal(JsonValueKind.Null, replaced.GetProperty("quietHours").ValueKind);
        Assert.Equal(creator.Id, replaced.GetProperty("createdBy").GetString());
        Assert.Equal(original.GetProperty("createdAt").GetDateTimeOffset(), replaced.GetProperty("createdAt").GetDateTimeOffset());
        Assert.True(replaced.GetProperty("updatedAt").GetDateTimeOffset() > original.GetProperty("updatedAt").GetDateTimeOffset());
        Assert.Equal(before, await api.CountUsersAsync());
    }

    [Fact]
    public async Task Put_SameNewUserConcurrently_CreatesItOnceAndReplacesItForTheOthers()
    {
        var userId = UserTesting.NewUserId();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => _client.PutAsJsonAsync(UserTesting.PathOf(userId), new { name = $"writer {i}" })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"answered {(int)r.StatusCode}"));
        Assert.Equal(1, await api.WithDbAsync(db => db.Users.CountAsync(u => u.UserId == userId)));
    }

    [Theory]
    [InlineData("Ana.Maria@Example.COM")]
    [InlineData("ana maria ü %2F & ? # + 日本")]
    [InlineData("   ")]
    public async Task Put_IdWithAnyPrintableCharacters_IsKeptExactlyAndAddressable(string userId)
    {
        var created = await _client.PutUserAsync(userId, new { name = "kept" });

        Assert.Equal(userId, created.GetProperty("userId").GetString());
        var fetched = await _client.GetFromJsonAsync<JsonElement>(UserTesting.PathOf(userId));
        Assert.Equal(userId, fetched.GetProperty("userId").GetString());
    }

    [Fact]
    public async Task Put_IdOf128Characters_IsAcceptedAnd129Refused()
    {
        await _client.PutUserAsync(new string('u', 127) + "ж", new { });

        var response = await _client.PutAsJsonAsync(UserTesting.PathOf(new string('u', 129)), new { });

        await response.ReadFieldErrorsAsync("userId");
    }

    [Theory]
    [InlineData("%01")]
    [InlineData("a%0Ab")]
    [InlineData("a%09b")]
    [InlineData("a%7Fb")]
    [InlineData("a%C2%85b")]
    public async Task Put_IdWithAControlCharacter_Returns400NamingUserIdAndStoresNothing(string escapedId)
    {
        var before = await api.CountUsersAsync();

        var response = await _client.PutAsJsonAsync($"/users/{escapedId}", new { });

        var errors = await response.ReadFieldErrorsAsync("userId");
        Assert.Contains("control characters", Assert.Single(errors));
        Assert.Equal(before, await api.CountUsersAsync());
    }

    [Fact]
    public async Task Put_UserIdInTheBody_IsNotRead()
    {
        var userId = UserTesting.NewUserId();

        var user = await _client.PutUserAsync(userId, new { userId = "someone-else" });

        Assert.Equal(userId, user.GetProperty("userId").GetString());
        Assert.Equal(0, await api.WithDbAsync(db => db.Users.CountAsync(u => u.UserId == "someone-else")));
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        // email: as a subscriber's address
        { """{"email":""}""", "email" },
        { """{"email":"ana@"}""", "email" },
        { """{"email":"ana.example.com"}""", "email" },
        { """{"email":"Ana <ana@example.com>"}""", "email" },
        { """{"email":"ana@example.com, bob@example.com"}""", "email" },
        { """{"email":"an\u0001a@example.com"}""", "email" },
        { $$"""{"email":"{{new string('a', 243)}}@example.com"}""", "email" },
        { """{"email":5}""", "email" },
        // phone: as a client's
        { """{"phone":""}""", "phone" },
        { """{"phone":"7900abc4567"}""", "phone" },
        { """{"phone":"7900123456"}""", "phone" },
        { """{"phone":"7900123456789012"}""", "phone" },
        { """{"phone":"74951234567"}""", "phone" },
        { """{"phone":"99912345678"}""", "phone" },
        { """{"phone":"79001234567\n"}""", "phone" },
        { """{"phone":79001234567}""", "phone" },
        // name: up to 200 characters without control characters
        { $$"""{"name":"{{new string('n', 201)}}"}""", "name" },
        { """{"name":"tab\tinside"}""", "name" },
        { """{"name":"lone \ud800 surrogate"}""", "name" },
        { """{"name":["Ana"]}""", "name" },
        // timezone: an IANA id, as clients'
        { """{"timezone":"Mars/Olympus_Mons"}""", "timezone" },
        { """{"timezone":"europe/moscow"}""", "timezone" },
        { """{"timezone":"UTC+03:00"}""", "timezone" },
        { """{"timezone":""}""", "timezone" },
        // preferences: an object of booleans
        { """{"preferences":{"email":"yes"}}""", "preferences.email" },
        { """{"preferences":{"sms":1}}""", "preferences.sms" },
        { """{"preferences":{"inApp":"false"}}""", "preferences.inApp" },
        { """{"preferences":true}""", "preferences" },
        // quietHours: both or neither, HH:mm, from ≠ to
        { """{"quietHours":{"from":"22:00"}}""", "quietHours.to" },
        { """{"quietHours":{"to":"08:00"}}""", "quietHours.from" },
        { """{"quietHours":{}}""", "quietHours.from" },
        { """{"quietHours":{"from":"24:00","to":"08:00"}}""", "quietHours.from" },
        { """{"quietHours":{"from":"9:00","to":"08:00"}}""", "quietHours.from" },
        { """{"quietHours":{"from":"22:00","to":"08:00:00"}}""", "quietHours.to" },
        { """{"quietHours":{"from":"22:00","to":" 8:00"}}""", "quietHours.to" },
        { """{"quietHours":{"from":"22:00","to":"22:00"}}""", "quietHours.to" },
        { """{"quietHours":{"from":2200,"to":"08:00"}}""", "quietHours.from" },
        { """{"quietHours":"22:00-08:00"}""", "quietHours" },
        // the body itself
        { """not json""", "body" },
        { """[]""", "body" },
        { """{"name":"Ana" """, "body" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Put_InvalidBody_Returns400NamingFieldAndStoresNothing(string body, string field)
    {
        var userId = UserTesting.NewUserId();

        var response = await _client.PutJsonAsync(UserTesting.PathOf(userId), body);

        await response.ReadFieldErrorsAsync(field);
        Assert.Equal(0, await api.WithDbAsync(db => db.Users.CountAsync(u => u.UserId == userId)));
    }

    [Fact]
    public async Task Put_InvalidFieldsOfAnExistingUser_LeavesItAsItWas()
    {
        var userId = UserTesting.NewUserId();
        var original = await _client.PutUserAsync(userId, new { name = "kept" });

        var response = await _client.PutAsJsonAsync(UserTesting.PathOf(userId), new { name = "lost", timezone = "Nowhere" });

        await response.ReadFieldErrorsAsync("timezone");
        Assert.Equal(original.GetRawText(), (await _client.GetFromJsonAsync<JsonElement>(UserTesting.PathOf(userId))).GetRawText());
    }

    [Fact]
    public async Task Put_BodyOverRequestLimit_Returns413AndStoresNothing()
    {
        var userId = UserTesting.NewUserId();

        var response = await _client.PutAsJsonAsync(UserTesting.PathOf(userId), new { name = new string('x', 20_000) });

        await response.ReadProblemAsync(413);
        Assert.Equal(0, await api.WithDbAsync(db => db.Users.CountAsync(u => u.UserId == userId)));
    }

    [Fact]
    public async Task Put_NonJsonContentType_Returns415()
    {
        var response = await _client.PutAsync(UserTesting.PathOf(UserTesting.NewUserId()), new StringContent("{}", Encoding.UTF8, "text/plain"));

        await response.ReadProblemAsync(415);
    }

    [Fact]
    public async Task Put_ByAnApp_RecordsItAsCreatorAndInTheAuditLog()
    {
        var app = await api.NewAppAsync(Scopes.Notifications);
        var userId = UserTesting.NewUserId();

        var created = await app.Http.PutUserAsync(userId, new { email = "app@example.com" });

        Assert.Equal(app.Id, created.GetProperty("createdBy").GetString());
        var entry = await Eventually.GetAsync(
            () => api.WithDbAsync(db => db.AuditEntries.AsNoTracking().FirstOrDefaultAsync(e => e.ActorId == app.Id)),
            TimeSpan.FromSeconds(10), "the audit entry of the PUT");
        Assert.Equal("PUT /users/{userId}", entry.Action);
        Assert.Equal(UserTesting.PathOf(userId), entry.Entity);
        Assert.Equal(201, entry.Status);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("POST")]
    public async Task Write_ByAViewer_Returns403NamingWhoMayWrite(string verb)
    {
        using var viewer = api.CreateClient(await api.Identity.OperatorTokenAsync(Roles.Viewer));

        var response = await viewer.SendAsync(WriteRequest(verb));

        var problem = await response.ReadProblemAsync(403);
        Assert.Contains("the role 'admin' or 'operator', or the scope 'notifications'", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Read_ByAViewer_IsLetThrough()
    {
        var userId = UserTesting.NewUserId();
        await _client.PutUserAsync(userId, new { });
        using var viewer = api.CreateClient(await api.Identity.OperatorTokenAsync(Roles.Viewer));

        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync(UserTesting.PathOf(userId))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/users")).StatusCode);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("POST")]
    public async Task AnyRoute_ByAnAppWithoutTheNotificationsScope_Returns403NamingIt(string verb)
    {
        var app = await api.NewAppAsync(Scopes.Mailings, Scopes.Campaigns, Scopes.Tasks);

        var response = await app.Http.SendAsync(verb == "GET" ? new HttpRequestMessage(HttpMethod.Get, "/users") : WriteRequest(verb));

        var problem = await response.ReadProblemAsync(403);
        Assert.Contains("'notifications'", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task EveryRoute_ByAnAppWithTheNotificationsScope_IsLetThrough()
    {
        var app = await api.NewAppAsync(Scopes.Notifications);
        var userId = UserTesting.NewUserId();

        await app.Http.PutUserAsync(userId, new { });
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync(UserTesting.PathOf(userId))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync("/users")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Http.PostAsJsonAsync("/users/import", new[] { new { userId = UserTesting.NewUserId() } })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await app.Http.DeleteAsync(UserTesting.PathOf(userId))).StatusCode);
    }

    private static HttpRequestMessage WriteRequest(string verb) => verb switch
    {
        "PUT" => new HttpRequestMessage(HttpMethod.Put, UserTesting.PathOf(UserTesting.NewUserId())) { Content = JsonContent.Create(new { }) },
        "DELETE" => new HttpRequestMessage(HttpMethod.Delete, UserTesting.PathOf(UserTesting.NewUserId())),
        _ => new HttpRequestMessage(HttpMethod.Post, "/users/import") { Content = JsonContent.Create(new[] { new { userId = UserTesting.NewUserId() } }) },
    };

    private static (bool Email, bool Sms, bool InApp) Preferences(JsonElement user)
    {
        var preferences = user.GetProperty("preferences");
        return (preferences.GetProperty("email").GetBoolean(), preferences.GetProperty("sms").GetBoolean(), preferences.GetProperty("inApp").GetBoolean());
    }

    private static (string?, string?) QuietHours(JsonElement user) =>
        (user.GetProperty("quietHours").GetProperty("from").GetString(), user.GetProperty("quietHours").GetProperty("to").GetString());
}
