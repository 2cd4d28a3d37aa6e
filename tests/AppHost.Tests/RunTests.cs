using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Confluent.Kafka;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Tasks.Shared;
using Tasks.Testing;

namespace AppHost.Tests;

/// <summary>
/// The system the AppHost runs on a machine without a container runtime: its resources, tokens and what they open, tasks
/// through them, a crash, the traces.
/// </summary>
[Collection(RunningSystemCollection.Name)]
public sealed class RunTests(RunningSystemFixture fixture)
{
    private static readonly TimeSpan TaskTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Run_WithoutContainerRuntime_EveryResourceIsHealthyWithItsReplicas()
    {
        foreach (var (name, replicas) in new[]
        {
            ("postgres", 1), ("tasksdb", 1), ("identitydb", 1), ("redis", 1), ("kafka", 1), ("smtp", 1),
            ("identity", 1), ("taskapi", 2), ("taskworker", 2), ("scheduler", 1), ("console", 1),
        })
        {
            var instances = await fixture.InstancesAsync(name, replicas, instance => instance.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy);
            Assert.All(instances, instance => Assert.Equal(KnownResourceStates.Running, instance.Snapshot.State?.Text));
        }
        // PostgreSQL and Redis are this machine's programs, their data in the run's folder.
        Assert.True(File.Exists(Path.Combine(fixture.DataDirectory, "postgres", "data", "PG_VERSION")));
        Assert.True(Directory.Exists(Path.Combine(fixture.DataDirectory, "redis")));
        using var api = fixture.CreateApiClient();
        Assert.True((await api.GetAsync("/swagger/index.html")).IsSuccessStatusCode);
    }

    /// <summary>Aspire's development default is every second, which kept the dashboard busy with nine processes at rest.</summary>
    [Fact]
    public async Task Run_EveryServiceProcess_ExportsItsMetricsEveryFiveSeconds()
    {
        foreach (var (name, replicas) in new[] { ("identity", 1), ("taskapi", 2), ("taskworker", 2), ("scheduler", 1), ("console", 1) })
        {
            foreach (var instance in await fixture.InstancesAsync(name, replicas, instance => instance.Snapshot.State?.Text == KnownResourceStates.Running))
            {
                var environment = (await File.ReadAllTextAsync($"/proc/{Pid(instance)}/environ")).Split('\0');
                Assert.Contains("OTEL_METRIC_EXPORT_INTERVAL=5000", environment);
            }
        }
    }

