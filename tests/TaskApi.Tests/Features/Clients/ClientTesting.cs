using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace TaskApi.Tests.Features.Clients;

/// <summary>What the client tests share: phones no other test uses, raw JSON requests, and their checks.</summary>
public static class ClientTesting
{
    private static int _lastPhone;

    /// <summary>
    /// A Russian mobile number (7 + a mobile range such as 900, 916 or 925 + 7 digits) that no other test of the run has,
    /// since the tests of a class share one database.
    /// </summary>
    public static string NewPhone(string range = "900") => $"7{range}{Interlocked.Increment(ref _lastPhone):D7}";

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient http, string url, string body) =>
        http.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"));

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient http, string url, string body) =>
        http.PutAsync(url, new StringContent(body, Encoding.UTF8, "application/json"));

    /// <summary>Creates a client through the API and returns it as the API answered.</summary>
    public static async Task<JsonElement> CreateClientAsync(this HttpClient http, object client)
    {
        var response = await http.PostAsJsonAsync("/clients", client);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static Task<int> CountClientsAsync(this TaskApiFactory api) => api.WithDbAsync(db => db.Clients.CountAsync());

    /// <summary>The fields a validation problem names, in order.</summary>
    public static async Task<string[]> ReadErrorFieldsAsync(this HttpResponseMessage response) => ErrorFields(await response.ReadProblemAsync(400));

    public static string[] ErrorFields(JsonElement problem) =>
        problem.GetProperty("errors").EnumerateObject().Select(field => field.Name).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Rows in the three mobile ranges with a tag and a time zone, like a real directory's.</summary>
    public static List<ImportRow> ImportRows(int count) =>
        Enumerable.Range(0, count).Select(i => new ImportRow(NewPhone(new[] { "900", "916", "925" }[i % 3]), "bulk", "Europe/Moscow")).ToList();

    /// <summary>JSON with a Content-Length (JsonContent would send it chunked).</summary>
    public static ByteArrayContent JsonBody(byte[] json)
    {
        var content = new ByteArrayContent(json);
        content.Headers.ContentType = new("application/json");
        return content;
    }

    public static (int Created, int Updated) ReadImportCounts(JsonElement counts) =>
        (counts.GetProperty("created").GetInt32(), counts.GetProperty("updated").GetInt32());

    public sealed record ImportRow(string Phone, string Tag, string Timezone);
}
