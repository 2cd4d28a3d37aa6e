using System.Net;
using Microsoft.AspNetCore.Components;
using TasksConsole.Api;
using TasksConsole.Infrastructure.SignIn;

namespace TasksConsole.Components.Shared;

/// <summary>
/// A component that calls TaskApi or the identity service's admin API: an error answer becomes <see cref="Problem"/> (shown at the fields it names, never as a
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
    protected Task<T?> CallApiAsync<T>(Func<TaskApiClient, CancellationToken, Task<T>> call) where T : class =>
        CallAsync(cancellationToken => call(Api, cancellationToken));

    /// <summary>Whether <paramref name="call"/> (one whose success has no body) succeeded; else <see cref="Problem"/> says why.</summary>
    protected async Task<bool> CallAsync(Func<CancellationToken, Task> call) =>
        await CallAsync<object>(async cancellationToken =>
        {
            await call(cancellationToken);
            return true;
        }) is not null;

    /// <summary>
    /// The problem of <paramref name="call"/>, or null when it succeeded: for a dialog's form, which shows it at its fields
    /// (so the page behind it does not show it too).
    /// </summary>
    protected async Task<ApiProblemException?> ProblemOfAsync(Func<CancellationToken, Task> call)
    {
        await CallAsync(call);
        var problem = Problem;
        Problem = null;
        return problem;
    }

    /// <summary>
    /// The result of <paramref name="call"/> to any of our APIs (TaskApi, the identity service's admin API), or null when
    /// it failed (then <see cref="Problem"/> says why).
    /// </summary>
    protected async Task<T?> CallAsync<T>(Func<CancellationToken, Task<T>> call) where T : class
    {
        Problem = null;
        try
        {
            return await call(_disposed.Token);
        }
        catch (ApiProblemException problem)
        {
            Problem = problem;
        }
        catch (HttpRequestException exception)
        {
            Problem = new ApiProblemException(HttpStatusCode.ServiceUnavailable, "The service could not be reached", exception.Message,
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
