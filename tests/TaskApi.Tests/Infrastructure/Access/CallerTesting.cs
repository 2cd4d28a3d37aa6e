using Tasks.Shared;

namespace TaskApi.Tests.Infrastructure.Access;

/// <summary>What the ownership tests share: new callers of each kind, each with the id <c>createdBy</c> records.</summary>
public static class CallerTesting
{
    /// <summary>A new operator (role operator) or a new app granted <paramref name="appScope"/>, as <paramref name="actorKind"/> says.</summary>
    public static Task<TestCaller> NewCallerAsync(this TaskApiFactory api, string actorKind, string appScope) => actorKind switch
    {
        ActorKinds.Operator => api.NewOperatorAsync(),
        ActorKinds.App => api.NewAppAsync(appScope),
        _ => throw new ArgumentOutOfRangeException(nameof(actorKind), actorKind, "An operator or an app."),
    };

    /// <summary>A new operator, signed in with its password: its id is the identity service's, not read from its token.</summary>
    public static async Task<TestCaller> NewOperatorAsync(this TaskApiFactory api, string role = Roles.Operator)
    {
        var login = $"owner-{Guid.NewGuid():N}";
        var password = $"{login} password";
        var id = await api.Identity.CreateOperatorAsync(login, password, role);
        return new TestCaller(id, api.CreateClient(await api.Identity.PasswordTokenAsync(login, password)));
    }

    /// <summary>A newly registered app with <paramref name="scopes"/>; its id is its client id.</summary>
    public static async Task<TestCaller> NewAppAsync(this TaskApiFactory api, params string[] scopes)
    {
        var app = await api.Identity.RegisterAppAsync(scopes);
        return new TestCaller(app.Id, api.CreateClient(await api.Identity.AppTokenAsync(app)));
    }
}

/// <summary>A caller of the API: its id (what <c>createdBy</c> records) and a client that sends its token.</summary>
public sealed record TestCaller(string Id, HttpClient Http);
