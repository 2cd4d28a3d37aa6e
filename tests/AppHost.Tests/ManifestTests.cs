using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Microsoft.Extensions.Hosting;
using Tasks.Testing;

namespace AppHost.Tests;

/// <summary><c>dotnet run --project AppHost -- --publisher manifest</c>: Aspire's deployment manifest, committed at the root.</summary>
public sealed class ManifestTests
{
    private static readonly string CommittedManifest = Path.Combine(SolutionLayout.Directory, "aspire-manifest.json");

    [Fact]
    public async Task Publish_ComparedWithCommittedManifest_IsIdentical()
    {
        // Written beside the committed one: project paths are relative to the manifest's folder.
        var published = Path.Combine(SolutionLayout.Directory, $"aspire-manifest.{Guid.NewGuid():N}.tmp.json");
        try
        {
            await PublishAsync(published);

            Assert.True(
                await File.ReadAllTextAsync(CommittedManifest) == await File.ReadAllTextAsync(published),
                "aspire-manifest.json differs from what the AppHost publishes: run `dotnet run --project AppHost -- --publisher manifest --output-path ../aspire-manifest.json` and commit it.");
        }
        finally
        {
            File.Delete(published);
        }
    }

    [Fact]
    public async Task CommittedManifest_ContainerKafka_TakesTheLargestRecordOurProducersWrite()
    {
        var environment = JsonDocument.Parse(await File.ReadAllTextAsync(CommittedManifest)).RootElement
            .GetProperty("resources").GetProperty(Tasks.Shared.ResourceNames.Kafka).GetProperty("env");

        // The broker's message.max.bytes (every topic's max.message.bytes by default) and its followers' fetch size.
        Assert.Equal(KafkaLimits.MaxRecordBytes.ToString(), environment.GetProperty("KAFKA_MESSAGE_MAX_BYTES").GetString());
        Assert.Equal(KafkaLimits.MaxRecordBytes.ToString(), environment.GetProperty("KAFKA_REPLICA_FETCH_MAX_BYTES").GetString());
    }

