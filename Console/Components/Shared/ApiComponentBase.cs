using System.Net;
using Microsoft.AspNetCore.Components;
using TasksConsole.Api;
using TasksConsole.Infrastructure.SignIn;

namespace TasksConsole.Components.Shared;

/// <summary>
/// A component that calls TaskApi: an error answer becomes <see cref="Problem"/> (shown at the fields it names, never as a
/// stack trace), and a session TaskApi no longer takes reloads the page, which signs the operator in again.
/// </summary>
public abstract class ApiComponentBase : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource _disposed = new();

    [Inject]
    protected TaskApiClient Api { get; set; } = null!;

    [Inject]
    protected NavigationManager Navigation { get; set; } = null!;

    /// <summary>Cancelled when the component goes (the page closes): work it started in the circuit ends with it.</summary>
    protected CancellationToken Lifetime => _disposed.Token;

    /// <summary>The problem of the last call, or null when it succeeded.</summary>
    protected ApiProblemException? Problem { get; private set; }

    /// <summary>The result of <paramref name="call"/>, or null when it failed (then <see cref="Problem"/> says why).</summary>
    protected async Task<T?> CallApiAsync<T>(Func<TaskApiClient, CancellationToken, Task<T>> call) where T : class
    {
        Problem = null;
        try
        {
            return await call(Api, _disposed.Token);
        }
        catch (ApiProblemException problem)
        {
            Problem = problem;
        }
        catch (HttpRequestException exception)
        {
            Problem = new ApiProblemException(HttpStatusCode.ServiceUnavailable, "TaskApi could not be reached", exception.Message,
                new Dictionary<string, string[]>());
        }
        catch (SignInRequiredException)
        {
            // A full load: the cookie handler refuses the ended session and sends the browser to the identity service.
            Navigation.Refresh(forceReload: true);
        }
        return null;
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
        GC.SuppressFinalize(this);
    }
}
