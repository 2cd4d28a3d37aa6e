using System.Net.Sockets;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Tasks.Testing;

namespace ServiceDefaults.Tests.Kafka;

/// <summary>
/// What the consume loops retry (an outage: the record held) and what they dead-letter (poison). An outage taken for
/// poison would lose work, so the PostgreSQL states of an unreachable or restarting server are checked one by one.
/// </summary>
public sealed class OutagesTests
{
    [Theory]
    [InlineData("57P01")] // admin_shutdown: pg_terminate_backend, a server stopping
    [InlineData("57P02")] // crash_shutdown
    [InlineData("57P03")] // cannot_connect_now: a server starting
    [InlineData("08006")] // connection_failure
    [InlineData("53300")] // too_many_connections
    [InlineData("40001")] // serialization_failure
    [InlineData("40P01")] // deadlock_detected
    [InlineData("55P03")] // lock_not_available
    [InlineData("3D000")] // invalid_catalog_name: a database not there (yet)
    public void IsOutage_PostgresStateOfAnUnavailableServer_IsAnOutage(string sqlState)
    {
        var wrapped = new InvalidOperationException("An exception has been raised that is likely due to a transient failure.",
            new PostgresException("server says no", "FATAL", "FATAL", sqlState));

        Assert.True(Outages.IsOutage(wrapped));
    }

    [Theory]
    [InlineData("22008")] // datetime_field_overflow
    [InlineData("22021")] // character_not_in_repertoire
    [InlineData("23505")] // unique_violation
    [InlineData("21000")] // cardinality_violation
    [InlineData("54000")] // program_limit_exceeded
    public void IsOutage_PostgresStateARepeatWouldRepeat_IsPoison(string sqlState)
    {
        Assert.False(Outages.IsOutage(new PostgresException("bad data", "ERROR", "ERROR", sqlState)));
    }

    [Fact]
    public async Task IsOutage_ConnectionRefusedByPostgres_IsAnOutage()
    {
        var port = FreePorts.Loopback();
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=postgres;Password=postgres;Timeout=2");

        var refused = await Assert.ThrowsAnyAsync<NpgsqlException>(() => connection.OpenAsync());

        Assert.True(Outages.IsOutage(new AggregateException(refused)));
    }

    [Fact]
    public void IsOutage_NetworkTimeoutAndBrokerFailures_AreOutages()
    {
        Assert.True(Outages.IsOutage(new SocketException((int)SocketError.ConnectionReset)));
        Assert.True(Outages.IsOutage(new IOException("Unable to read data from the transport connection")));
        Assert.True(Outages.IsOutage(new TimeoutException()));
        Assert.True(Outages.IsOutage(new KafkaException(ErrorCode.Local_MsgTimedOut)));
        Assert.True(Outages.IsOutage(new HttpRequestException("Connection refused")));
    }

    [Fact]
    public void IsOutage_OwnCodesFailures_ArePoison()
    {
        Assert.False(Outages.IsOutage(new ArgumentOutOfRangeException("value", "The added or subtracted value results in an un-representable DateTime.")));
        Assert.False(Outages.IsOutage(new InvalidOperationException("wrapped", new FormatException("bad"))));
        Assert.False(Outages.IsOutage(new KafkaException(ErrorCode.MsgSizeTooLarge)));
    }

    [Fact]
    public void Describe_WrappedException_NamesEveryTypeAndMessageOutermostFirst()
    {
        var wrapped = new InvalidOperationException("outer", new ArgumentOutOfRangeException("value", "past the end of time"));

        Assert.Equal("System.InvalidOperationException: outer ---> System.ArgumentOutOfRangeException: past the end of time (Parameter 'value')",
            Outages.Describe(wrapped));
    }
}
