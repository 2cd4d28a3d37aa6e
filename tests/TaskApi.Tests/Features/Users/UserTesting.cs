using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace TaskApi.Tests.Features.Users;

/// <summary>What the user tests share: ids no other test uses, the upsert through the API, and counting rows.</summary>
public static class UserTesting
{
    private static int _lastId;

    /// <summary>An id no other test of the run has, since the tests of a class share one database.</summary>
    public static string NewUserId(string prefix = "user") => $"{prefix}-{Interlocked.Increment(ref _lastId):D5}";

    /// <summary>The path of a user, its id percent-encoded as one segment.</summary>
    public static string PathOf(string userId) => $"/users/{Uri.EscapeDataString(userId)}";

    /// <summary>Puts a user through the API, asserting the status, and returns it as the API answered.</summary>
    public static async Task<JsonElement> PutUserAsync(this HttpClient http, string userId, object user, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await http.PutAsJsonAsync(PathOf(userId), user);
        Assert.True(response.StatusCode == expected, $"PUT {userId} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static Task<int> CountUsersAsync(this TaskApiFactory api) => api.WithDbAsync(db => db.Users.CountAsync());
}
