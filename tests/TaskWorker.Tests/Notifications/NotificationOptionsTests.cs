using Microsoft.Extensions.Options;
using Tasks.Testing;

namespace TaskWorker.Tests.Notifications;

public sealed class NotificationOptionsTests
{
    [Theory]
    [InlineData("MaxInFlight", "0")]
    [InlineData("ExpressSmtpConnections", "101")]
    [InlineData("ContentWait", "-00:00:01")]
    public void Start_InvalidNotificationsSetting_FailsNamingTheSetting(string setting, string value)
    {
        using var kafka = new KafkaFixture();
        using var redis = RedisServer.Start();

        var exception = Assert.Throws<OptionsValidationException>(() => WorkerFactory.Start(kafka, WorkerFactory.SendingSms(redis, new Uri("http://127.0.0.1:1"),
            ("Smtp:Host", "127.0.0.1"),
            ("Tracking:PublicBaseUrl", WorkerFactory.TrackingBaseUrl),
            ("Tracking:Key", WorkerFactory.TrackingKey),
            ($"Notifications:{setting}", value))));

        Assert.Contains(setting, exception.Message);
    }
}
