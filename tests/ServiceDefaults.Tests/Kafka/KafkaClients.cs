using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests.Kafka;

/// <summary>A host builder with the given settings, as a service's would read them from its environment.</summary>
internal static class KafkaClients
{
    public const string ConnectionName = "kafka";

    public static HostApplicationBuilder Builder(string bootstrapServers, params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(
            [new($"ConnectionStrings:{ConnectionName}", bootstrapServers), .. settings.Select(setting => KeyValuePair.Create(setting.Key, (string?)setting.Value))]);
        return builder;
    }
}
