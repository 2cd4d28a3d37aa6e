using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace AppHost.Services;

/// <summary>
/// The services' Kafka client settings: the whole <c>Aspire:Confluent:Kafka</c> section given to the AppHost goes to each
/// service, and the secrets among the settings every client shares (<c>Aspire:Confluent:Kafka:Config:sasl.password</c>
/// and the like) as secret parameters, so that a published manifest asks for them instead of holding them.
/// </summary>
public static class KafkaSettingsExtensions
{
    // librdkafka's settings that hold a secret; each given becomes the parameter kafka-{name with dashes}.
    private static readonly string[] SecretNames =
        ["sasl.password", "sasl.oauthbearer.client.secret", "ssl.key.password", "ssl.keystore.password", "ssl.key.pem"];

    /// <summary>The secret parameters of the shared Kafka settings given to the AppHost (none when none is given).</summary>
    public static IReadOnlyList<KafkaSecret> AddKafkaSecrets(this IDistributedApplicationBuilder builder)
    {
        var secrets = new List<KafkaSecret>();
        foreach (var name in SecretNames)
        {
            var key = $"{KafkaClientExtensions.SharedConfigSection}:{name}";
            if (builder.AddSecretSetting($"kafka-{name.Replace('.', '-')}", key) is { } parameter)
            {
                secrets.Add(new KafkaSecret(key, parameter));
            }
        }
        return secrets;
    }

    /// <summary>The whole <c>Aspire:Confluent:Kafka</c> section for the service, its secrets replaced by their parameters.</summary>
    public static IResourceBuilder<ProjectResource> WithKafkaSettings(
        this IResourceBuilder<ProjectResource> service, IConfiguration configuration, IReadOnlyList<KafkaSecret> secrets)
    {
        service.WithFeatureSettings(configuration, KafkaClientExtensions.SettingsSection);
        // After the section: Aspire applies environment values in order, so the parameter replaces the value given.
        foreach (var secret in secrets)
        {
            service.WithEnvironment(secret.Key.Replace(":", "__", StringComparison.Ordinal), secret.Parameter);
        }
        return service;
    }
}

/// <summary>A secret Kafka setting given to the AppHost (its configuration key) and the parameter that stands for it.</summary>
public sealed record KafkaSecret(string Key, IResourceBuilder<ParameterResource> Parameter);
