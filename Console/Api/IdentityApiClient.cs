namespace TasksConsole.Api;

/// <summary>
/// The identity service's admin API (<c>/operators</c>, <c>/apps</c>) as the console calls it, with the signed-in
/// operator's access token (its audiences are <c>taskapi</c> and <c>identity</c>; the routes require the role admin).
/// </summary>
public sealed class IdentityApiClient(HttpClient http, OperatorApiCalls calls)
{
    /// <summary><c>GET /operators</c>.</summary>
    public Task<IReadOnlyList<OperatorItem>> ListOperatorsAsync(CancellationToken cancellationToken) =>
        calls.SendAsync<IReadOnlyList<OperatorItem>>(http, HttpMethod.Get, "/operators", null, cancellationToken);

    /// <summary><c>POST /operators</c>: 400 naming <c>login</c>, <c>password</c> or <c>role</c>; 409 when the login is taken.</summary>
    public Task<OperatorItem> CreateOperatorAsync(NewOperator newOperator, CancellationToken cancellationToken) =>
        calls.SendAsync<OperatorItem>(http, HttpMethod.Post, "/operators", newOperator, cancellationToken);

    /// <summary><c>PATCH /operators/{id}</c>: the role, or disabled; 409 for the last enabled admin.</summary>
    public Task<OperatorItem> UpdateOperatorAsync(string id, OperatorChange change, CancellationToken cancellationToken) =>
        calls.SendAsync<OperatorItem>(http, HttpMethod.Patch, $"/operators/{Uri.EscapeDataString(id)}", change, cancellationToken);

    /// <summary><c>POST /operators/{id}/password</c>: 400 naming <c>password</c>.</summary>
    public Task ResetPasswordAsync(string id, string password, CancellationToken cancellationToken) =>
        calls.SendAsync(http, HttpMethod.Post, $"/operators/{Uri.EscapeDataString(id)}/password", new { password }, cancellationToken);

    /// <summary><c>DELETE /operators/{id}</c>: 409 for the last enabled admin.</summary>
    public Task DeleteOperatorAsync(string id, CancellationToken cancellationToken) =>
        calls.SendAsync(http, HttpMethod.Delete, $"/operators/{Uri.EscapeDataString(id)}", null, cancellationToken);

    /// <summary><c>GET /apps</c> (never a secret).</summary>
    public Task<IReadOnlyList<AppItem>> ListAppsAsync(CancellationToken cancellationToken) =>
        calls.SendAsync<IReadOnlyList<AppItem>>(http, HttpMethod.Get, "/apps", null, cancellationToken);

    /// <summary><c>POST /apps</c>: the app and its secret, which is shown this once; 400 naming <c>name</c> or <c>scopes</c>.</summary>
    public Task<RegisteredApp> RegisterAppAsync(NewApp newApp, CancellationToken cancellationToken) =>
        calls.SendAsync<RegisteredApp>(http, HttpMethod.Post, "/apps", newApp, cancellationToken);

    /// <summary><c>PATCH /apps/{id}</c>: scopes or disabled; taking a scope or disabling revokes the app's tokens.</summary>
    public Task<AppItem> UpdateAppAsync(string id, AppChange change, CancellationToken cancellationToken) =>
        calls.SendAsync<AppItem>(http, HttpMethod.Patch, $"/apps/{Uri.EscapeDataString(id)}", change, cancellationToken);

    /// <summary><c>POST /apps/{id}/secret</c>: a new secret, shown this once; the old one works on for the service's overlap.</summary>
    public Task<AppCredentials> RotateSecretAsync(string id, CancellationToken cancellationToken) =>
        calls.SendAsync<AppCredentials>(http, HttpMethod.Post, $"/apps/{Uri.EscapeDataString(id)}/secret", new { }, cancellationToken);

    /// <summary><c>DELETE /apps/{id}</c>.</summary>
    public Task DeleteAppAsync(string id, CancellationToken cancellationToken) =>
        calls.SendAsync(http, HttpMethod.Delete, $"/apps/{Uri.EscapeDataString(id)}", null, cancellationToken);
}
