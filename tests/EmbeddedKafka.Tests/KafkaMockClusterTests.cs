using System.Diagnostics;
using System.Net.Sockets;
using Confluent.Kafka;
using Xunit.Abstractions;

namespace EmbeddedKafka.Tests;

/// <summary>
/// Black-box tests of the embedded cluster: real loopback sockets, the Confluent.Kafka client and
/// kcat as a separate process. Every test starts its own cluster, so no state leaks between tests.
/// </summary>
public sealed class KafkaMockClusterTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Start_BootstrapServers_AcceptsProduceAndConsumeFromConfluentClient()
    {
        const int messageCount = 1000;
        using var cluster = KafkaMockCluster.Start();
        cluster.CreateTopic("orders", partitions: 3);

        using (var producer = BuildProducer(cluster))
        {
            var deliveries = Enumerable.Range(0, messageCount)
                .Select(i => producer.ProduceAsync("orders", new Message<string, string> { Key = $"key-{i}", Value = $"value-{i}" }));
            var results = await Task.WhenAll(deliveries);
            Assert.All(results, result => Assert.Equal(PersistenceStatus.Persisted, result.Status));
        }

        using var consumer = BuildConsumer(cluster, groupId: "orders-readers");
        consumer.Subscribe("orders");
        var consumed = ConsumeUpTo(consumer, messageCount);
        foreach (var message in consumed)
        {
            consumer.Commit(message);
        }

        Assert.Equal(
            Enumerable.Range(0, messageCount).Select(i => $"key-{i}:value-{i}").Order(),
            consumed.Select(m => $"{m.Message.Key}:{m.Message.Value}").Order());
        Assert.All(
            consumed.GroupBy(m => m.Partition),
            partition => Assert.Equal(partition.Select(m => m.Offset.Value).Order(), partition.Select(m => m.Offset.Value)));

        // The group's committed position of each partition is right after the last message read from it.
        var committed = consumer.Committed(consumer.Assignment, Patience);
        Assert.Equal(3, committed.Count);
        Assert.All(committed, c => Assert.Equal(
            consumed.Where(m => m.Partition == c.Partition).Max(m => m.Offset.Value) + 1,
            c.Offset.Value));
    }

    [Fact]
    public async Task Start_InProcess_ClusterAndConfluentShareThePackagedLibrdkafka()
    {
        using var cluster = KafkaMockCluster.Start();

        // Debian's own librdkafka is 2.0.2 (kcat installs it): the version proves Confluent.Kafka loaded the package's build.
        Assert.Equal(typeof(Library).Assembly.GetName().Version!.ToString(3), Library.VersionString);
        using var producer = BuildProducer(cluster);
        var delivery = await producer.ProduceAsync("shared", new Message<string, string> { Key = "k", Value = "v" });
        Assert.Equal(PersistenceStatus.Persisted, delivery.Status);
    }

    [Fact]
    public void CreateTopic_WithPartitionCount_MetadataShowsPartitions()
    {
        using var cluster = KafkaMockCluster.Start();
        cluster.CreateTopic("tasks.work", partitions: 6);

        using var admin = BuildAdmin(cluster);
        var topic = Assert.Single(admin.GetMetadata("tasks.work", Patience).Topics);

        Assert.Equal(ErrorCode.NoError, topic.Error.Code);
        Assert.Equal(Enumerable.Range(0, 6), topic.Partitions.Select(p => p.PartitionId).Order());
    }

    [Fact]
    public void CreateTopic_ExistingTopic_ThrowsKafkaMockException()
    {
        using var cluster = KafkaMockCluster.Start();
        cluster.CreateTopic("tasks.status", partitions: 2);

        var exception = Assert.Throws<KafkaMockException>(() => cluster.CreateTopic("tasks.status", partitions: 2));

        Assert.Equal((int)ErrorCode.TopicAlreadyExists, exception.ErrorCode);
        Assert.Contains("tasks.status", exception.Message);
    }

    [Fact]
    public async Task BootstrapServers_ProduceToUnknownTopic_AutoCreatesTopicWithFourPartitions()
    {
        using var cluster = KafkaMockCluster.Start();

        using (var producer = BuildProducer(cluster))
        {
            await producer.ProduceAsync("never.created", new Message<string, string> { Key = "k", Value = "v" });
        }

        using var admin = BuildAdmin(cluster);
        var topic = Assert.Single(admin.GetMetadata("never.created", Patience).Topics);
        Assert.Equal(4, topic.Partitions.Count);
    }

    [Fact]
    public async Task BootstrapServers_KcatListsMetadataFromAnotherProcess_ShowsTopicAndPartitions()
    {
        using var cluster = KafkaMockCluster.Start();
        cluster.CreateTopic("messages.send", partitions: 3);

        var listing = await RunKcatAsync(["-b", cluster.BootstrapServers, "-L", "-t", "messages.send"]);

        Assert.Contains("topic \"messages.send\" with 3 partitions", listing);
    }

    [Fact]
    public async Task BootstrapServers_KcatProducesFromAnotherProcess_ConfluentConsumerReceivesMessages()
    {
        using var cluster = KafkaMockCluster.Start();
        cluster.CreateTopic("tasks.requests", partitions: 1);

        await RunKcatAsync(["-b", cluster.BootstrapServers, "-P", "-t", "tasks.requests", "-K", ":"], stdin: "a:first\nb:second\n");

        // Reading by assignment, not by group, skips the mock's group-join delay.
        using var consumer = BuildConsumer(cluster, groupId: "kcat-check");
        consumer.Assign(new TopicPartitionOffset("tasks.requests", 0, Offset.Beginning));
        var consumed = ConsumeUpTo(consumer, 2);
        Assert.Equal(["a:first", "b:second"], consumed.Select(m => $"{m.Message.Key}:{m.Message.Value}"));
    }

    [Fact]
    public async Task SetBrokerDown_ThenUp_ProducerDeliversAfterRecovery()
    {
        using var cluster = KafkaMockCluster.Start();
        cluster.CreateTopic("tasks.status", partitions: 1);
        var allBrokersDown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var producer = BuildProducer(
            cluster,
            config =>
            {
                config.MessageTimeoutMs = 120_000;
                // librdkafka's default backoff grows to 10 s, which would dominate the recovery time.
                config.ReconnectBackoffMaxMs = 500;
            },
            error =>
            {
                if (error.Code == ErrorCode.Local_AllBrokersDown)
                {
                    allBrokersDown.TrySetResult();
                }
            });
        await producer.ProduceAsync("tasks.status", new Message<string, string> { Key = "task-1", Value = "before" });

        cluster.SetBrokerDown(1);
        var delivery = producer.ProduceAsync("tasks.status", new Message<string, string> { Key = "task-1", Value = "during" });
        await allBrokersDown.Task.WaitAsync(Patience);
        Assert.False(delivery.IsCompleted, "the delivery must wait while the only broker is down");

        cluster.SetBrokerUp(1);
        var result = await delivery.WaitAsync(Patience);

        Assert.Equal(PersistenceStatus.Persisted, result.Status);
        Assert.Equal(1, result.Offset.Value);
        Assert.Equal(2, HighWatermark(cluster, "tasks.status"));
    }

    [Fact]
    public async Task PushRequestErrors_RetriableProduceErrors_IdempotentProducerDeliversOnce()
    {
        using var cluster = KafkaMockCluster.Start();
        cluster.CreateTopic("messages.status", partitions: 1);
        cluster.PushRequestErrors(KafkaApiKey.Produce, (int)ErrorCode.NotEnoughReplicas, (int)ErrorCode.NotEnoughReplicas);
        using var producer = BuildProducer(cluster);

        var result = await producer.ProduceAsync("messages.status", new Message<string, string> { Key = "m-1", Value = "sent" });

        Assert.Equal(PersistenceStatus.Persisted, result.Status);
        Assert.Equal(1, HighWatermark(cluster, "messages.status"));
    }

    [Fact]
    public async Task PushRequestErrors_NonRetriableProduceError_DeliveryFails()
    {
        using var cluster = KafkaMockCluster.Start();
        cluster.CreateTopic("messages.status", partitions: 1);
        cluster.PushRequestErrors(KafkaApiKey.Produce, (int)ErrorCode.TopicAuthorizationFailed);
        using var producer = BuildProducer(cluster, config => config.EnableIdempotence = false);

        var exception = await Assert.ThrowsAsync<ProduceException<string, string>>(
            () => producer.ProduceAsync("messages.status", new Message<string, string> { Key = "m-1", Value = "sent" }));

        Assert.Equal(ErrorCode.TopicAuthorizationFailed, exception.Error.Code);
    }

    [Fact]
    public async Task ClearRequestErrors_AfterPush_ProduceSucceeds()
    {
        using var cluster = KafkaMockCluster.Start();
        cluster.CreateTopic("messages.status", partitions: 1);
        cluster.PushRequestErrors(KafkaApiKey.Produce, (int)ErrorCode.TopicAuthorizationFailed);

        cluster.ClearRequestErrors(KafkaApiKey.Produce);

        using var producer = BuildProducer(cluster, config => config.EnableIdempotence = false);
        var result = await producer.ProduceAsync("messages.status", new Message<string, string> { Key = "m-1", Value = "sent" });
        Assert.Equal(PersistenceStatus.Persisted, result.Status);
    }

    [Fact]
    public async Task SetBrokerRoundTripTime_OnBroker_DelaysProduceAcknowledgement()
    {
        var roundTrip = TimeSpan.FromMilliseconds(300);
        using var cluster = KafkaMockCluster.Start();
        cluster.CreateTopic("tasks.work", partitions: 1);
        using var producer = BuildProducer(cluster);
        await producer.ProduceAsync("tasks.work", new Message<string, string> { Key = "warm-up", Value = "" });

        cluster.SetBrokerRoundTripTime(1, roundTrip);
        var stopwatch = Stopwatch.StartNew();
        await producer.ProduceAsync("tasks.work", new Message<string, string> { Key = "slow", Value = "" });

        Assert.True(stopwatch.Elapsed >= roundTrip, $"acknowledged after {stopwatch.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public void SetPartitionLeader_ToOtherBroker_MetadataShowsNewLeader()
    {
        using var cluster = KafkaMockCluster.Start(brokerCount: 3);
        cluster.CreateTopic("tasks.work", partitions: 1, replicationFactor: 3);
        using var admin = BuildAdmin(cluster);
        var leader = Assert.Single(Assert.Single(admin.GetMetadata("tasks.work", Patience).Topics).Partitions).Leader;
        var newLeader = leader % 3 + 1;

        cluster.SetPartitionLeader("tasks.work", 0, newLeader);

        var partition = Assert.Single(Assert.Single(admin.GetMetadata("tasks.work", Patience).Topics).Partitions);
        Assert.Equal(newLeader, partition.Leader);
    }

    [Fact]
    public void Dispose_Twice_DoesNotThrow()
    {
        var cluster = KafkaMockCluster.Start();

        cluster.Dispose();
        var exception = Record.Exception(cluster.Dispose);

        Assert.Null(exception);
    }

    [Fact]
    public void Dispose_ThenCreateTopic_ThrowsObjectDisposedException()
    {
        var cluster = KafkaMockCluster.Start();
        cluster.Dispose();

        Assert.Throws<ObjectDisposedException>(() => cluster.CreateTopic("late", partitions: 1));
        Assert.Throws<ObjectDisposedException>(() => cluster.SetBrokerDown(1));
    }

    [Fact]
    public async Task Dispose_WhileListening_ClosesBrokerPorts()
    {
        var cluster = KafkaMockCluster.Start();
        var address = cluster.BootstrapServers.Split(',')[0];
        var port = int.Parse(address[(address.LastIndexOf(':') + 1)..]);
        using (var beforeDispose = new TcpClient())
        {
            await beforeDispose.ConnectAsync("127.0.0.1", port);
        }

        cluster.Dispose();

        using var afterDispose = new TcpClient();
        var exception = await Assert.ThrowsAsync<SocketException>(() => afterDispose.ConnectAsync("127.0.0.1", port));
        Assert.Equal(SocketError.ConnectionRefused, exception.SocketErrorCode);
    }

    private IProducer<string, string> BuildProducer(
        KafkaMockCluster cluster,
        Action<ProducerConfig>? configure = null,
        Action<Error>? onError = null)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
        };
        configure?.Invoke(config);
        return new ProducerBuilder<string, string>(config)
            .SetLogHandler((_, log) => output.WriteLine($"producer {log.Level} {log.Facility}: {log.Message}"))
            .SetErrorHandler((_, error) =>
            {
                output.WriteLine($"producer error {error.Code}: {error.Reason}");
                onError?.Invoke(error);
            })
            .Build();
    }

    private IConsumer<string, string> BuildConsumer(KafkaMockCluster cluster, string groupId) =>
        new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = groupId,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            // The mock broker answers a Fetch that finds no data only after the full wait, even when
            // data arrives meanwhile; the default 500 ms would add that much to every round trip.
            FetchWaitMaxMs = 10,
        })
            .SetLogHandler((_, log) => output.WriteLine($"consumer {log.Level} {log.Facility}: {log.Message}"))
            .Build();

    private static IAdminClient BuildAdmin(KafkaMockCluster cluster) =>
        new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();

    /// <summary>Consumes until <paramref name="count"/> messages arrived or <see cref="Patience"/> ran out.</summary>
    private static List<ConsumeResult<string, string>> ConsumeUpTo(IConsumer<string, string> consumer, int count)
    {
        var consumed = new List<ConsumeResult<string, string>>();
        var stopwatch = Stopwatch.StartNew();
        while (consumed.Count < count && stopwatch.Elapsed < Patience)
        {
            if (consumer.Consume(Patience - stopwatch.Elapsed) is { IsPartitionEOF: false } result)
            {
                consumed.Add(result);
            }
        }

        return consumed;
    }

    private static long HighWatermark(KafkaMockCluster cluster, string topic)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = "watermarks",
        }).Build();
        return consumer.QueryWatermarkOffsets(new TopicPartition(topic, 0), Patience).High.Value;
    }

    private async Task<string> RunKcatAsync(IReadOnlyList<string> arguments, string stdin = "")
    {
        var startInfo = new ProcessStartInfo("kcat")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var kcat = Process.Start(startInfo) ?? throw new InvalidOperationException("kcat did not start");
        var stdout = kcat.StandardOutput.ReadToEndAsync();
        var stderr = kcat.StandardError.ReadToEndAsync();
        await kcat.StandardInput.WriteAsync(stdin);
        kcat.StandardInput.Close();
        using var timeout = new CancellationTokenSource(Patience);
        await kcat.WaitForExitAsync(timeout.Token);

        output.WriteLine($"kcat {string.Join(' ', arguments)} exited {kcat.ExitCode}\n{await stdout}\n{await stderr}");
        Assert.Equal(0, kcat.ExitCode);
        return await stdout;
    }
}
