namespace Tasks.Shared;

/// <summary>What an operator (a person) may do: one role each, carried in the access token's <c>role</c> claim.</summary>
public static class Roles
{
    /// <summary>Everything, including operators and apps.</summary>
    public const string Admin = "admin";

    /// <summary>Every feature, no credentials management.</summary>
    public const string Operator = "operator";

    /// <summary>Reads only.</summary>
    public const string Viewer = "viewer";

    public static readonly IReadOnlyList<string> All = [Admin, Operator, Viewer];
}

/// <summary>The operator the identity service creates at its first start, with the password <c>Identity:AdminPassword</c>.</summary>
public static class FirstAdmin
{
    public const string Login = "admin";
}

/// <summary>What a third-party app may do: the scopes an admin grants it, carried in the access token's <c>scope</c> claim.</summary>
public static class Scopes
{
    /// <summary>Tasks: create, read and cancel the app's own.</summary>
    public const string Tasks = "tasks";

    /// <summary>Clients and SMS mailings.</summary>
    public const string Mailings = "mailings";

    /// <summary>Email templates, subscriber lists, campaigns and their reports.</summary>
    public const string Campaigns = "campaigns";

    /// <summary>Notifications.</summary>
    public const string Notifications = "notifications";

    /// <summary>The scopes an admin can grant an app.</summary>
    public static readonly IReadOnlyList<string> ForApps = [Tasks, Mailings, Campaigns, Notifications];

    /// <summary>TaskApi's own: the identity service's revocations and audit events.</summary>
    public const string IdentitySync = "identity.sync";
}

/// <summary>The claims of an access token the identity service issues and TaskApi reads (their JWT names).</summary>
public static class AccessClaims
{
    /// <summary>The operator's id or the app's client id: what <c>createdBy</c> and the audit log record.</summary>
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Role = "role";
    public const string Scope = "scope";
    public const string IssuedAt = "iat";

    /// <summary>
    /// When the token request arrived, in Unix milliseconds, before the account's state was read: a revocation committed
    /// after it catches the token, one committed before it was seen by the request. <c>iat</c> has whole seconds only.
    /// </summary>
    public const string RequestedAt = "requested_at_ms";

    /// <summary>Who the subject is: <see cref="ActorKinds.Operator"/> or <see cref="ActorKinds.App"/>.</summary>
    public const string Actor = "actor_kind";
}

public static class ActorKinds
{
    public const string Operator = "operator";
    public const string App = "app";

    /// <summary>A task submitted through Kafka (the broker authenticates producers, not the identity service).</summary>
    public const string Kafka = "kafka";

    /// <summary>The identity service's own records about callers it could not authenticate (failed sign-ins).</summary>
    public const string Anonymous = "anonymous";
}

/// <summary>The audiences (<c>aud</c>) of access tokens: which API a token is for.</summary>
public static class Audiences
{
    public const string TaskApi = "taskapi";
    public const string Identity = "identity";

    /// <summary>End users' tokens for the in-app feed (<c>/me/notifications</c>), in the default run issued by the identity service.</summary>
    public const string Feed = "feed";
}

/// <summary>The clients the identity service knows besides registered apps.</summary>
public static class ServiceClients
{
    /// <summary>TaskApi, reading revocations and audit events (client credentials, scope <see cref="Scopes.IdentitySync"/>).</summary>
    public const string TaskApi = "taskapi";

    /// <summary>TaskApi's Swagger UI, where an operator signs in with login and password (a public client).</summary>
    public const string SwaggerUi = "swagger-ui";

    /// <summary>The operators' console, signing them in with the authorization code flow and PKCE (a public client).</summary>
    public const string Console = "console";
}