    [Fact]
    public async Task Publish_Manifest_IsValidAgainstTheAspireSchema()
    {
        var schema = await LoadAspireSchemaAsync();

        var results = schema.Evaluate(JsonDocument.Parse(await PublishToTempAsync()).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(results.IsValid, string.Join(Environment.NewLine, (results.Details ?? [])
            .Where(detail => detail.Errors is not null)
            .SelectMany(detail => detail.Errors!.Select(error => $"{detail.InstanceLocation}: {error.Value}"))));
    }

    [Fact]
    public async Task Publish_ToAnotherFolder_PointsEveryProjectAtItsProjectFileAndSmtp4devAtTheToolsFolder()
    {
        var directory = Directory.CreateTempSubdirectory("manifest-");
        try
        {
            var manifest = Path.Combine(directory.FullName, "nested", "aspire-manifest.json");
            await PublishAsync(manifest);

            var resources = JsonDocument.Parse(await File.ReadAllTextAsync(manifest)).RootElement.GetProperty("resources");
            var projects = resources
                .EnumerateObject()
                .Where(resource => resource.Value.GetProperty("type").GetString() == "project.v0")
                .ToDictionary(resource => resource.Name, resource => Path.GetFullPath(resource.Value.GetProperty("path").GetString()!, Path.GetDirectoryName(manifest)!));

            Assert.Equal(["console", "identity", "scheduler", "sms-gateway", "taskapi", "taskworker"], projects.Keys.Order());
            Assert.All(projects.Values, path => Assert.True(File.Exists(path), path));
            // `dotnet tool run smtp4dev` finds the tool manifest (.config/dotnet-tools.json) from its working folder up.
            var smtp4devFolder = Path.GetFullPath(resources.GetProperty("smtp").GetProperty("workingDirectory").GetString()!, Path.GetDirectoryName(manifest)!);
            Assert.Equal(Path.Combine(SolutionLayout.Directory, "AppHost"), smtp4devFolder);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("sms-gateway", "Sms:Token", "sms-token", "Sms:BaseUrl=https://sms.example.com", "Sms:Sender=Tasks")]
    [InlineData("smtp", "Smtp:Password", "smtp-password", "Smtp:Host=mail.example.com", "Smtp:Port=587", "Smtp:UserName=tasks")]
    public async Task Publish_WithRealProvider_HasNoEmulatorAndGivesTaskWorkerItsSettingsWithTheSecretAsParameter(
        string emulator, string secretKey, string secretParameter, params string[] settings)
    {
        var secret = $"provider-secret-{Guid.NewGuid():N}";

        var manifest = await PublishToTempAsync([.. settings.Select(setting => $"--{setting}"), $"--{secretKey}={secret}"]);

        var resources = JsonDocument.Parse(manifest).RootElement.GetProperty("resources");
        Assert.False(resources.TryGetProperty(emulator, out _), "no emulator when a provider is given");
        var environment = resources.GetProperty("taskworker").GetProperty("env");
        foreach (var (key, value) in settings.Select(setting => setting.Split('=', 2)).Select(pair => (pair[0], pair[1])))
        {
            Assert.Equal(value, environment.GetProperty(key.Replace(":", "__", StringComparison.Ordinal)).GetString());
        }
        // The secret is a parameter the deployment asks for, never written into the manifest.
        Assert.Equal($"{{{secretParameter}.value}}", environment.GetProperty(secretKey.Replace(":", "__", StringComparison.Ordinal)).GetString());
        Assert.True(resources.GetProperty(secretParameter).GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean());
        Assert.DoesNotContain(secret, manifest);
    }

    [Fact]
    public async Task Publish_WithKafkaSecurity_GivesEveryServiceTheSharedSettingsWithThePasswordAsParameter()
    {
        const string shared = "Aspire:Confluent:Kafka:Config";
        var password = $"kafka-secret-{Guid.NewGuid():N}";
        string[] settings = [$"{shared}:security.protocol=SASL_SSL", $"{shared}:sasl.mechanism=SCRAM-SHA-512", $"{shared}:sasl.username=tasks"];

        var manifest = await PublishToTempAsync([.. settings.Select(setting => $"--{setting}"), $"--{shared}:sasl.password={password}"]);

        var resources = JsonDocument.Parse(manifest).RootElement.GetProperty("resources");
        foreach (var service in new[] { "taskapi", "taskworker", "scheduler" })
        {
            var environment = resources.GetProperty(service).GetProperty("env");
            foreach (var (key, value) in settings.Select(setting => setting.Split('=', 2)).Select(pair => (pair[0], pair[1])))
            {
                Assert.Equal(value, environment.GetProperty(key.Replace(":", "__", StringComparison.Ordinal)).GetString());
            }
            Assert.Equal("{kafka-sasl-password.value}", environment.GetProperty("Aspire__Confluent__Kafka__Config__sasl.password").GetString());
        }
        Assert.True(resources.GetProperty("kafka-sasl-password").GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean());
        Assert.DoesNotContain(password, manifest);
    }

    [Fact]
    public async Task Publish_WithTrackingPublicBaseUrl_GivesTaskApiAndTaskWorkerThatAddressAndTheGeneratedKey()
    {
        var manifest = await PublishToTempAsync("--Tracking:PublicBaseUrl=https://tasks.example.com");

        var resources = JsonDocument.Parse(manifest).RootElement.GetProperty("resources");
        foreach (var service in new[] { "taskapi", "taskworker" })
        {
            var environment = resources.GetProperty(service).GetProperty("env");
            Assert.Equal("https://tasks.example.com", environment.GetProperty("Tracking__PublicBaseUrl").GetString());
            Assert.Equal("{tracking-key.value}", environment.GetProperty("Tracking__Key").GetString());
        }
        var key = resources.GetProperty("tracking-key").GetProperty("inputs").GetProperty("value");
        Assert.True(key.GetProperty("secret").GetBoolean());
        Assert.Equal(32, key.GetProperty("default").GetProperty("generate").GetProperty("minLength").GetInt32());
    }

    [Fact]
    public async Task Publish_IdentityService_GetsItsSecretsAsParametersNeverAsValues()
    {
        var given = $"given-secret-{Guid.NewGuid():N}";

        var manifest = await PublishToTempAsync(
            $"--Parameters:admin-password={given}-admin", $"--Identity:AdminPassword={given}-admin",
            $"--Parameters:taskapi-client-secret={given}-client", $"--Identity:ServiceClients:taskapi={given}-client", $"--Auth:ClientSecret={given}-client",
            $"--Identity:SigningKeys:0={given}-signing", $"--Identity:EncryptionKeys:0={given}-encryption");

        var resources = JsonDocument.Parse(manifest).RootElement.GetProperty("resources");
        var identity = resources.GetProperty("identity").GetProperty("env");
        Assert.Equal("{admin-password.value}", identity.GetProperty("Identity__AdminPassword").GetString());
        Assert.Equal("{taskapi-client-secret.value}", identity.GetProperty("Identity__ServiceClients__taskapi").GetString());
        Assert.Equal("{taskapi-client-secret.value}", resources.GetProperty("taskapi").GetProperty("env").GetProperty("Auth__ClientSecret").GetString());
        Assert.Equal("{identity-signing-key-0.value}", identity.GetProperty("Identity__SigningKeys__0").GetString());
        Assert.Equal("{identity-encryption-key-0.value}", identity.GetProperty("Identity__EncryptionKeys__0").GetString());
        foreach (var parameter in new[] { "admin-password", "taskapi-client-secret", "identity-signing-key-0", "identity-encryption-key-0" })
        {
            Assert.True(resources.GetProperty(parameter).GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean(), parameter);
        }
        // The generated ones: the deployment generates them, as Aspire's own generated parameters ask.
        foreach (var parameter in new[] { "admin-password", "taskapi-client-secret" })
        {
            Assert.Equal(32, resources.GetProperty(parameter).GetProperty("inputs").GetProperty("value").GetProperty("default").GetProperty("generate").GetProperty("minLength").GetInt32());
        }
        Assert.DoesNotContain(given, manifest);
    }

    /// <summary>
    /// SchemaStore's aspire-8.0 schema (https://json.schemastore.org/aspire-8.0.json, Apache-2.0), kept beside the
    /// tests so that a clone needs nothing outside itself. It predates one thing Aspire 13 writes: Redis's binding has the URI
    /// scheme <c>redis</c>, which joins the schema's list of schemes (http, https, tcp, udp); nothing else is relaxed.
    /// </summary>
    private static async Task<JsonSchema> LoadAspireSchemaAsync()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Schemas", "aspire-8.0.schema.json");
        var schema = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        schema["definitions"]!["bindings"]!["additionalProperties"]!["properties"]!["scheme"]!["enum"]!.AsArray().Add("redis");
        return JsonSchema.FromText(schema.ToJsonString());
    }

    [Fact]
    public async Task Publish_WithLongerWorkerBounds_GivesTaskApiTheSameReconciliationTimeouts()
    {
        var manifest = await PublishToTempAsync("--Worker:MaxDelay=00:05:00", "--Sms:Timeout=00:00:45", "--Smtp:Timeout=00:02:00");

        var api = JsonDocument.Parse(manifest).RootElement.GetProperty("resources").GetProperty("taskapi").GetProperty("env");
        Assert.Equal("00:05:00", api.GetProperty("Reconciliation__TaskRunTimeout").GetString());
        Assert.Equal("00:00:45", api.GetProperty("Reconciliation__SmsSendTimeout").GetString());
        Assert.Equal("00:02:00", api.GetProperty("Reconciliation__EmailSendTimeout").GetString());
    }

    [Fact]
    public async Task Publish_WithWorkerBoundAndReconciliationTimeout_GivesTaskApiTheReconciliationTimeout()
    {
        var manifest = await PublishToTempAsync("--Worker:MaxDelay=00:05:00", "--Reconciliation:TaskRunTimeout=00:10:00");

        var api = JsonDocument.Parse(manifest).RootElement.GetProperty("resources").GetProperty("taskapi").GetProperty("env");
        Assert.Equal("00:10:00", api.GetProperty("Reconciliation__TaskRunTimeout").GetString());
    }

    private static async Task<string> PublishToTempAsync(params string[] settings)
    {
        var manifest = Path.Combine(Path.GetTempPath(), $"aspire-manifest.{Guid.NewGuid():N}.json");
        try
        {
            await PublishAsync(manifest, settings);
            return await File.ReadAllTextAsync(manifest);
        }
        finally
        {
            File.Delete(manifest);
        }
    }

    private static async Task PublishAsync(string output, params string[] settings)
    {
        await using var appHost = AppHostProcess.Start(["--publisher", "manifest", "--output-path", output, .. settings]);
        Assert.True(await appHost.Exited.WaitAsync(TimeSpan.FromSeconds(30)) == 0, appHost.RecentOutput);
    }
}