    [Fact]
    public async Task Run_AnonymousPostMailings_Answers401WithABearerChallenge()
    {
        using var anonymous = fixture.CreateAnonymousApiClient();

        var response = await anonymous.PostAsJsonAsync("/mailings", new { text = "from nobody" });

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    /// <summary>The README's first steps with curl: a token from the identity service, then a task, a mailing and a campaign.</summary>
    [Fact]
    public async Task Readme_FlowWithAnAdminToken_CreatesATaskAMailingAndACampaign()
    {
        var token = await AccessTokens.PasswordGrantAsync(fixture.App.GetEndpoint(ResourceNames.Identity, "http"), FirstAdmin.Login, await fixture.AdminPasswordAsync());
        using var api = fixture.CreateAnonymousApiClient().WithBearer(token);

        await api.PostCreatedAsync("/tasks", new { name = "resize images", payload = new { width = 640 } });
        var import = await api.PostAsJsonAsync("/clients/import", new[]
        {
            new { phone = "79001234567", tag = "vip", timezone = "Europe/Moscow" },
            new { phone = "79161234567", tag = "vip", timezone = "Asia/Vladivostok" },
        });
        Assert.Equal(System.Net.HttpStatusCode.OK, import.StatusCode);
        await api.PostCreatedAsync("/mailings", new
        {
            text = "Sale starts today",
            startAt = DateTimeOffset.UtcNow.ToString("O"),
            endAt = DateTimeOffset.UtcNow.AddHours(1).ToString("O"),
            filter = new { operatorCodes = Array.Empty<string>(), tags = new[] { "vip" } },
            sendWindow = new { from = "09:00", to = "21:00" },
        });
        var template = await api.PostCreatedAsync("/templates", new
        {
            name = "newsletter",
            subject = "News for {{ recipient.name }}",
            html = "<h1>Hello {{ recipient.name }}</h1><p>{{ message }}</p><p><a href=\"{{ unsubscribe_url }}\">Unsubscribe</a></p>",
        });
        var list = await api.PostCreatedAsync("/lists", new { name = "customers" });
        Assert.Equal(System.Net.HttpStatusCode.OK, (await api.PostAsJsonAsync($"/lists/{list}/subscribers", new[] { new { email = "ana@example.com", name = "Ana" } })).StatusCode);
        await api.PostCreatedAsync("/campaigns", new
        {
            name = "December news",
            templateId = template,
            listIds = new[] { list },
            from = new { email = "news@example.com", name = "Tasks news" },
            message = "Sale starts today.",
        });
    }

    /// <summary>
    /// The README's notifications with curl: an express notification and a scheduled one reach smtp4dev and the SMS
    /// emulator, and their in-app deliveries an open feed stream of the user, with a token the identity service minted.
    /// </summary>
    [Fact]
    public async Task Readme_Notifications_ExpressAndScheduledReachSmtp4devTheEmulatorAndAnOpenFeedStream()
    {
        using var api = fixture.CreateApiClient();
        var userId = $"readme-{Guid.NewGuid():N}";
        var email = $"{userId}@example.com";
        var phone = 79_000_000_000L + Random.Shared.NextInt64(1_000_000_000);
        Assert.True((await api.PutAsJsonAsync($"/users/{userId}", new { email, phone = phone.ToString(CultureInfo.InvariantCulture), name = "Ana" })).IsSuccessStatusCode);
        using var identity = fixture.CreateIdentityClient();
        var minted = await identity.PostAsJsonAsync("/user-tokens", new { userId });
        Assert.True(minted.IsSuccessStatusCode, $"POST /user-tokens: {(int)minted.StatusCode}");
        var userToken = (await minted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        using var user = new HttpClient { BaseAddress = fixture.App.GetEndpoint("taskapi", "http") }.WithBearer(userToken);
        using var stream = await user.GetAsync("/me/notifications/stream", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(System.Net.HttpStatusCode.OK, stream.StatusCode);
        var events = SseParser.Create(await stream.Content.ReadAsStreamAsync()).EnumerateAsync().GetAsyncEnumerator();

        await api.PostCreatedAsync("/notifications", new
        {
            userIds = new[] { userId }, channels = new[] { "email", "sms", "inApp" }, title = "Sign-in code", text = "Your code is 4711", express = true,
        });
        var schedule = await api.PostCreatedAsync("/schedules", new
        {
            cron = "*/2 * * * * *", timezone = "UTC",
            notification = new { userIds = new[] { userId }, channels = new[] { "email", "sms", "inApp" }, title = "Standup", text = "At 09:15" },
        });

        var streamed = new List<string>();
        using var within = new CancellationTokenSource(TaskTimeout);
        var timedOut = Task.Delay(Timeout.InfiniteTimeSpan, within.Token);
        while (!(streamed.Contains("Sign-in code") && streamed.Contains("Standup")))
        {
            var next = events.MoveNextAsync().AsTask();
            Assert.True(await Task.WhenAny(next, timedOut) == next && await next,
                $"The feed stream sent only [{string.Join(", ", streamed)}] within {TaskTimeout}.");
            if (events.Current.EventType == "notification")
            {
                streamed.Add(JsonDocument.Parse(events.Current.Data).RootElement.GetProperty("title").GetString()!);
            }
        }
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await api.DeleteAsync($"/schedules/{schedule}")).StatusCode);
        using var webUi = new HttpClient { BaseAddress = fixture.App.GetEndpoint("smtp", "http") };
        await Eventually.UntilAsync(async () =>
            (await webUi.GetFromJsonAsync<JsonElement>("/api/messages")).GetProperty("results").EnumerateArray()
                .Where(message => message.GetProperty("to").EnumerateArray().Any(to => to.GetString() == email))
                .Select(message => message.GetProperty("subject").GetString()).ToHashSet() is var subjects
            && subjects.Contains("Sign-in code") && subjects.Contains("Standup"), TaskTimeout, $"smtp4dev to list both emails to {email}");
        using var emulator = new HttpClient { BaseAddress = fixture.App.GetEndpoint("sms-gateway", "http") };
        await Eventually.UntilAsync(async () =>
            (await emulator.GetFromJsonAsync<JsonElement>("/messages?pageSize=1000")).GetProperty("items").EnumerateArray()
                .Where(message => message.GetProperty("phone").GetInt64() == phone)
                .Select(message => message.GetProperty("text").GetString()).ToHashSet() is var texts
            && texts.Contains("Your code is 4711") && texts.Contains("At 09:15"), TaskTimeout, $"the SMS emulator to list both messages to {phone}");
    }

    [Fact]
    public async Task Run_PagesOfTaskApi_MayAskTheIdentityServiceForTokens()
    {
        var origin = fixture.App.GetEndpoint("taskapi", "http").GetLeftPart(UriPartial.Authority);
        using var browser = new HttpClient { BaseAddress = fixture.App.GetEndpoint(ResourceNames.Identity, "http") };
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/connect/token");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");

        var response = await browser.SendAsync(preflight);

        Assert.Equal(origin, Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [Fact]
    public async Task Run_WithoutSmsBaseUrl_GatewayIsHealthyAndAcceptsWhatTaskWorkerWasGiven()
    {
        await fixture.InstancesAsync("sms-gateway", 1, instance => instance.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy);
        var environment = (await fixture.EnvironmentsAsync("taskworker", 2))[0];
        Assert.Equal(fixture.App.GetEndpoint("sms-gateway", "http"), new Uri(environment["Sms__BaseUrl"]!));
        using var sender = new HttpClient { BaseAddress = new Uri(environment["Sms__BaseUrl"]!) };
        sender.DefaultRequestHeaders.Authorization = new("Bearer", environment["Sms__Token"]);
        var id = Random.Shared.NextInt64(1, long.MaxValue);

        var answer = await sender.PostAsJsonAsync($"/v1/send/{id}", new { id, phone = 79001234567, text = "from the AppHost tests" });

        Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
        var received = await sender.GetFromJsonAsync<JsonElement>($"/messages/{id}");
        Assert.Equal("from the AppHost tests", received.GetProperty("text").GetString());
        sender.DefaultRequestHeaders.Authorization = new("Bearer", "not-the-token");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await sender.PostAsJsonAsync($"/v1/send/{id}", new { id, phone = 79001234567, text = "refused" })).StatusCode);
    }

