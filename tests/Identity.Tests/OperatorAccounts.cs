using System.Net;
using System.Text.Json;
using Tasks.Testing;

namespace Identity.Tests;

/// <summary>An operator a test created for itself, with what it signs in with.</summary>
public sealed record OperatorAccount(string Id, string Login, string Password);

public static class OperatorAccounts
{
    /// <summary>A new operator with a unique login (<paramref name="purpose"/> and a GUID, so the test's own is easy to find in a log).</summary>
    public static async Task<OperatorAccount> NewOperatorAsync(this TestIdentity identity, string role, string purpose = "test")
    {
        var login = UniqueLogin(purpose);
        var password = $"{login} password";
        return new OperatorAccount(await identity.CreateOperatorAsync(login, password, role), login, password);
    }

    /// <summary>A new operator's access and refresh tokens (password grant).</summary>
    public static async Task<TokenAnswer> SignInAsync(this TestIdentity identity, OperatorAccount account) =>
        await (await identity.PasswordGrantAsync(account)).TokenAsync();

    public static string UniqueLogin(string purpose) => $"{purpose}-{Guid.NewGuid():N}";

    /// <summary>The operator as <c>GET /operators</c> lists it (null when it is not there).</summary>
    public static async Task<JsonElement?> ListedOperatorAsync(this TestIdentity identity, string id)
    {
        var operators = await (await identity.SendAsAdminAsync(HttpMethod.Get, "/operators")).JsonAsync(HttpStatusCode.OK);
        return operators.EnumerateArray().Where(listed => listed.GetProperty("id").GetString() == id).Select(listed => (JsonElement?)listed).SingleOrDefault();
    }

    public static Task<HttpResponseMessage> PatchOperatorAsync(this TestIdentity identity, string id, object body) =>
        identity.SendAsAdminAsync(HttpMethod.Patch, $"/operators/{id}", body);

    public static Task<HttpResponseMessage> ResetPasswordAsync(this TestIdentity identity, string id, string password) =>
        identity.SendAsAdminAsync(HttpMethod.Post, $"/operators/{id}/password", new { password });

    public static Task<HttpResponseMessage> DeleteOperatorAsync(this TestIdentity identity, string id) =>
        identity.SendAsAdminAsync(HttpMethod.Delete, $"/operators/{id}");
}
