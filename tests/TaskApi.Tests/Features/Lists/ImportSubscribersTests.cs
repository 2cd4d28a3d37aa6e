using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TaskApi.Features.Lists;
using TaskApi.Tests.Features.Clients;

namespace TaskApi.Tests.Features.Lists;

public sealed class ImportSubscribersTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Import_NewAddresses_CreatesSubscribedSubscribers()
    {
        var id = await _client.CreateListAsync();
        var emails = new[] { ListTesting.NewEmail(), ListTesting.NewEmail(), ListTesting.NewEmail() };

        var counts = await _client.ImportAsync(id,
            new { email = emails[0], name = "Ana Lima", fields = new { first_name = "Ana", plan = "pro", visits = 3 } },
            new { email = $"  {emails[1]}\t" },
            new { email = emails[2].ToUpperInvariant(), name = (string?)null, fields = (object?)null });

        Assert.Equal((3, 0), counts);
        var stored = await api.SubscribersAsync(id);
        Assert.Equal(new[] { emails[0], emails[1], emails[2].ToUpperInvariant() }.Order(), stored.Select(s => s.Email).Order());
        var ana = stored.Single(s => s.Email == emails[0]);
        Assert.Equal("Ana Lima", ana.Name);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"first_name":"Ana","plan":"pro","visits":3}"""), JsonNode.Parse(ana.Fields)));
        Assert.All(stored, s => Assert.Equal(SubscriberStatus.Subscribed, s.Status));
        Assert.All(stored, s => Assert.Null(s.UnsubscribedAt));
        Assert.All(stored, s => Assert.Equal(s.CreatedAt, s.UpdatedAt));
        var upper = stored.Single(s => s.Email == emails[2].ToUpperInvariant());
        Assert.Equal((emails[2], (string?)null, "{}"), (upper.NormalizedEmail, upper.Name, upper.Fields));
    }

    [Fact]
    public async Task Import_KnownAddressInOtherCase_ReplacesNameAndFieldsAndKeepsTheSubscriber()
    {
        var id = await _client.CreateListAsync();
        var email = ListTesting.NewEmail();
        await _client.ImportAsync(id, new { email, name = "Old", fields = new { plan = "free", city = "Porto" } });
        var before = Assert.Single(await api.SubscribersAsync(id));

        var counts = await _client.ImportAsync(id, new { email = email.ToUpperInvariant(), name = "New", fields = new { plan = "pro" } });

        Assert.Equal((0, 1), counts);
        var after = Assert.Single(await api.SubscribersAsync(id));
        Assert.Equal((before.Id, email, "New"), (after.Id, after.Email, after.Name));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"plan":"pro"}"""), JsonNode.Parse(after.Fields)));
        Assert.Equal(before.CreatedAt, after.CreatedAt);
        Assert.True(after.UpdatedAt > before.UpdatedAt);
    }

    [Fact]
    public async Task Import_KnownAddressWithoutNameOrFields_ClearsThem()
    {
        var id = await _client.CreateListAsync();
        var email = ListTesting.NewEmail();
        await _client.ImportAsync(id, new { email, name = "Named", fields = new { plan = "pro" } });

        await _client.ImportAsync(id, new { email });

        var after = Assert.Single(await api.SubscribersAsync(id));
        Assert.Equal(((string?)null, "{}"), (after.Name, after.Fields));
    }

    [Fact]
    public async Task Import_UnsubscribedAddress_UpdatesItButKeepsItUnsubscribed()
    {
        var id = await _client.CreateListAsync();
        var email = ListTesting.NewEmail();
        await _client.ImportAsync(id, new { email });
        await api.WithDbAsync(db => Unsubscription.UnsubscribeAsync(db, email, [id], DateTimeOffset.UtcNow, default));
        var unsubscribed = Assert.Single(await api.SubscribersAsync(id));

        var counts = await _client.ImportAsync(id, new { email = email.ToUpperInvariant(), name = "Back again" });

        Assert.Equal((0, 1), counts);
        var after = Assert.Single(await api.SubscribersAsync(id));
        Assert.Equal(SubscriberStatus.Unsubscribed, after.Status);
        Assert.Equal(unsubscribed.UnsubscribedAt, after.UnsubscribedAt);
        Assert.Equal("Back again", after.Name);
    }

    [Fact]
    public async Task Import_SameRowsTwice_UpdatesTheSecondTime()
    {
        var id = await _client.CreateListAsync();
        var rows = Enumerable.Range(0, 5).Select(_ => (object)new { email = ListTesting.NewEmail() }).ToArray();

        Assert.Equal((5, 0), await _client.ImportAsync(id, rows));
        Assert.Equal((0, 5), await _client.ImportAsync(id, rows));
        Assert.Equal(5, await api.CountSubscribersAsync(id));
    }

    [Fact]
    public async Task Import_SameAddressIntoTwoLists_CreatesASubscriberInEach()
    {
        var first = await _client.CreateListAsync();
        var second = await _client.CreateListAsync();
        var email = ListTesting.NewEmail();

        Assert.Equal((1, 0), await _client.ImportAsync(first, new { email }));
        Assert.Equal((1, 0), await _client.ImportAsync(second, new { email }));
    }

    [Fact]
    public async Task Import_NewAndKnownAddresses_CountsEachKind()
    {
        var id = await _client.CreateListAsync();
        var known = new[] { ListTesting.NewEmail(), ListTesting.NewEmail() };
        await _client.ImportAsync(id, known.Select(email => (object)new { email }).ToArray());

        var counts = await _client.ImportAsync(id,
            new { email = ListTesting.NewEmail() }, new { email = known[0] }, new { email = ListTesting.NewEmail() }, new { email = known[1] });

        Assert.Equal((2, 2), counts);
        Assert.Equal(4, await api.CountSubscribersAsync(id));
    }

    [Theory]
    [InlineData("user+tag@example.com")]
    [InlineData("first.last@sub.example.co.uk")]
    [InlineData("\"ana maria\"@example.com")]
    [InlineData("o'hara@example.com")]
    [InlineData("a@[192.0.2.1]")]
    [InlineData("a@localhost")]
    [InlineData("jöhn@bücher.example")]
    [InlineData("a@xn--bcher-kva.example")]
    public async Task Import_ValidAddress_IsStoredAsGiven(string email)
    {
        var id = await _client.CreateListAsync();

        await _client.ImportAsync(id, new { email });

        Assert.Equal(email, Assert.Single(await api.SubscribersAsync(id)).Email);
    }

    [Fact]
    public async Task Import_PunycodeAndUnicodeFormsOfOneDomain_AreTheSameAddress()
    {
        var id = await _client.CreateListAsync();

        var response = await _client.PostAsJsonAsync($"/lists/{id}/subscribers", new[] { new { email = "a@xn--bcher-kva.example" }, new { email = "A@Bücher.example" } });

        Assert.Equal(["[1].email"], await response.ReadErrorFieldsAsync());
    }

    [Fact]
    public async Task Import_AddressOf254Characters_IsAccepted()
    {
        var id = await _client.CreateListAsync();
        // 64 + 1 + (63 + 1 + 63 + 1 + 57 + 4)
        var email = $"{new string('a', 64)}@{new string('d', 63)}.{new string('e', 63)}.{new string('f', 57)}.com";

        await _client.ImportAsync(id, new { email });

        Assert.Equal(254, Assert.Single(await api.SubscribersAsync(id)).Email.Length);
    }

    [Theory]
    [InlineData("Ana <ana@example.com>")]
    [InlineData("<ana@example.com>")]
    [InlineData("ana@example.com (Ana)")]
    [InlineData("(Ana)ana@example.com")]
    [InlineData("friends: ana@example.com;")]
    [InlineData("ana@example.com, bob@example.com")]
    [InlineData("<@relay.example:ana@example.com>")]
    [InlineData("ana")]
    [InlineData("ana@")]
    [InlineData("@example.com")]
    [InlineData("ana maria@example.com")]
    [InlineData("ana..maria@example.com")]
    [InlineData(".ana@example.com")]
    [InlineData("ana@example..com")]
    [InlineData("ana@example.com.")]
    [InlineData("ana @example.com")]
    [InlineData("ana@@example.com")]
    [InlineData("ana\u0000@example.com")]
    [InlineData("ana\t@example.com")]
    [InlineData("\"ana\u0007\"@example.com")]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Import_InvalidAddress_Returns400NamingEmailAndStoresNothing(string email)
    {
        var id = await _client.CreateListAsync();

        var response = await _client.PostAsJsonAsync($"/lists/{id}/subscribers", new[] { new { email = ListTesting.NewEmail() }, new { email } });

        Assert.Equal(["[1].email"], await response.ReadErrorFieldsAsync());
        Assert.Equal(0, await api.CountSubscribersAsync(id));
    }

    [Theory]
    [InlineData(255)]
    [InlineData(100_000)]
    public async Task Import_AddressOverTheLimit_Returns400SayingTheLimit(int length)
    {
        var id = await _client.CreateListAsync();
        var email = new string('a', length - "@example.com".Length) + "@example.com";

        var response = await _client.PostAsJsonAsync($"/lists/{id}/subscribers", new[] { new { email } });

        Assert.Contains("254", Assert.Single(await response.ReadFieldErrorsAsync("[0].email")));
    }

    [Fact]
    public async Task Import_InvalidRows_Returns400ListingEveryInvalidRowAndStoresNothing()
    {
        var id = await _client.CreateListAsync();

        var response = await _client.PostAsJsonAsync($"/lists/{id}/subscribers", new object[]
        {
            new { email = ListTesting.NewEmail() },
            new { email = "not an address" },
            new { email = ListTesting.NewEmail(), name = new string('n', 201) },
            new { email = ListTesting.NewEmail(), fields = new[] { 1, 2 } },
            new { email = "Ana <ana@example.com>", name = "bell\u0007", fields = new Dictionary<string, int> { ["bad-key"] = 1 } },
            new { name = "no address" },
            new { email = ListTesting.NewEmail() },
        });

        Assert.Equal(["[1].email", "[2].name", "[3].fields", "[4].email", "[4].fields", "[4].name", "[5].email"], await response.ReadErrorFieldsAsync());
        Assert.Equal(0, await api.CountSubscribersAsync(id));
    }

    [Fact]
    public async Task Import_ManyInvalidRows_ListsEveryOne()
    {
        var id = await _client.CreateListAsync();
        var rows = Enumerable.Range(0, 1_000).Select(i => new { email = i % 2 == 0 ? ListTesting.NewEmail() : $"broken{i}" });

        var response = await _client.PostAsJsonAsync($"/lists/{id}/subscribers", rows);

        Assert.Equal(Enumerable.Range(0, 500).Select(i => $"[{2 * i + 1}].email").Order(StringComparer.Ordinal), await response.ReadErrorFieldsAsync());
        Assert.Equal(0, await api.CountSubscribersAsync(id));
    }

    [Fact]
    public async Task Import_SameAddressTwiceInOtherCases_Returns400NamingTheRepeatByItsFirstRowAndStoresNothing()
    {
        var id = await _client.CreateListAsync();
        var email = ListTesting.NewEmail();

        var response = await _client.PostAsJsonAsync($"/lists/{id}/subscribers", new[]
        {
            new { email = ListTesting.NewEmail() }, new { email }, new { email = ListTesting.NewEmail() }, new { email = " " + email.ToUpperInvariant() },
        });

        var problem = await response.ReadProblemAsync(400);
        Assert.Equal(["[3].email"], ClientTesting.ErrorFields(problem));
        var message = Assert.Single(problem.GetProperty("errors").GetProperty("[3].email").EnumerateArray()).GetString();
        Assert.Equal("The email duplicates row [1]; give each email once.", message);
        Assert.Equal(0, await api.CountSubscribersAsync(id));
    }

    [Fact]
    public async Task Import_10000IdenticalRows_Returns400WithASmallAnswerWithinASecond()
    {
        var id = await _client.CreateListAsync();
        var email = ListTesting.NewEmail();
        var body = ClientTesting.JsonBody(JsonSerializer.SerializeToUtf8Bytes(Enumerable.Repeat(new { email }, 10_000), JsonSerializerOptions.Web));
        var started = Stopwatch.StartNew();

        var response = await _client.PostAsync($"/lists/{id}/subscribers", body);

        var elapsed = started.Elapsed;
        var answer = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.InRange(answer.Length, 1, 150_000);
        Assert.InRange(elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
        var errors = JsonDocument.Parse(answer).RootElement.GetProperty("errors");
        Assert.Equal("The email duplicates row [0]; give each email once.", errors.GetProperty("[1].email")[0].GetString());
        Assert.True(errors.TryGetProperty("body", out _));
        Assert.Equal(0, await api.CountSubscribersAsync(id));
    }

    [Fact]
    public async Task Import_FieldsWithNestedValues_AreStoredAsGiven()
    {
        var id = await _client.CreateListAsync();
        const string fields = """{"_tier":"gold","address":{"city":"Porto","lines":["Rua 1",null]},"score":1.5e3,"ratio":-0.25,"vip":true,"note":null,"big":79228162514264337593543950335}""";

        var response = await _client.PostJsonAsync($"/lists/{id}/subscribers", $$"""[{"email":"{{ListTesting.NewEmail()}}","fields":{{fields}}}]""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(fields), JsonNode.Parse(Assert.Single(await api.SubscribersAsync(id)).Fields)));
    }

    [Theory]
    [InlineData("""[]""", "must be a JSON object")]
    [InlineData("""[[1,[2]]]""", "must be a JSON object")]
    [InlineData("""   "text" """, "must be a JSON object")]
    [InlineData("""12""", "must be a JSON object")]
    [InlineData("""true""", "must be a JSON object")]
    [InlineData("""{"first-name":"Ana"}""", "first-name")]
    [InlineData("""{"1st":"Ana"}""", "1st")]
    [InlineData("""{"":"Ana"}""", "key ''")]
    [InlineData("""{"name\n":"Ana"}""", "key")]
    [InlineData("""{"námé":"Ana"}""", "námé")]
    [InlineData("""{"a":1,"a":2}""", "'fields.a' is given twice")]
    [InlineData("""{"a":{"b":1,"b":2}}""", "'fields.a.b' is given twice")]
    [InlineData("""{"a":"nul\u0000"}""", "'fields.a' must not contain \\u0000")]
    [InlineData("""{"a":[{"\u0000":1}]}""", "'fields.a[0]' has a key with \\u0000")]
    [InlineData("""{"a":"\ud800"}""", "unpaired surrogate")]
    [InlineData("""{"a":1e131071}""", "'fields.a' is 1e131071")]
    [InlineData("""{"a":1e-5000}""", "'fields.a' is 1e-5000")]
    [InlineData("""{"a":1e29}""", "decimal")]
    [InlineData("""{"a":79228162514264337593543950336}""", "decimal")]
    [InlineData("""{"a":0.00000000000000000000000000001}""", "28 decimal places")]
    [InlineData("""{"a":1.5e-28}""", "28 decimal places")]
    [InlineData("""{"a":[1,2,1e99999999999999999999]}""", "'fields.a[2]'")]
    public async Task Import_InvalidFields_Returns400NamingFieldsAndSayingWhy(string fields, string reason)
    {
        var id = await _client.CreateListAsync();

        var response = await _client.PostJsonAsync($"/lists/{id}/subscribers", $$"""[{"email":"{{ListTesting.NewEmail()}}","fields":{{fields}}}]""");

        Assert.Contains(reason, Assert.Single(await response.ReadFieldErrorsAsync("[0].fields")));
        Assert.Equal(0, await api.CountSubscribersAsync(id));
    }

    [Fact]
    public async Task Import_FieldKeyOf101Characters_Returns400NamingFields()
    {
        var id = await _client.CreateListAsync();
        var fields = new Dictionary<string, int> { [new string('k', 100)] = 1 };

        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsJsonAsync($"/lists/{id}/subscribers", new[] { new { email = ListTesting.NewEmail(), fields } })).StatusCode);
        fields = new Dictionary<string, int> { [new string('k', 101)] = 1 };
        var response = await _client.PostAsJsonAsync($"/lists/{id}/subscribers", new[] { new { email = ListTesting.NewEmail(), fields } });

        await response.ReadFieldErrorsAsync("[0].fields");
    }

    [Fact]
    public async Task Import_FieldsOver64KiB_Returns400NamingFieldsAndStoresNothing()
    {
        var id = await _client.CreateListAsync();
        var fits = new { note = new string('x', 64 * 1024 - """{"note":""}""".Length) };
        var over = new { note = new string('x', 64 * 1024) };

        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsJsonAsync($"/lists/{id}/subscribers", new[] { new { email = ListTesting.NewEmail(), fields = fits } })).StatusCode);
        var response = await _client.PostAsJsonAsync($"/lists/{id}/subscribers", new[] { new { email = ListTesting.NewEmail(), fields = over } });

        Assert.Contains("65536", Assert.Single(await response.ReadFieldErrorsAsync("[0].fields")));
        Assert.Equal(1, await api.CountSubscribersAsync(id));
    }

    [Fact]
    public async Task Import_NameOf100000Characters_Returns400NamingName()
    {
        var id = await _client.CreateListAsync();

        var response = await _client.PostAsJsonAsync($"/lists/{id}/subscribers", new[] { new { email = ListTesting.NewEmail(), name = new string('n', 100_000) } });

        await response.ReadFieldErrorsAsync("[0].name");
    }

    [Theory]
    [InlineData("""[]""", "body")]
    [InlineData("""null""", "body")]
    [InlineData("""{"email":"a@example.com"}""", "body")]
    [InlineData("""not json""", "body")]
    [InlineData("""[{"email":"a@example.com"},{"email":5}]""", "[1].email")]
    [InlineData("""[{"email":["a@example.com"]}]""", "[0].email")]
    [InlineData("""[{"email":"a@example.com","name":{"first":"Ana"}}]""", "[0].name")]
    [InlineData("""[{"email":"a@example.com","name":7}]""", "[0].name")]
    [InlineData("""[{"email":"a@example.com"},"b@example.com"]""", "[1]")]
    [InlineData("""[{"email":"a@example.com"},null]""", "[1]")]
    [InlineData("""[[{"email":"a@example.com"}]]""", "[0]")]
    [InlineData("""[{"email":"a@example.com"},{"email":"b@example.com"]""", "[1]")]
    public async Task Import_InvalidBody_Returns400NamingTheFieldAndStoresNothing(string body, string field)
    {
        var id = await _client.CreateListAsync();

        var response = await _client.PostJsonAsync($"/lists/{id}/subscribers", body);

        await response.ReadFieldErrorsAsync(field);
        Assert.Equal(0, await api.CountSubscribersAsync(id));
    }

    [Fact]
    public async Task Import_FieldsNestedDeeperThanJsonAllows_Returns400NamingTheNestedField()
    {
        var id = await _client.CreateListAsync();
        var fields = new string('[', 100) + new string(']', 100);

        var response = await _client.PostJsonAsync($"/lists/{id}/subscribers", $$$"""[{"email":"{{{ListTesting.NewEmail()}}}","fields":{"deep":{{{fields}}}}}]""");

        var problem = await response.ReadProblemAsync(400);
        Assert.StartsWith("[0].fields", Assert.Single(ClientTesting.ErrorFields(problem)));
    }

    [Fact]
    public async Task Import_MoreThan10000Rows_Returns400NamingBodyAndStoresNothing()
    {
        var id = await _client.CreateListAsync();
        var rows = Enumerable.Range(0, 10_001).Select(_ => new { email = ListTesting.NewEmail() });

        var response = await _client.PostAsJsonAsync($"/lists/{id}/subscribers", rows);

        Assert.Contains("10000", Assert.Single(await response.ReadFieldErrorsAsync("body")));
        Assert.Equal(0, await api.CountSubscribersAsync(id));
    }

    [Fact]
    public async Task Import_10000RowsOfAbout1KiB_AreWithinTheBodyLimitAndStored()
    {
        var id = await _client.CreateListAsync();
        var about = string.Concat(Enumerable.Repeat("Reads the weekly digest and the product news. ", 20));
        var rows = Enumerable.Range(0, 10_000).Select(i => new { email = ListTesting.NewEmail(), name = $"Reader {i}", fields = new { plan = "pro", about } });
        var body = JsonSerializer.SerializeToUtf8Bytes(rows, JsonSerializerOptions.Web);
        Assert.True(body.Length > 10_000_000);

        var response = await _client.PostAsync($"/lists/{id}/subscribers", ClientTesting.JsonBody(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(10_000, await api.CountSubscribersAsync(id));
    }

    [Fact]
    public async Task Import_BodyOver16MiB_Returns413AndStoresNothing()
    {
        var id = await _client.CreateListAsync();
        var rows = Enumerable.Range(0, 300).Select(_ => new { email = ListTesting.NewEmail(), fields = new { note = new string('x', 60_000) } });
        // As curl sends a large body: the API refuses it on its Content-Length alone, before the client sends it.
        var request = new HttpRequestMessage(HttpMethod.Post, $"/lists/{id}/subscribers") { Content = ClientTesting.JsonBody(JsonSerializer.SerializeToUtf8Bytes(rows, JsonSerializerOptions.Web)) };
        request.Headers.ExpectContinue = true;

        var response = await _client.SendAsync(request);

        await response.ReadProblemAsync(413);
        Assert.Equal(0, await api.CountSubscribersAsync(id));
    }

    [Fact]
    public async Task Import_UnknownList_Returns404Problem()
    {
        var response = await _client.PostAsJsonAsync("/lists/987654321/subscribers", new[] { new { email = ListTesting.NewEmail() } });

        await response.ReadProblemAsync(404);
    }

    [Fact]
    public async Task Import_ListIdThatIsNotAnInteger_Returns400NamingId()
    {
        var response = await _client.PostAsJsonAsync("/lists/abc/subscribers", new[] { new { email = ListTesting.NewEmail() } });

        await response.ReadFieldErrorsAsync("id");
    }

    [Fact]
    public async Task Import_NonJsonContentType_Returns415()
    {
        var id = await _client.CreateListAsync();

        var response = await _client.PostAsync($"/lists/{id}/subscribers", new StringContent("email\na@example.com", Encoding.UTF8, "text/csv"));

        await response.ReadProblemAsync(415);
    }
}