    [Fact]
    public async Task Run_WithoutSmtpHost_Smtp4devIsHealthyAndReceivesAnEmailAtTheAddressTaskWorkerWasGiven()
    {
        var smtp = (await fixture.InstancesAsync("smtp", 1, instance => instance.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy))[0];
        Assert.Contains(smtp.Snapshot.Urls, url => url.DisplayProperties.DisplayName == "Received emails");
        var environment = (await fixture.EnvironmentsAsync("taskworker", 2))[0];
        Assert.Equal("127.0.0.1", environment["Smtp__Host"]);
        Assert.Equal(fixture.App.GetEndpoint("smtp", "smtp").Port.ToString(CultureInfo.InvariantCulture), environment["Smtp__Port"]);

        var received = await SendThroughSmtp4devAsync(environment["Smtp__Host"]!, int.Parse(environment["Smtp__Port"]!, CultureInfo.InvariantCulture));

        Assert.Contains("client@example.com", received);
    }

    [Fact]
    public async Task Run_KilledSmtp4dev_IsRestartedAndReceivesEmailsAgain()
    {
        var smtp = (await fixture.InstancesAsync("smtp", 1, instance => instance.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy))[0];
        var killed = Pid(smtp);

        Process.GetProcessById(killed).Kill(entireProcessTree: true);

        await fixture.InstancesAsync("smtp", 1, instance => instance.Snapshot.State?.Text == KnownResourceStates.Running && Pid(instance) != killed
            && instance.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy);
        var endpoint = fixture.App.GetEndpoint("smtp", "smtp");
        Assert.Contains("client@example.com", await SendThroughSmtp4devAsync(endpoint.Host, endpoint.Port));
    }

