using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TaskApi.Tests.Infrastructure.Access;
using Tasks.Shared;

namespace TaskApi.Tests.Features.Tasks;

public sealed class CreateTaskTests(TaskApiFactory api) : IClassFixture<TaskApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Post_ValidTask_Returns201WithLocationAndNewTask()
    {
        var response = await _client.PostAsJsonAsync("/tasks", new { name = "resize images", payload = new { width = 640 } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var task = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = task.GetProperty("id").GetGuid();
        Assert.Equal($"/tasks/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("resize images", task.GetProperty("name").GetString());
        Assert.Equal(640, task.GetProperty("payload").GetProperty("width").GetInt32());
        Assert.Equal("new", task.GetProperty("status").GetString());
        Assert.True(task.GetProperty("createdAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Equal(JsonValueKind.Null, task.GetProperty("startedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, task.GetProperty("finishedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, task.GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task Post_ValidTask_LocationReturnsTheSameTask()
    {
        var created = await _client.PostAsJsonAsync("/tasks", new { name = "stored" });

        var fetched = await _client.GetAsync(created.Headers.Location);

        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        Assert.Equal(await created.Content.ReadAsStringAsync(), await fetched.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Post_WithoutPayload_PayloadIsNull()
    {
        var response = await _client.PostAsJsonAsync("/tasks", new { name = "no payload" });

        var task = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Null, task.GetProperty("payload").ValueKind);
    }

    [Theory]
    [InlineData("""{"nested":{"list":[1,2.5,"three",null,true]}}""")]
    [InlineData("""[1,2,3]""")]
    [InlineData("""  "just text"  """)]
    [InlineData("""42""")]
    [InlineData("""false""")]
    [InlineData("""{"nul":"a\u0000b","pair":"\ud83d\ude00"}""")]
    public async Task Post_AnyJsonPayload_ReadsBackVerbatim(string payload)
    {
        var body = $$"""{"name":"payload kinds","payload":{{payload}}}""";

        var created = await PostRawAsync(body);
        var fetched = await _client.GetFromJsonAsync<JsonElement>(created.Headers.Location);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(payload.Trim(), fetched.GetProperty("payload").GetRawText());
    }

    [Fact]
    public async Task Post_PayloadOfExactly64KiB_IsAccepted()
    {
        var payload = new string('x', 64 * 1024 - 2); // plus the two quotes: 65,536 bytes of JSON

        var response = await _client.PostAsJsonAsync("/tasks", new { name = "at the limit", payload });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Post_PayloadOver64KiB_Returns400NamingPayloadAndStoresNothing()
    {
        var before = await api.CountTasksAsync();

        var response = await _client.PostAsJsonAsync("/tasks", new { name = "too big", payload = new string('x', 64 * 1024 - 1) });

        var errors = await response.ReadFieldErrorsAsync("payload");
        Assert.Contains("65536", errors.Single());
        Assert.Equal(before, await api.CountTasksAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Post_BodyOverRequestLimit_Returns413AndStoresNothing(bool chunked)
    {
        var before = await api.CountTasksAsync();
        var body = $$"""{"name":"huge","payload":"{{new string('x', 200_000)}}"}""";
        var content = new StringContent(body, Encoding.UTF8, "application/json");
        if (chunked)
        {
            content.Headers.ContentLength = null;
            _client.DefaultRequestHeaders.TransferEncodingChunked = true;
        }

        var response = await _client.PostAsync("/tasks", content);

        await response.ReadProblemAsync(413);
        Assert.Equal(before, await api.CountTasksAsync());
    }

    [Theory]
    [InlineData("""{}""", "name")]
    [InlineData("""{"name":null}""", "name")]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"name":"   "}""", "name")]
    [InlineData("""{"name":"tab\tinside"}""", "name")]
    [InlineData("""{"name":"nul\u0000inside"}""", "name")]
    [InlineData("""{"name":"lone \ud800 surrogate"}""", "name")]
    [InlineData("""{"name":5}""", "name")]
    [InlineData("""{"name":["a"]}""", "name")]
    [InlineData("""{"name":{"a":1}}""", "name")]
    [InlineData("""{"name":true}""", "name")]
    [InlineData("""{"name":"x","payload":""", "payload")]
    [InlineData("""{"name":"x","payload":{"s":"\ud800"}}""", "payload")]
    [InlineData("""{"name":"x","payload":{"\udc00":1}}""", "payload")]
    [InlineData("""{"name":"x","payload":[["\ud800x"]]}""", "payload")]
    [InlineData("""{"name":"x","runAt":"0001-01-01T00:00:00Z"}""", "runAt")]
    [InlineData("""{"name":"x","runAt":"0001-01-01T00:00:00+01:00"}""", "runAt")]
    [InlineData("""{"name":"x","runAt":"9999-12-31T23:59:59Z"}""", "runAt")]
    [InlineData("""{"name":"x","runAt":"2026-12-31T00:00:00Z\n"}""", "runAt")]
    [InlineData("""{"name":"x" """, "body")]
    [InlineData("""not json""", "body")]
    [InlineData("""[]""", "body")]
    [InlineData("\"a string\"", "body")]
    [InlineData("""{"name":"x"} trailing""", "body")]
    public async Task Post_InvalidBody_Returns400NamingFieldAndStoresNothing(string body, string field)
    {
        var before = await api.CountTasksAsync();

        var response = await PostRawAsync(body);

        await response.ReadFieldErrorsAsync(field);
        Assert.Equal(before, await api.CountTasksAsync());
    }

    [Fact]
    public async Task Post_NameOf200Characters_IsAccepted()
    {
        var response = await _client.PostAsJsonAsync("/tasks", new { name = new string('n', 200) });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Post_NameOf201Characters_Returns400NamingName()
    {
        var response = await _client.PostAsJsonAsync("/tasks", new { name = new string('n', 201) });

        var errors = await response.ReadFieldErrorsAsync("name");
        Assert.Contains("200", errors.Single());
    }

    [Fact]
    public async Task Post_NestingDeeperThanTheParserAllows_Returns400NamingPayload()
    {
        var body = $$"""{"name":"deep","payload":{{new string('[', 100)}}{{new string(']', 100)}}}""";

        var response = await PostRawAsync(body);

        await response.ReadFieldErrorsAsync("payload");
    }

    [Fact]
    public async Task Post_InvalidUtf8_Returns400()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"name":"bad \u00e9"}""").ToList();
        bytes.InsertRange(10, new byte[] { 0xC3, 0x28 }); // an invalid two-byte sequence
        var content = new ByteArrayContent(bytes.ToArray());
        content.Headers.ContentType = new("application/json");

        var response = await _client.PostAsync("/tasks", content);

        await response.ReadFieldErrorsAsync("name");
    }

    [Fact]
    public async Task Post_WithoutBody_Returns400NamingBody()
    {
        var content = new StringContent("", Encoding.UTF8, "application/json");

        var response = await _client.PostAsync("/tasks", content);

        await response.ReadFieldErrorsAsync("body");
    }

    [Fact]
    public async Task Post_NonJsonContentType_Returns415()
    {
        var response = await _client.PostAsync("/tasks", new StringContent("""{"name":"x"}""", Encoding.UTF8, "text/plain"));

        await response.ReadProblemAsync(415);
    }

    [Fact]
    public async Task Post_WithoutContentType_Returns415Problem()
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"name":"x"}"""));

        var response = await _client.PostAsync("/tasks", content);

        await response.ReadProblemAsync(415);
    }

    [Fact]
    public async Task Post_JsonNull_Returns400NamingTheMissingNameAndStoresNothing()
    {
        var before = await api.CountTasksAsync();

        var response = await PostRawAsync("null");

        await response.ReadFieldErrorsAsync("name");
        Assert.Equal(before, await api.CountTasksAsync());
    }

    [Fact]
    public async Task Post_QueryParameterNamedLikeAField_DoesNotReplaceTheBody()
    {
        var response = await _client.PostAsync("/tasks?name=from-query", new StringContent("""{"name":"from-body"}""", Encoding.UTF8, "application/json"));

        var task = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("from-body", task.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Post_IdempotencyKeyInTheBody_IsIgnored()
    {
        var first = await PostRawAsync("""{"name":"one","idempotencyKey":"body-key"}""");
        var second = await PostRawAsync("""{"name":"two","idempotencyKey":"body-key"}""");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
    }

    [Fact]
    public async Task Post_SameIdempotencyKeyTwice_Returns200WithTheFirstTask()
    {
        var first = await PostWithKeyAsync("order-42", "first");
        var second = await PostWithKeyAsync("order-42", "second");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var firstTask = await first.Content.ReadFromJsonAsync<JsonElement>();
        var secondTask = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(firstTask.GetProperty("id").GetGuid(), secondTask.GetProperty("id").GetGuid());
        Assert.Equal("first", secondTask.GetProperty("name").GetString());
        Assert.Equal(1, await api.WithDbAsync(db => db.Tasks.CountAsync(t => t.IdempotencyKey == "order-42")));
    }

    [Fact]
    public async Task Post_SameIdempotencyKeyConcurrently_CreatesOneTask()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => PostWithKeyAsync("burst-key", "burst")));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid()));
        Assert.Single(ids.Distinct());
        Assert.Equal(1, await api.WithDbAsync(db => db.Tasks.CountAsync(t => t.IdempotencyKey == "burst-key")));
    }

    [Fact]
    public async Task Post_DifferentIdempotencyKeys_CreateTwoTasks()
    {
        var first = await PostWithKeyAsync("key-a", "a");
        var second = await PostWithKeyAsync("key-b", "b");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
    }

    [Fact]
    public async Task Post_SameIdempotencyKeyFromTwoApps_CreatesATaskForEach()
    {
        var firstApp = await api.NewAppAsync(Scopes.Tasks);
        var secondApp = await api.NewAppAsync(Scopes.Tasks);

        var first = await PostWithKeyAsync("app-order-42", "first app's", firstApp.Http);
        var second = await PostWithKeyAsync("app-order-42", "second app's", secondApp.Http);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        var secondTask = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("second app's", secondTask.GetProperty("name").GetString());
        Assert.Equal(secondApp.Id, secondTask.GetProperty("createdBy").GetString());
        var creators = await api.WithDbAsync(db => db.Tasks.Where(t => t.IdempotencyKey == "app-order-42").Select(t => t.CreatedBy).ToListAsync());
        Assert.Equal(new[] { firstApp.Id, secondApp.Id }.Order(), creators.Order());
    }

    [Fact]
    public async Task Post_SameIdempotencyKeyTwiceFromOneApp_Returns200WithItsFirstTask()
    {
        var app = await api.NewAppAsync(Scopes.Tasks);
        // Another caller's task with the same key must not be the one returned.
        await PostWithKeyAsync("app-retry", "the operator's");

        var first = await PostWithKeyAsync("app-retry", "first", app.Http);
        var second = await PostWithKeyAsync("app-retry", "second", app.Http);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var firstTask = await first.Content.ReadFromJsonAsync<JsonElement>();
        var secondTask = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(firstTask.GetProperty("id").GetGuid(), secondTask.GetProperty("id").GetGuid());
        Assert.Equal(("first", app.Id), (secondTask.GetProperty("name").GetString(), secondTask.GetProperty("createdBy").GetString()));
    }

    [Theory]
    [InlineData(ActorKinds.Operator)]
    [InlineData(ActorKinds.App)]
    public async Task Post_ByCaller_RecordsTheCallerAsCreator(string actorKind)
    {
        var caller = await api.NewCallerAsync(actorKind, Scopes.Tasks);

        var response = await caller.Http.PostAsJsonAsync("/tasks", new { name = "owned" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(caller.Id, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("createdBy").GetString());
        var fetched = await caller.Http.GetFromJsonAsync<JsonElement>(response.Headers.Location);
        Assert.Equal(caller.Id, fetched.GetProperty("createdBy").GetString());
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("tab\tinside")]
    public async Task Post_InvalidIdempotencyKey_Returns400NamingTheHeader(string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/tasks") { Content = JsonContent.Create(new { name = "x" }) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);

        var response = await _client.SendAsync(request);

        await response.ReadFieldErrorsAsync("Idempotency-Key");
    }

    [Fact]
    public async Task Post_IdempotencyKeyOver200Characters_Returns400NamingTheHeader()
    {
        var response = await PostWithKeyAsync(new string('k', 201), "x");

        await response.ReadFieldErrorsAsync("Idempotency-Key");
    }

    private Task<HttpResponseMessage> PostRawAsync(string body) =>
        _client.PostAsync("/tasks", new StringContent(body, Encoding.UTF8, "application/json"));

    /// <summary>Posts as <paramref name="caller"/>, or as the factory's operator.</summary>
    private Task<HttpResponseMessage> PostWithKeyAsync(string key, string name, HttpClient? caller = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/tasks") { Content = JsonContent.Create(new { name }) };
        request.Headers.Add("Idempotency-Key", key);
        return (caller ?? _client).SendAsync(request);
    }
}
