using System.Net;
using System.Text.Json;
using Tasks.Testing;

namespace Identity.Tests;

/// <summary>A new secret, and until when the old one works (null: it stopped at once).</summary>
public sealed record RotatedSecret(AppCredentials Credentials, DateTimeOffset? PreviousSecretValidUntil);

/// <summary>An admin's changes to registered apps.</summary>
public static class AppAdministration
{
    public static Task<HttpResponseMessage> PatchAppAsync(this TestIdentity identity, string id, object body) =>
        identity.SendAsAdminAsync(HttpMethod.Patch, $"/apps/{id}", body);

    public static Task<HttpResponseMessage> DeleteAppAsync(this TestIdentity identity, string id) =>
        identity.SendAsAdminAsync(HttpMethod.Delete, $"/apps/{id}");

    /// <summary><c>POST /apps/{id}/secret</c> with <paramref name="overlapSeconds"/> (the default overlap when null).</summary>
    public static async Task<RotatedSecret> RotateSecretAsync(this TestIdentity identity, AppCredentials app, int? overlapSeconds = null)
    {
        var response = await identity.SendAsAdminAsync(HttpMethod.Post, $"/apps/{app.Id}/secret", overlapSeconds is null ? new { } : new { overlapSeconds });
        var answer = await response.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(app.Id, answer.GetProperty("id").GetString());
        var until = answer.GetProperty("previousSecretValidUntil");
        return new RotatedSecret(new AppCredentials(app.Id, answer.GetProperty("secret").GetString()!),
            until.ValueKind == JsonValueKind.Null ? null : until.GetDateTimeOffset());
    }
}
