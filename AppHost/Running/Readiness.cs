namespace AppHost.Running;

/// <summary>Waits for a just-started process to be ready, by polling a check, and says why when it does not get there.</summary>
public static class Readiness
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <param name="lastAnswer">What the check last saw, for the message when time runs out.</param>
    public static async Task WaitAsync(
        string name, ChildProcess process, Func<CancellationToken, Task<bool>> isReady, TimeSpan timeout,
        CancellationToken cancellationToken, Func<string?>? lastAnswer = null)
    {
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        giveUp.CancelAfter(timeout);
        try
        {
            while (!await isReady(giveUp.Token))
            {
                if (process.Exited.IsCompleted)
                {
                    throw new AppHostException($"{name} exited with code {await process.Exited} before it was ready: see its lines above");
                }
                await Task.WhenAny(Task.Delay(PollInterval, giveUp.Token), process.Exited);
                giveUp.Token.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var answer = lastAnswer?.Invoke() is { } last ? $" (last answer: {last})" : "";
            throw new AppHostException($"{name} was not ready within {timeout.TotalSeconds:0} s{answer}: see its lines above");
        }
    }
}
