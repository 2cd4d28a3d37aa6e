using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AppHost.Tests;

public static class ApiRequests
{
    /// <summary>POSTs <paramref name="body"/> as JSON, expects 201 Created and returns the created entity's <c>id</c>.</summary>
    public static async Task<JsonElement> PostCreatedAsync(this HttpClient api, string path, object body)
    {
        var response = await api.PostAsJsonAsync(path, body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id");
    }
}
