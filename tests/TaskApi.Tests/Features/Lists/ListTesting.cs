using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TaskApi.Features.Lists;
using TaskApi.Tests.Features.Clients;

namespace TaskApi.Tests.Features.Lists;

/// <summary>What the list tests share: addresses no other test uses, lists and imports through the API, and their checks.</summary>
public static class ListTesting
{
    private static int _lastAddress;

    /// <summary>An address no other test of the run has, since the tests of a class share one database.</summary>
    public static string NewEmail(string domain = "example.com") => $"reader{Interlocked.Increment(ref _lastAddress)}@{domain}";

    /// <summary>Creates a list through the API and returns its id.</summary>
    public static async Task<long> CreateListAsync(this HttpClient http, string name = "Readers")
    {
        var response = await http.PostAsJsonAsync("/lists", new { name });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    /// <summary>Imports <paramref name="rows"/> into the list; returns the counts the API answered.</summary>
    public static async Task<(int Created, int Updated)> ImportAsync(this HttpClient http, long listId, params object[] rows)
    {
        var response = await http.PostAsJsonAsync($"/lists/{listId}/subscribers", rows);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return ClientTesting.ReadImportCounts(await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>Imports one address and returns its subscriber id.</summary>
    public static async Task<long> AddSubscriberAsync(this TaskApiFactory api, long listId, string email)
    {
        await api.CreateClient().ImportAsync(listId, new { email });
        return await api.WithDbAsync(db => db.Subscribers.Where(s => s.ListId == listId && s.Email == email).Select(s => s.Id).SingleAsync());
    }

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient http, string url, string body) =>
        http.PatchAsync(url, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

    /// <summary>The ids of a page's items, in order.</summary>
    public static List<long> Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetInt64()).ToList();

    public static Task<int> CountSubscribersAsync(this TaskApiFactory api, long listId) =>
        api.WithDbAsync(db => db.Subscribers.CountAsync(s => s.ListId == listId));

    public static Task<List<Subscriber>> SubscribersAsync(this TaskApiFactory api, long listId) =>
        api.WithDbAsync(db => db.Subscribers.AsNoTracking().Where(s => s.ListId == listId).OrderBy(s => s.Id).ToListAsync());
}
