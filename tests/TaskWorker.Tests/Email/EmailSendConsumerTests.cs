using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Tasks.Shared;
using Tasks.Testing;
using TaskWorker.Delivery;
using TaskWorker.Email;

namespace TaskWorker.Tests.Email;

/// <summary>The email consumer as a whole: whether it runs and its settings.</summary>
public sealed class EmailSendConsumerTests
{
    [Fact]
    public async Task Start_WithoutSmtpHost_RunsNoEmailConsumerNorCampaignListener()
    {
        using var kafka = new KafkaFixture();

        using var worker = WorkerFactory.Start(kafka);

        var hostedServices = worker.Services.GetServices<IHostedService>().Select(service => service.GetType()).ToList();
        Assert.DoesNotContain(typeof(EmailSendConsumer), hostedServices);
        Assert.DoesNotContain(typeof(ChangesListener<CampaignChanged>), hostedServices);
        var response = await worker.CreateClient().GetAsync(Microsoft.Extensions.Hosting.Extensions.HealthEndpointPath);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Start_SendingSmsAndEmail_BothChannelsShareOneRedisAndTheWorkerIsHealthy()
    {
        using var kafka = new KafkaFixture();
        using var redis = RedisServer.Start();
        await using var smtp = await StandInSmtpServer.StartAsync();
        await using var gateway = await StandInSmsGateway.StartAsync();

        using var worker = WorkerFactory.Start(kafka, [.. WorkerFactory.SendingEmail(redis, smtp), .. WorkerFactory.SendingSms(redis, gateway.BaseUrl)]);

        var hostedServices = worker.Services.GetServices<IHostedService>().Select(service => service.GetType()).ToList();
        Assert.Contains(typeof(EmailSendConsumer), hostedServices);
        Assert.Contains(typeof(TaskWorker.Sms.SmsSendConsumer), hostedServices);
        var response = await worker.CreateClient().GetAsync(Microsoft.Extensions.Hosting.Extensions.HealthEndpointPath);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
        Assert.NotEqual(
            worker.Services.GetRequiredKeyedService<SentMarkers>(DeliveryChannels.Sms).KeyOf(1),
            worker.Services.GetRequiredKeyedService<SentMarkers>(DeliveryChannels.Email).KeyOf(1));
    }

    // The data annotations' ranges work as SmsOptionsTests show; these are the rules of the email sending's own. At start
    // one bad setting of each options class (Smtp, Tracking); the other rules are checked without a worker below.
    [Theory]
    [InlineData("Password", "")]
    [InlineData("PublicBaseUrl", "")]
    public async Task Start_InvalidEmailSetting_FailsNamingTheSetting(string setting, string value)
    {
        using var kafka = new KafkaFixture();
        using var redis = RedisServer.Start();
        await using var smtp = await StandInSmtpServer.StartAsync();
        var section = setting == "PublicBaseUrl" ? "Tracking" : "Smtp";

        var exception = Assert.Throws<OptionsValidationException>(() =>
            WorkerFactory.Start(kafka, WorkerFactory.SendingEmail(redis, smtp, ("Smtp:User", "mailer"), ("Smtp:Password", "s3cret"), ($"{section}:{setting}", value))));

        Assert.Contains(setting, exception.Message);
    }

    [Theory]
    [InlineData("MaxConnections", "101")]
    [InlineData("TrustedCertificateSha256", "not-hex")]
    public void Validate_InvalidEmailSetting_FailsNamingTheSetting(string setting, string value) =>
        WorkerOptionsValidation.AssertFailsNaming<SmtpOptions>(setting,
            ("Smtp:Host", "127.0.0.1"), ("Smtp:User", "mailer"), ("Smtp:Password", "s3cret"),
            ("Tracking:PublicBaseUrl", WorkerFactory.TrackingBaseUrl), ("Tracking:Key", WorkerFactory.TrackingKey),
            ($"Smtp:{setting}", value));
}
