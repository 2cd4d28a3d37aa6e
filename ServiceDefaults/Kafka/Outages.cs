using System.Data.Common;
using System.Net.Sockets;
using Confluent.Kafka;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Tells an outage (Kafka, PostgreSQL, Redis or a provider unreachable: worth retrying, the record held) from a failure
/// that handling the same record again would repeat (the record is poison: dead-lettered with <see cref="Describe"/>).
/// </summary>
/// <remarks>
/// Conservative: an exception is an outage when anything in its chain (inner exceptions, an aggregate's members: EF's
/// execution strategy and DbUpdateException wrap the driver's) is a network, timeout, broker or database failure, except
/// the SQL states a repeat cannot change (classes 21, 22, 23, 54: cardinality, data, integrity, program limits). Only
/// exceptions from our own code and libraries' argument checks, with no infrastructure failure inside, are poison. A
/// handler bug that fails every record therefore dead-letters each of them with its reason, rather than stalling.
/// </remarks>
public static class Outages
{
    private static readonly string[] DeterministicSqlStateClasses = ["21", "22", "23", "54"];

    public static bool IsOutage(Exception exception) => Chain(exception).Any(IsInfrastructureFailure);

    /// <summary>The exception and everything it wraps, outermost first.</summary>
    public static IEnumerable<Exception> Chain(Exception exception)
    {
        var pending = new Stack<Exception>([exception]);
        while (pending.TryPop(out var current))
        {
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.Reverse())
                {
                    pending.Push(inner);
                }
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }

    /// <summary>The dead-letter reason: each exception of the chain's type and message, outermost first.</summary>
    public static string Describe(Exception exception) =>
        string.Join(" ---> ", Chain(exception).Select(e => $"{e.GetType().FullName}: {e.Message}"));

    private static bool IsInfrastructureFailure(Exception exception) => exception switch
    {
        // The producer gives up after message.timeout.ms while the broker is away; a record too large never fits.
        KafkaException kafka => kafka.Error.Code != ErrorCode.MsgSizeTooLarge,
        DbException db => db.SqlState is not { Length: 5 } state || !DeterministicSqlStateClasses.Contains(state[..2]),
        SocketException or IOException or TimeoutException or HttpRequestException => true,
        // A timeout of a client (HttpClient's, a command's); a stop of the service is told apart before this is asked.
        OperationCanceledException => true,
        _ => false,
    };
}