    /// <summary>Sends an email to smtp4dev as TaskWorker would, and returns it as smtp4dev's web UI lists it.</summary>
    private async Task<string> SendThroughSmtp4devAsync(string host, int port)
    {
        var subject = $"from the AppHost tests {Guid.NewGuid():N}";
        var email = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = "received by smtp4dev" } };
        email.From.Add(new MailboxAddress("Tasks", "tasks@example.com"));
        email.To.Add(new MailboxAddress("A client", "client@example.com"));
        using (var sender = new SmtpClient())
        {
            await sender.ConnectAsync(host, port, SecureSocketOptions.None);
            await sender.SendAsync(email);
            await sender.DisconnectAsync(quit: true);
        }

        // What the web UI lists, through the API it reads.
        using var webUi = new HttpClient { BaseAddress = fixture.App.GetEndpoint("smtp", "http") };
        return await Eventually.GetAsync(async () =>
            (await webUi.GetFromJsonAsync<JsonElement>("/api/messages")).GetProperty("results").EnumerateArray()
                .Where(message => message.GetProperty("subject").GetString() == subject)
                .Select(message => message.GetRawText())
                .FirstOrDefault(), TaskTimeout, $"smtp4dev to list the email '{subject}'");
    }

    [Fact]
    public async Task Run_EmailTracking_EveryTaskApiAndTaskWorkerHasTheSameGeneratedKeyAndTheApisPublicAddress()
    {
        var environments = (await fixture.EnvironmentsAsync("taskapi", 2)).Concat(await fixture.EnvironmentsAsync("taskworker", 2)).ToList();

        var key = environments[0]["Tracking__Key"];
        Assert.Matches("^[A-Za-z0-9]{32,}$", key);
        Assert.All(environments, environment =>
        {
            Assert.Equal(key, environment["Tracking__Key"]);
            Assert.Equal(fixture.App.GetEndpoint("taskapi", "http"), new Uri(environment["Tracking__PublicBaseUrl"]!));
        });
    }

    [Fact]
    public async Task Run_TaskCreatedOverRest_ReachesSuccessOrError()
    {
        var id = await fixture.CreateTaskAsync($"rest {Guid.NewGuid():N}");

        Assert.Contains(await fixture.WaitFinishedAsync(id, TaskTimeout), new[] { "success", "error" });
    }

    [Fact]
    public async Task Run_TaskProducedToKafka_ReachesSuccessOrError()
    {
        var name = $"kafka {Guid.NewGuid():N}";
        var bootstrapServers = await fixture.App.GetConnectionStringAsync(ResourceNames.Kafka);
        using var producer = new ProducerBuilder<string?, string>(new ProducerConfig { BootstrapServers = bootstrapServers }).Build();

        await producer.ProduceAsync(KafkaTopics.TaskRequests, new Message<string?, string> { Value = JsonSerializer.Serialize(new { name, payload = new { n = 1 } }) });

        var id = await Eventually.GetAsync(() => FindTaskIdAsync(name), TaskTimeout, $"task '{name}' to be created from Kafka");
        Assert.Contains(await fixture.WaitFinishedAsync(Guid.Parse(id), TaskTimeout), new[] { "success", "error" });
    }

    [Fact]
    public async Task Run_KilledWorker_IsRestartedAndTasksStillFinish()
    {
        var worker = (await fixture.InstancesAsync("taskworker", 2))[0];
        var killed = Pid(worker);
        var ids = new List<Guid>();

        // Work is under way at the kill: read just before it. The runs (0.2-0.5 s each) may all end before their
        // statuses are read on a loaded machine, so batches are added until a read finds one not yet finished.
        using (var api = fixture.CreateApiClient())
        {
            for (var batch = 1; ; batch++)
            {
                var created = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => fixture.CreateTaskAsync($"during a crash {batch}.{i}")));
                ids.AddRange(created);
                var statuses = await Task.WhenAll(created.Select(async id => (await api.GetFromJsonAsync<JsonElement>($"/tasks/{id}")).GetProperty("status").GetString()));
                if (statuses.Any(status => status is "new" or "in_progress"))
                {
                    break;
                }
                Assert.True(batch < 10, "no task was seen unfinished in 10 batches of 20");
            }
        }
        // The whole process tree, as a crash takes it: Aspire runs each project under `dotnet run`.
        Process.GetProcessById(killed).Kill(entireProcessTree: true);

        var restarted = await fixture.InstancesAsync("taskworker", 2, instance =>
            instance.ResourceId != worker.ResourceId
            || (instance.Snapshot.State?.Text == KnownResourceStates.Running && Pid(instance) != killed
                && instance.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy));
        Assert.True(ProcessTree.IsRunning(Pid(restarted.Single(i => i.ResourceId == worker.ResourceId))));
        foreach (var id in ids)
        {
            Assert.Contains(await fixture.WaitFinishedAsync(id, TimeSpan.FromSeconds(90)), new[] { "success", "error" });
        }
    }

    [Fact]
    public async Task Run_KilledPostgresAndRedis_AreRestartedAndTaskApiServesAWrite()
    {
        var servers = new[] { "postgres", ResourceNames.Redis };
        var killed = new Dictionary<string, int>();
        foreach (var server in servers)
        {
            killed[server] = Pid((await fixture.InstancesAsync(server, 1, IsHealthy))[0]);
        }

        // kill -9 of the servers themselves (PostgreSQL's postmaster), as a crash or the OOM killer ends them.
        foreach (var pid in killed.Values)
        {
            Process.GetProcessById(pid).Kill();
        }

        foreach (var server in servers)
        {
            await fixture.InstancesAsync(server, 1, instance => instance.Snapshot.State?.Text == KnownResourceStates.Running
                && Pid(instance) != killed[server] && IsHealthy(instance));
        }
        Assert.DoesNotContain(killed.Values, ProcessTree.IsRunning);
        var id = await fixture.CreateTaskAsync($"after the servers crashed {Guid.NewGuid():N}");
        Assert.Contains(await fixture.WaitFinishedAsync(id, TaskTimeout), new[] { "success", "error" });
    }

    private static bool IsHealthy(ResourceEvent instance) =>
        instance.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy;

    [Fact]
    public async Task Dashboard_TraceOfOneTask_HasHttpDatabaseAndKafkaSpansOfTaskApiAndTaskWorker()
    {
        var traceId = ActivityTraceId.CreateRandom();
        using var outside = fixture.CreateOutsideApiClient();
        var request = new HttpRequestMessage(HttpMethod.Post, "/tasks") { Content = JsonContent.Create(new { name = "traced through the dashboard" }) };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        var created = await (await outside.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();
        await fixture.WaitFinishedAsync(created.GetProperty("id").GetGuid(), TaskTimeout);
        using var dashboard = await fixture.CreateDashboardApiClientAsync();
        var expected = new Dictionary<string, Func<Span, bool>>
        {
            ["taskapi's POST /tasks request"] = s => s.Service == "taskapi" && s.Kind == "SPAN_KIND_SERVER" && s.Name.StartsWith("POST", StringComparison.Ordinal),
            ["a database call of taskapi's"] = s => s.Service == "taskapi" && s.Kind == "SPAN_KIND_CLIENT" && (s.Attributes.ContainsKey("db.system.name") || s.Attributes.ContainsKey("db.system")),
            ["taskapi's outbox relay publishing the work"] = s => s.Service == "taskapi" && s.Kind == "SPAN_KIND_PRODUCER" && s.Name == $"{KafkaTopics.TaskWork} publish",
            ["taskworker running it"] = s => s.Service == "taskworker" && s.Kind == "SPAN_KIND_CONSUMER" && s.Name == $"{KafkaTopics.TaskWork} process",
            ["taskworker publishing its status"] = s => s.Service == "taskworker" && s.Kind == "SPAN_KIND_PRODUCER" && s.Name == $"{KafkaTopics.TaskStatus} publish",
            ["taskapi applying the status"] = s => s.Service == "taskapi" && s.Kind == "SPAN_KIND_CONSUMER" && s.Name == $"{KafkaTopics.TaskStatus} process",
        };

        // Each service exports its spans in batches of its own, some only when the task has finished.
        List<string> missing = [.. expected.Keys];
        try
        {
            await Eventually.UntilAsync(async () =>
            {
                var response = await dashboard.GetAsync($"/api/telemetry/traces/{traceId}");
                var spans = response.IsSuccessStatusCode ? Spans(await response.Content.ReadFromJsonAsync<JsonElement>()) : [];
                missing = [.. expected.Where(e => !spans.Any(e.Value)).Select(e => e.Key)];
                return missing.Count == 0;
            }, TaskTimeout, $"trace {traceId} in the dashboard with spans of both services");
        }
        catch (TimeoutException)
        {
        }

        Assert.Empty(missing);
    }

    private sealed record Span(string Service, string Name, string Kind, IReadOnlyDictionary<string, string> Attributes);

    /// <summary>The OTLP JSON the dashboard answers with: resourceSpans (service.name) → scopeSpans → spans.</summary>
    private static List<Span> Spans(JsonElement body) =>
        [.. body.GetProperty("data").GetProperty("resourceSpans").EnumerateArray().SelectMany(resource =>
        {
            var service = Attributes(resource.GetProperty("resource"))["service.name"];
            return resource.GetProperty("scopeSpans").EnumerateArray()
                .SelectMany(scope => scope.GetProperty("spans").EnumerateArray())
                .Select(span => new Span(service, span.GetProperty("name").GetString()!, KindName(span), Attributes(span)));
        })];

    private static string KindName(JsonElement span) => span.TryGetProperty("kind", out var kind)
        ? kind.ValueKind == JsonValueKind.Number ? $"SPAN_KIND_{(new[] { "UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER" })[kind.GetInt32()]}" : kind.GetString()!
        : "SPAN_KIND_UNSPECIFIED";

    private static Dictionary<string, string> Attributes(JsonElement owner) =>
        owner.TryGetProperty("attributes", out var attributes)
            ? attributes.EnumerateArray().ToDictionary(a => a.GetProperty("key").GetString()!, a => Value(a.GetProperty("value")))
            : [];

    /// <summary>An OTLP AnyValue: <c>{"stringValue": "..."}</c>, <c>{"intValue": "5"}</c>...</summary>
    private static string Value(JsonElement anyValue) =>
        anyValue.EnumerateObject().Select(p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.ToString()).FirstOrDefault() ?? "";

    private static int Pid(ResourceEvent instance) =>
        Convert.ToInt32(instance.Snapshot.Properties.Single(p => p.Name == "executable.pid").Value);

    private async Task<string?> FindTaskIdAsync(string name)
    {
        using var client = fixture.CreateApiClient();
        var page = await client.GetFromJsonAsync<JsonElement>("/tasks?pageSize=100");
        return page.GetProperty("items").EnumerateArray()
            .Where(task => task.GetProperty("name").GetString() == name)
            .Select(task => task.GetProperty("id").GetString())
            .FirstOrDefault();
    }
}
