using AppHost.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace AppHost.Services;

/// <summary>
/// Where TaskWorker sends SMS. Without <c>Sms:BaseUrl</c>, to the SmsGateway emulator, run as the resource
/// <c>sms-gateway</c>; with it, to that provider, and nothing is started for it.
/// </summary>
public static class SmsGatewayExtensions
{
    public const string ResourceName = "sms-gateway";

    /// <summary>The section TaskWorker reads its provider from; the emulator reads <c>Gateway</c>.</summary>
    public const string SettingsSection = "Sms";

    private const string BaseUrlKey = "Sms:BaseUrl";
    private const string TokenKey = "Sms:Token";
    private const string TokenParameter = "sms-token";

    /// <summary>
    /// The emulator with a token generated once and kept in the data folder (a secret parameter: <c>Parameters:sms-token</c>
    /// fixes it), or, when <c>Sms:BaseUrl</c> is given, that provider's <c>Sms:Token</c> as a secret parameter, so that a
    /// published manifest asks for it instead of holding it.
    /// </summary>
    public static SmsProvider AddSmsProvider(this IDistributedApplicationBuilder builder, InfrastructureChoice infrastructure)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration[BaseUrlKey]))
        {
            return new SmsProvider(Emulator: null, builder.AddSecretSetting(TokenParameter, TokenKey));
        }

        var token = builder.AddGeneratedSecret(TokenParameter, infrastructure);
        var gateway = builder.AddProject<Projects.SmsGateway>(ResourceName)
            .WithHealthProbe()
            .WithUrlForEndpoint("http", _ => new() { Url = "/messages", DisplayText = "Received messages" })
            .WithFeatureSettings(builder.Configuration, "Gateway")
            // After the Gateway settings: Aspire applies environment values in order, so this one wins over a Gateway:Token.
            .WithEnvironment("Gateway__Token", token);
        return new SmsProvider(gateway, token);
    }

    /// <summary>
    /// The whole <c>Sms</c> section for the worker, its token replaced by the parameter's (Aspire applies environment values
    /// in order), and with the emulator its address, once it is healthy.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSmsProvider(
        this IResourceBuilder<ProjectResource> worker, IConfiguration configuration, SmsProvider provider)
    {
        worker.WithFeatureSettings(configuration, SettingsSection);
        if (provider.Token is { } token)
        {
            worker.WithEnvironment("Sms__Token", token);
        }
        if (provider.Emulator is { } emulator)
        {
            worker.WithEnvironment("Sms__BaseUrl", emulator.GetEndpoint("http")).WaitFor(emulator);
        }
        return worker;
    }
}

/// <summary>The emulator, when one runs, and the token TaskWorker is to send (none for a provider given without one).</summary>
public sealed record SmsProvider(IResourceBuilder<ProjectResource>? Emulator, IResourceBuilder<ParameterResource>? Token);
