using System.Text.Json.Serialization;

namespace TasksConsole.Api;

/// <summary>An operator as the identity service shows it (<c>GET /operators</c>).</summary>
public sealed record OperatorItem(string Id, string Login, string Role, bool Disabled, DateTimeOffset? LockedUntil, DateTimeOffset CreatedAt);

/// <summary>The body of <c>POST /operators</c>.</summary>
public sealed record NewOperator(string Login, string Password, string Role);

/// <summary>The body of <c>PATCH /operators/{id}</c>: what is null stays as it is.</summary>
public sealed record OperatorChange(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Disabled);

/// <summary>A registered app as the identity service shows it (<c>GET /apps</c>: never its secret).</summary>
public sealed record AppItem(string Id, string Name, IReadOnlyList<string> Scopes, bool Disabled, DateTimeOffset? PreviousSecretValidUntil, DateTimeOffset? CreatedAt);

/// <summary>The body of <c>POST /apps</c>.</summary>
public sealed record NewApp(string Name, IReadOnlyList<string> Scopes);

/// <summary>The body of <c>PATCH /apps/{id}</c>: what is null stays as it is.</summary>
public sealed record AppChange(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Scopes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Disabled);

/// <summary>An app's client id and secret, shown once.</summary>
public sealed record AppCredentials(string Id, string Secret, DateTimeOffset? PreviousSecretValidUntil);

/// <summary>The answer of <c>POST /apps</c>: the app and its credentials.</summary>
public sealed record RegisteredApp(AppItem App, AppCredentials Credentials);
