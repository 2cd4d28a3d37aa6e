using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PhoneNumbers;
using TaskApi.Tests.Infrastructure.Access;
using Tasks.Shared;

namespace TaskApi.Tests.Features.Clients;

public sealed class CreateClientTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Post_ValidClient_Returns201WithLocationAndClient()
    {
        var phone = ClientTesting.NewPhone();

        var response = await _client.PostAsJsonAsync("/clients", new { phone, operatorCode = "900", tag = "vip", timezone = "Europe/Moscow" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var client = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = client.GetProperty("id").GetInt64();
        Assert.Equal($"/clients/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(phone, client.GetProperty("phone").GetString());
        Assert.Equal("900", client.GetProperty("operatorCode").GetString());
        Assert.Equal("vip", client.GetProperty("tag").GetString());
        Assert.Equal("Europe/Moscow", client.GetProperty("timezone").GetString());
        var createdAt = client.GetProperty("createdAt").GetDateTimeOffset();
        Assert.True(createdAt > DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Equal(createdAt, client.GetProperty("updatedAt").GetDateTimeOffset());
    }

    [Theory]
    [InlineData(ActorKinds.Operator)]
    [InlineData(ActorKinds.App)]
    public async Task Post_ByCaller_RecordsTheCallerAsCreator(string actorKind)
    {
        var caller = await api.NewCallerAsync(actorKind, Scopes.Mailings);

        var created = await caller.Http.CreateClientAsync(new { phone = ClientTesting.NewPhone() });

        Assert.Equal(caller.Id, created.GetProperty("createdBy").GetString());
        var fetched = await caller.Http.GetFromJsonAsync<JsonElement>($"/clients/{created.GetProperty("id").GetInt64()}");
        Assert.Equal(caller.Id, fetched.GetProperty("createdBy").GetString());
    }

    [Fact]
    public async Task Post_ValidClient_LocationReturnsTheSameClient()
    {
        var created = await _client.PostAsJsonAsync("/clients", new { phone = ClientTesting.NewPhone(), tag = "stored" });

        var fetched = await _client.GetAsync(created.Headers.Location);

        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        Assert.Equal(await created.Content.ReadAsStringAsync(), await fetched.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("900")]
    [InlineData("916")]
    [InlineData("925")]
    public async Task Post_RussianMobileRange_IsAMobileNumber(string range)
    {
        var phone = ClientTesting.NewPhone(range);
        var number = PhoneNumberUtil.GetInstance().Parse("+" + phone, null);
        Assert.Equal(PhoneNumberType.MOBILE, PhoneNumberUtil.GetInstance().GetNumberType(number));

        var client = await _client.CreateClientAsync(new { phone });

        Assert.Equal(phone, client.GetProperty("phone").GetString());
    }

    [Fact]
    public async Task Post_PhoneWithLeadingPlus_IsStoredWithoutIt()
    {
        var phone = ClientTesting.NewPhone();

        var client = await _client.CreateClientAsync(new { phone = "+" + phone });

        Assert.Equal(phone, client.GetProperty("phone").GetString());
        Assert.Equal(phone, await api.WithDbAsync(db => db.Clients.Where(c => c.Id == client.GetProperty("id").GetInt64()).Select(c => c.Phone).SingleAsync()));
    }

    [Theory]
    [InlineData("900")]
    [InlineData("916")]
    [InlineData("925")]
    public async Task Post_RussianNumberWithoutOperatorCode_TakesTheThreeDigitsAfterThe7(string range)
    {
        var client = await _client.CreateClientAsync(new { phone = ClientTesting.NewPhone(range) });

        Assert.Equal(range, client.GetProperty("operatorCode").GetString());
    }

    [Theory]
    [InlineData("4915123456789", "151")] // Germany: +49 151 ...
    [InlineData("447911123456", "791")] // United Kingdom: +44 7911 ...
    [InlineData("12015550123", "201")] // United States, where mobile and fixed numbers look alike (FIXED_LINE_OR_MOBILE)
    public async Task Post_ForeignNumberWithoutOperatorCode_TakesTheFirstThreeDigitsOfItsNationalNumber(string phone, string operatorCode)
    {
        var client = await _client.CreateClientAsync(new { phone });

        Assert.Equal(phone, client.GetProperty("phone").GetString());
        Assert.Equal(operatorCode, client.GetProperty("operatorCode").GetString());
    }

    [Fact]
    public async Task Post_ExplicitOperatorCode_IsKeptOverTheNumbersOwn()
    {
        var client = await _client.CreateClientAsync(new { phone = ClientTesting.NewPhone("916"), operatorCode = "999" });

        Assert.Equal("999", client.GetProperty("operatorCode").GetString());
    }

    [Fact]
    public async Task Post_OnlyAPhone_TagIsEmptyAndTimezoneUtc()
    {
        var client = await _client.CreateClientAsync(new { phone = ClientTesting.NewPhone() });

        Assert.Equal("", client.GetProperty("tag").GetString());
        Assert.Equal("UTC", client.GetProperty("timezone").GetString());
    }

    [Fact]
    public async Task Post_NullOptionalFields_TakeTheirDefaults()
    {
        var phone = ClientTesting.NewPhone("925");

        var response = await _client.PostJsonAsync("/clients", $$"""{"phone":"{{phone}}","operatorCode":null,"tag":null,"timezone":null}""");

        var client = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("925", client.GetProperty("operatorCode").GetString());
        Assert.Equal("", client.GetProperty("tag").GetString());
        Assert.Equal("UTC", client.GetProperty("timezone").GetString());
    }

    [Theory]
    [InlineData("Asia/Calcutta")] // a backward-compatible alias of Asia/Kolkata
    [InlineData("America/Argentina/ComodRivadavia")] // the longest id there is
    [InlineData("Etc/GMT-3")]
    public async Task Post_TimezoneIdOfTzdb_IsStoredAsGiven(string timezone)
    {
        var client = await _client.CreateClientAsync(new { phone = ClientTesting.NewPhone(), timezone });

        Assert.Equal(timezone, client.GetProperty("timezone").GetString());
    }

    [Fact]
    public async Task Post_TagOf64Characters_IsAccepted()
    {
        var tag = new string('т', 64);

        var client = await _client.CreateClientAsync(new { phone = ClientTesting.NewPhone(), tag });

        Assert.Equal(tag, client.GetProperty("tag").GetString());
    }

    [Theory]
    // phone: missing, empty, not a string
    [InlineData("""{}""", "phone")]
    [InlineData("""{"phone":null}""", "phone")]
    [InlineData("""{"phone":""}""", "phone")]
    [InlineData("""{"phone":"   "}""", "phone")]
    [InlineData("""{"phone":79001234567}""", "phone")]
    [InlineData("""{"phone":["79001234567"]}""", "phone")]
    [InlineData("""{"phone":true}""", "phone")]
    // phone: anything but digits after an optional '+'
    [InlineData("""{"phone":"7900abc4567"}""", "phone")]
    [InlineData("""{"phone":"+7 900 123-45-67"}""", "phone")]
    [InlineData("""{"phone":"++79001234567"}""", "phone")]
    [InlineData("""{"phone":"79001234567+"}""", "phone")]
    [InlineData("""{"phone":"８９００１２３４５６７"}""", "phone")]
    [InlineData("""{"phone":"79001234567\n"}""", "phone")]
    // phone: 11 to 15 digits
    [InlineData("""{"phone":"7900123456"}""", "phone")]
    [InlineData("""{"phone":"+7900123456"}""", "phone")]
    [InlineData("""{"phone":"7900123456789012"}""", "phone")]
    // phone: a valid number, and a mobile one
    [InlineData("""{"phone":"99912345678"}""", "phone")]
    [InlineData("""{"phone":"70001234567"}""", "phone")]
    [InlineData("""{"phone":"790012345678"}""", "phone")]
    [InlineData("""{"phone":"74951234567"}""", "phone")]
    // operatorCode: exactly 3 digits
    [InlineData("""{"phone":"79000000001","operatorCode":""}""", "operatorCode")]
    [InlineData("""{"phone":"79000000001","operatorCode":"90"}""", "operatorCode")]
    [InlineData("""{"phone":"79000000001","operatorCode":"9000"}""", "operatorCode")]
    [InlineData("""{"phone":"79000000001","operatorCode":"9a0"}""", "operatorCode")]
    [InlineData("""{"phone":"79000000001","operatorCode":" 900"}""", "operatorCode")]
    [InlineData("""{"phone":"79000000001","operatorCode":"900\n"}""", "operatorCode")]
    [InlineData("""{"phone":"79000000001","operatorCode":900}""", "operatorCode")]
    // tag: up to 64 characters without control characters
    [InlineData("""{"phone":"79000000001","tag":"tab\tinside"}""", "tag")]
    [InlineData("""{"phone":"79000000001","tag":"nul\u0000inside"}""", "tag")]
    [InlineData("""{"phone":"79000000001","tag":"lone \ud800 surrogate"}""", "tag")]
    [InlineData("""{"phone":"79000000001","tag":5}""", "tag")]
    // timezone: an IANA id of tzdb, as tzdb spells it
    [InlineData("""{"phone":"79000000001","timezone":"Mars/Olympus_Mons"}""", "timezone")]
    [InlineData("""{"phone":"79000000001","timezone":"europe/moscow"}""", "timezone")]
    [InlineData("""{"phone":"79000000001","timezone":"MSK"}""", "timezone")]
    [InlineData("""{"phone":"79000000001","timezone":"+03:00"}""", "timezone")]
    [InlineData("""{"phone":"79000000001","timezone":"UTC+03:00"}""", "timezone")]
    [InlineData("""{"phone":"79000000001","timezone":""}""", "timezone")]
    [InlineData("""{"phone":"79000000001","timezone":3}""", "timezone")]
    // the body itself
    [InlineData("""null""", "phone")]
    [InlineData("""not json""", "body")]
    [InlineData("""[]""", "body")]
    [InlineData("""{"phone":"79000000001" """, "body")]
    [InlineData("""{"phone":"79000000001"} trailing""", "body")]
    public async Task Post_InvalidBody_Returns400NamingFieldAndStoresNothing(string body, string field)
    {
        var before = await api.CountClientsAsync();

        var response = await _client.PostJsonAsync("/clients", body);

        await response.ReadFieldErrorsAsync(field);
        Assert.Equal(before, await api.CountClientsAsync());
    }

    [Fact]
    public async Task Post_SeveralInvalidFields_Returns400NamingEachOnce()
    {
        var response = await _client.PostAsJsonAsync("/clients", new { phone = "12ab", operatorCode = "1", tag = new string('x', 65), timezone = "Nowhere" });

        Assert.Equal(["operatorCode", "phone", "tag", "timezone"], await response.ReadErrorFieldsAsync());
    }

    [Theory]
    [InlineData("7900abc4567", "digits only")]
    [InlineData("7900123456", "11 to 15 digits")]
    [InlineData("7900123456789012", "11 to 15 digits")]
    [InlineData("99912345678", "not a valid phone number")]
    [InlineData("74951234567", "not a mobile number")]
    public async Task Post_InvalidPhone_SaysWhatIsWrongWithIt(string phone, string reason)
    {
        var response = await _client.PostAsJsonAsync("/clients", new { phone });

        var errors = await response.ReadFieldErrorsAsync("phone");
        Assert.Contains(reason, Assert.Single(errors));
        Assert.StartsWith("'phone'", errors[0]);
    }

    [Fact]
    public async Task Post_TagOf65Characters_Returns400NamingTagAndItsLimit()
    {
        var response = await _client.PostAsJsonAsync("/clients", new { phone = ClientTesting.NewPhone(), tag = new string('x', 65) });

        var errors = await response.ReadFieldErrorsAsync("tag");
        Assert.Contains("64", Assert.Single(errors));
    }

    [Theory]
    [InlineData("")]
    [InlineData("+")]
    public async Task Post_SamePhoneTwice_Returns409NamingTheExistingClient(string secondPrefix)
    {
        var phone = ClientTesting.NewPhone();
        var first = await _client.CreateClientAsync(new { phone, tag = "first" });
        var before = await api.CountClientsAsync();

        var response = await _client.PostAsJsonAsync("/clients", new { phone = secondPrefix + phone, tag = "second" });

        var problem = await response.ReadProblemAsync(409);
        var existingId = first.GetProperty("id").GetInt64();
        Assert.Equal(existingId, problem.GetProperty("clientId").GetInt64());
        Assert.Contains(existingId.ToString(), problem.GetProperty("detail").GetString());
        Assert.Equal(before, await api.CountClientsAsync());
        Assert.Equal("first", (await _client.GetFromJsonAsync<JsonElement>($"/clients/{existingId}")).GetProperty("tag").GetString());
    }

    [Fact]
    public async Task Post_SamePhoneConcurrently_CreatesOneClientAndAnswers409ToTheOthers()
    {
        var phone = ClientTesting.NewPhone();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _client.PostAsJsonAsync("/clients", new { phone })));

        var created = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        foreach (var refused in responses.Where(r => r != created))
        {
            Assert.Equal(id, (await refused.ReadProblemAsync(409)).GetProperty("clientId").GetInt64());
        }
        Assert.Equal(1, await api.WithDbAsync(db => db.Clients.CountAsync(c => c.Phone == phone)));
    }

    [Fact]
    public async Task Post_QueryParameterNamedLikeAField_DoesNotReplaceTheBody()
    {
        var response = await _client.PostJsonAsync("/clients?tag=from-query", $$"""{"phone":"{{ClientTesting.NewPhone()}}","tag":"from-body"}""");

        var client = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("from-body", client.GetProperty("tag").GetString());
    }

    [Fact]
    public async Task Post_WithoutBody_Returns400NamingBody()
    {
        var response = await _client.PostJsonAsync("/clients", "");

        await response.ReadFieldErrorsAsync("body");
    }

    [Fact]
    public async Task Post_NonJsonContentType_Returns415()
    {
        var response = await _client.PostAsync("/clients", new StringContent($$"""{"phone":"{{ClientTesting.NewPhone()}}"}""", Encoding.UTF8, "text/plain"));

        await response.ReadProblemAsync(415);
    }

    [Fact]
    public async Task Post_BodyOverRequestLimit_Returns413AndStoresNothing()
    {
        var before = await api.CountClientsAsync();

        var response = await _client.PostAsJsonAsync("/clients", new { phone = ClientTesting.NewPhone(), tag = new string('x', 20_000) });

        await response.ReadProblemAsync(413);
        Assert.Equal(before, await api.CountClientsAsync());
    }
}
