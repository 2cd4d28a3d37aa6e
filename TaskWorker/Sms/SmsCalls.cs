using TaskWorker.Delivery;

namespace TaskWorker.Sms;

/// <summary>
/// Calls of the SMS provider through one <see cref="SmsGatewayClient"/> (one HttpClient, its own connections), at most
/// <c>maxCalls</c> at once. Mailings and ordinary notifications share one (<c>Sms:MaxConnections</c>); express
/// notifications have their own, so a backlog of the others never makes them wait for a turn or a connection.
/// </summary>
internal sealed class SmsCalls(SmsGatewayClient gateway, int maxCalls) : IDisposable
{
    private readonly SemaphoreSlim _turns = new(maxCalls, maxCalls);

    /// <summary>
    /// Calls the provider once in a turn, under the send's lease in <paramref name="leases"/>. A record waits for its turn
    /// where a stop can still take it back, rather than in HttpClient's queue for a connection, from which it would reach
    /// the provider after the worker let go; and it takes the lease only in its turn, so the leases a worker holds are its
    /// calls under way: few Redis calls to renew, and few for the next owner to wait out when the worker dies.
    /// </summary>
    /// <param name="id">The send's id: its lease's and sent marker's, and the one the provider is given.</param>
    public async Task<Handover<GatewayAnswer>> CallOnceAsync(SendLeases leases, long id, long phone, string text, CancellationToken cancellationToken)
    {
        await _turns.WaitAsync(cancellationToken);
        try
        {
            return await leases.SendOnceAsync(
                id,
                // Never cancelled once begun (Sms:Timeout bounds it): a stop or a moved partition must not hang up on a
                // provider that may have taken the message.
                () => gateway.SendAsync(id, phone, text, CancellationToken.None),
                answer => answer.Outcome == Tasks.Shared.SmsOutcome.Sent,
                cancellationToken);
        }
        finally
        {
            _turns.Release();
        }
    }

    public void Dispose() => _turns.Dispose();
}
