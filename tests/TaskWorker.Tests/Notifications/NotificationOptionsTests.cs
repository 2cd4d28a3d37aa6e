using Microsoft.Extensions.Options;
using Tasks.Testing;
using TaskWorker.Notifications;

namespace TaskWorker.Tests.Notifications;

public sealed class NotificationOptionsTests
{
    // At start: one bad setting; the options' other rules are checked without a worker below.
    [Theory]
    [InlineData("MaxInFlight", "0")]
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

    [Theory]
    [InlineData("ExpressSmtpConnections", "101")]
    [InlineData("ContentWait", "-00:00:01")]
    public void Validate_InvalidNotificationsSetting_FailsNamingTheSetting(string setting, string value) =>
        WorkerOptionsValidation.AssertFailsNaming<NotificationOptions>(setting,
            ("Sms:BaseUrl", "http://127.0.0.1:1/"), ("Sms:Token", WorkerFactory.SmsToken), ("Smtp:Host", "127.0.0.1"),
            ("Tracking:PublicBaseUrl", WorkerFactory.TrackingBaseUrl), ("Tracking:Key", WorkerFactory.TrackingKey),
            ($"Notifications:{setting}", value));
}
